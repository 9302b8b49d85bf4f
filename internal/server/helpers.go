package server

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/store"
)

// decode reads the request body strictly: one JSON object, no unknown field, nothing after it.
func decode[T any](c *call) (T, error) {
	var v T
	if len(bytes.TrimSpace(c.body)) == 0 {
		return v, badRequest("A JSON request body is required.")
	}
	if e := checkJSONInput(c.body); e != nil {
		return v, e
	}
	dec := json.NewDecoder(bytes.NewReader(c.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return v, badRequest("The request body is not valid: %s.", describeJSONError(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return v, badRequest("The request body must hold exactly one JSON object; found data after it.")
	}
	return v, nil
}

// describeJSONError words a decoding error without echoing any value.
func describeJSONError(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("malformed JSON at byte %d", se.Offset)
	case errors.As(err, &te):
		if te.Field != "" {
			return fmt.Sprintf("field %q must be %s, not %s", te.Field, te.Type.Kind(), te.Value)
		}
		return fmt.Sprintf("expected %s, not %s", te.Type.Kind(), te.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON is truncated"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "malformed JSON"
}

// page reads ?limit= and ?cursor=.
func (c *call) page() (after int64, limit int, err error) {
	limit = 100
	if s := c.query("limit"); s != "" {
		n, perr := strconv.Atoi(s)
		if perr != nil || n < 1 || n > 500 {
			return 0, 0, &apiError{status: http.StatusBadRequest, code: api.CodeBadRequest, msg: "limit must be a whole number from 1 to 500.",
				fields: []api.FieldError{{Path: "limit", Message: "must be a whole number from 1 to 500"}}}
		}
		limit = n
	}
	if s := c.query("cursor"); s != "" {
		b, derr := base64.RawURLEncoding.DecodeString(s)
		n, perr := strconv.ParseInt(strings.TrimPrefix(string(b), "c"), 10, 64)
		if derr != nil || perr != nil || !strings.HasPrefix(string(b), "c") || n < 0 {
			return 0, 0, &apiError{status: http.StatusBadRequest, code: api.CodeBadRequest, msg: "cursor is not valid: pass the next_cursor of the previous page.",
				fields: []api.FieldError{{Path: "cursor", Message: "not a cursor of this API"}}}
		}
		after = n
	}
	return after, limit, nil
}

// pageOf wraps items and the position to continue after into a Page.
func pageOf[T any](items []T, next int64, err error) (*reply, error) {
	if err != nil {
		return nil, err
	}
	p := api.Page[T]{Items: items}
	if p.Items == nil {
		p.Items = []T{}
	}
	if next > 0 {
		p.NextCursor = base64.RawURLEncoding.EncodeToString([]byte("c" + strconv.FormatInt(next, 10)))
	}
	return ok(p, 0)
}

// listWith reads the page parameters and runs a store listing.
func listWith[T any](c *call, list func(after int64, limit int) ([]T, int64, error)) (*reply, error) {
	after, limit, err := c.page()
	if err != nil {
		return nil, err
	}
	items, next, err := list(after, limit)
	return pageOf(items, next, err)
}

// ifMatch refuses a write when If-Match names another version than current.
func (c *call) ifMatch(current int64) error {
	h := strings.TrimSpace(c.r.Header.Get(api.HeaderIfMatch))
	if h == "" || h == "*" {
		return nil
	}
	v := strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return badRequest("If-Match must be an ETag of this API, such as \"3\".")
	}
	if n != current {
		return preconditionFailed(current)
	}
	return nil
}

// actor is what the rules need to know about the caller.
func actor(userID string, r store.Roles) rules.Actor {
	roles := make([]rules.WorkspaceRole, len(r.WorkspaceRoles))
	for i, s := range r.WorkspaceRoles {
		roles[i] = rules.WorkspaceRole(s)
	}
	return rules.Actor{
		UserID:         userID,
		OrgRole:        rules.OrgRole(r.OrgRole),
		WorkspaceRole:  rules.EffectiveWorkspaceRole(rules.OrgRoleNone, roles...), // strongest own role; the rules fold in org admin
		InAnyWorkspace: r.InAnyWorkspace,
		APIKey:         r.APIKey,
	}
}

// seesMembersOf reports whether the caller, whose actor in organization orgID is a,
// sees that organization's members (rule 10, rules.CanSeeOrganizationMember).
func (c *call) seesMembersOf(orgID string, a rules.Actor, userID string) (bool, error) {
	if rules.CanSeeOrganizationMember(a, userID, nil) {
		return true, nil
	}
	byWS, err := c.workspaceRolesInOrganization(orgID)
	if err != nil {
		return false, err
	}
	var roles []rules.WorkspaceRole
	for _, rs := range byWS {
		for _, r := range rs {
			roles = append(roles, rules.WorkspaceRole(r))
		}
	}
	return rules.CanSeeOrganizationMember(a, userID, roles), nil
}

// memberListOrgs lists the organizations whose members the caller sees (rule 10).
func (c *call) memberListOrgs() ([]string, error) {
	orgRoles, err := c.organizationRoles()
	if err != nil {
		return nil, err
	}
	var out []string
	for orgID, role := range orgRoles {
		sees, err := c.seesMembersOf(orgID, rules.Actor{UserID: c.user.ID, OrgRole: rules.OrgRole(role)}, "")
		if err != nil {
			return nil, err
		}
		if sees {
			out = append(out, orgID)
		}
	}
	return out, nil
}

var errInvisible = errors.New("invisible")

func (c *call) orgRoles(orgID, wsID string) (api.Organization, rules.Actor, error) {
	o, err := c.tx.Organization(orgID)
	if err != nil {
		return o, rules.Actor{}, err
	}
	roles, err := c.roles(orgID, wsID)
	if err != nil {
		return o, rules.Actor{}, err
	}
	if !roles.OrgMember {
		return o, rules.Actor{}, errInvisible
	}
	return o, actor(c.user.ID, roles), nil
}

// audit records an event in the caller's name.
func (c *call) audit(action, entityType, entityID, orgID, wsID string, details map[string]string) error {
	return c.tx.InsertAuditEvent(&api.AuditEvent{ActorID: c.user.ID, Action: action, EntityType: entityType, EntityID: entityID,
		OrganizationID: orgID, WorkspaceID: wsID, Details: details})
}

// optional validates a value only when it is set.
func optional(field, v string, check func(field, v string) *rules.Violation) *rules.Violation {
	if v == "" {
		return nil
	}
	return check(field, v)
}

// taken returns the 409 of rules.CheckNameFree when another row already uses the
// value: a name as rules.SameName compares them (so after Unicode normalisation), a
// domain exactly.
func (c *call) taken(kind rules.NameKind, parentID, value, exceptID string) error {
	if kind == rules.NameCustomDomain {
		t, err := c.tx.Taken(string(kind), parentID, value, exceptID)
		if err != nil {
			return err
		}
		return check(rules.CheckNameFree(kind, value, t))
	}
	names, err := c.tx.NamesIn(string(kind), parentID, exceptID)
	if err != nil {
		return err
	}
	for _, n := range names {
		if rules.SameName(n, value) {
			v := rules.CheckNameFree(kind, value, true)
			if n != value {
				v.Message = strings.TrimSuffix(v.Message, ".") +
					fmt.Sprintf(" (as %q, the same name in another Unicode normalisation).", n)
			}
			return check(v)
		}
	}
	return nil
}

// byName is the keep filter of a ?name= look-up: names compared as rules.SameName.
func byName[T any](name string, nameOf func(T) string, also func(T) bool) func(T) bool {
	return func(v T) bool {
		if name != "" && !rules.SameName(nameOf(v), name) {
			return false
		}
		return also == nil || also(v)
	}
}

// changed lists the fields a PATCH sets, for audit details.
type changes []string

func (ch *changes) add(name string) { *ch = append(*ch, name) }
func (ch changes) details() map[string]string {
	if len(ch) == 0 {
		return nil
	}
	return map[string]string{"fields": strings.Join(ch, ",")}
}

// profilePatch is the part of a PATCH that organizations, workspaces, teams and
// credentials share: name, description and avatar_url (nil: not set by the PATCH;
// credentials have no avatar).
type profilePatch struct{ name, description, avatarURL *string }

// violations checks the fields the request sets.
func (p profilePatch) violations() []*rules.Violation {
	var vs []*rules.Violation
	if p.name != nil {
		vs = append(vs, rules.ValidateName("name", *p.name))
	}
	if p.description != nil {
		vs = append(vs, rules.ValidateDescription("description", *p.description))
	}
	if p.avatarURL != nil {
		vs = append(vs, optional("avatar_url", *p.avatarURL, rules.ValidateHTTPSURL))
	}
	return vs
}

// profile is an object's name, description and avatar, changed in place by
// applyProfile; kind and parentID say where its name must be unique (c.taken).
// avatarURL may be nil for an object without one, whose patches never set it.
type profile struct {
	kind                         rules.NameKind
	parentID, id                 string
	name, description, avatarURL *string
}

// applyProfile applies a PATCH's profile fields that differ from the object's,
// recording each in ch; a new name must not be taken.
func (c *call) applyProfile(to profile, p profilePatch, ch *changes) error {
	if p.name != nil && *p.name != *to.name {
		if err := c.taken(to.kind, to.parentID, *p.name, to.id); err != nil {
			return err
		}
		*to.name = *p.name
		ch.add("name")
	}
	if p.description != nil && *p.description != *to.description {
		*to.description = *p.description
		ch.add("description")
	}
	if p.avatarURL != nil && *p.avatarURL != *to.avatarURL {
		*to.avatarURL = *p.avatarURL
		ch.add("avatar_url")
	}
	return nil
}
