package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/store"
)

// Flero API keys (rule 14): created in an organization (by its admins) or in a
// workspace (by its admins and owners, or the organization's admins); the secret is in
// the creation's answer only and stored hashed; a revocation or a change of expiry
// invalidates the auth cache. A key authenticates like a user token and acts with the
// reach rules.APIKeyStanding gives it: the call's roles below are the key's, never a
// user's.

// reach is where the caller's key acts.
func reach(k *store.APIKey) rules.APIKeyReach {
	return rules.APIKeyReach{OrganizationID: k.OrganizationID, WorkspaceID: k.WorkspaceID}
}

// roles is the caller's standing in an organization and, when wsID is set, in that
// workspace: a user's memberships, or a key's reach.
func (c *call) roles(orgID, wsID string) (store.Roles, error) {
	if c.key == nil {
		return c.tx.Roles(c.user.ID, orgID, wsID)
	}
	s := rules.APIKeyStanding(reach(c.key), orgID, wsID)
	r := store.Roles{OrgMember: s.OrgMember, OrgRole: string(s.OrgRole), InAnyWorkspace: s.InAnyWorkspace, APIKey: true}
	if s.WorkspaceRole != rules.WorkspaceRoleNone {
		r.WorkspaceRoles = []string{string(s.WorkspaceRole)}
	}
	return r, nil
}

// workspaceRolesInOrganization is the caller's own roles in each workspace of an
// organization.
func (c *call) workspaceRolesInOrganization(orgID string) (map[string][]string, error) {
	if c.key == nil {
		return c.tx.WorkspaceRolesInOrganization(c.user.ID, orgID)
	}
	out := map[string][]string{}
	for ws, role := range rules.APIKeyStanding(reach(c.key), orgID, "").Workspaces {
		out[ws] = []string{string(role)}
	}
	return out, nil
}

// organizationRoles is the caller's role in each organization it belongs to.
func (c *call) organizationRoles() (map[string]string, error) {
	if c.key == nil {
		return c.tx.OrganizationRoles(c.user.ID)
	}
	s := rules.APIKeyStanding(reach(c.key), c.key.OrganizationID, "")
	return map[string]string{c.key.OrganizationID: string(s.OrgRole)}, nil
}

// ownerID is the user who owns what the caller creates: the caller, or the user who
// created the caller's key.
func (c *call) ownerID() string {
	if c.key != nil {
		return c.key.CreatedBy
	}
	return c.user.ID
}

// storedAPIKey is what the idempotency store keeps of a key's creation.
type storedAPIKey struct {
	ID string `json:"id"`
}

// refuseScope refuses a key's creation or change that sets a scope, with the reason
// (rule 14) rather than as an unknown field.
func refuseScope(c *call) error {
	var raw map[string]json.RawMessage
	if checkJSONInput(c.body) == nil && json.Unmarshal(c.body, &raw) == nil {
		for k := range raw {
			if strings.EqualFold(k, "scope") {
				return validate(rules.CheckAPIKeyScopeAttribute("scope", true))
			}
		}
	}
	return nil
}

// decodeAPIKeyCreate reads a key's creation body.
func decodeAPIKeyCreate(c *call) (api.CreateAPIKeyRequest, error) {
	if err := refuseScope(c); err != nil {
		return api.CreateAPIKeyRequest{}, err
	}
	req, err := decode[api.CreateAPIKeyRequest](c)
	if err != nil {
		return req, err
	}
	return req, validate(rules.ValidateName("name", req.Name), rules.ValidateAPIKeyExpiry("expires_at", req.ExpiresAt, time.Now()))
}

func createOrganizationAPIKey(c *call) (*reply, error) {
	o, a, err := c.org(c.path("organization_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManageAPIKey(a, false)); err != nil {
		return nil, err
	}
	return c.createAPIKey(o.ID, "")
}

func createWorkspaceAPIKey(c *call) (*reply, error) {
	ws, _, a, err := c.workspace(c.path("workspace_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManageAPIKey(a, true)); err != nil {
		return nil, err
	}
	return c.createAPIKey(ws.OrganizationID, ws.ID)
}

func (c *call) createAPIKey(orgID, wsID string) (*reply, error) {
	req, err := decodeAPIKeyCreate(c)
	if err != nil {
		return nil, err
	}
	var expires time.Time
	if req.ExpiresAt != nil {
		expires = req.ExpiresAt.UTC()
	}
	secret := store.NewToken()
	k, err := c.tx.InsertAPIKey(orgID, wsID, store.HashToken(secret), req.Name, c.ownerID(), expires)
	if err != nil {
		return nil, err
	}
	if err := c.audit("created", "api_key", k.ID, orgID, wsID, map[string]string{"name": k.Name}); err != nil {
		return nil, err
	}
	out := k.API()
	out.Key = secret
	rep, err := created(out, 0)
	if err != nil {
		return nil, err
	}
	rep.stored, err = json.Marshal(storedAPIKey{ID: k.ID})
	return rep, err
}

// replayCreateAPIKey answers a retried key creation: the key exists, and its secret
// was shown once, in the first answer.
func replayCreateAPIKey(c *call, stored []byte) (*reply, error) {
	var st storedAPIKey
	if err := json.Unmarshal(stored, &st); err != nil || st.ID == "" {
		return nil, fmt.Errorf("stored api key reply: %w", err)
	}
	k, err := c.tx.APIKeyByID(st.ID)
	if err != nil {
		return nil, err
	}
	out := k.API()
	out.AlreadyIssued = true
	return ok(out, 0)
}

func listOrganizationAPIKeys(c *call) (*reply, error) {
	o, a, err := c.org(c.path("organization_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManageAPIKey(a, false)); err != nil {
		return nil, err
	}
	return c.listAPIKeys(o.ID, "")
}

func listWorkspaceAPIKeys(c *call) (*reply, error) {
	ws, _, a, err := c.workspace(c.path("workspace_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManageAPIKey(a, true)); err != nil {
		return nil, err
	}
	return c.listAPIKeys(ws.OrganizationID, ws.ID)
}

func (c *call) listAPIKeys(orgID, wsID string) (*reply, error) {
	return listWith(c, func(after int64, limit int) ([]api.APIKey, int64, error) {
		items, next, err := c.tx.ListAPIKeys(orgID, wsID, after, limit)
		out := make([]api.APIKey, len(items))
		for i, k := range items {
			out[i] = c.withPendingUse(k).API()
		}
		return out, next, err
	})
}

// withPendingUse folds in a use the server remembers but has not stored yet.
func (c *call) withPendingUse(k store.APIKey) store.APIKey {
	if at, ok := c.s.used.peek(k.ID); ok && at.After(k.LastUsedAt) {
		k.LastUsedAt = at
	}
	return k
}

// apiKey loads a key the caller manages (others: 404, whatever the reason).
func (c *call) apiKey(id string) (store.APIKey, error) {
	k, err := c.tx.APIKeyByID(id)
	if errors.Is(err, store.ErrNotFound) {
		return k, notFound("API key", id)
	} else if err != nil {
		return k, err
	}
	_, a, err := c.orgRoles(k.OrganizationID, k.WorkspaceID)
	if errors.Is(err, errInvisible) || (err == nil && !rules.CanManageAPIKey(a, k.WorkspaceID != "")) {
		return k, notFound("API key", id)
	}
	return k, err
}

func getAPIKey(c *call) (*reply, error) {
	k, err := c.apiKey(c.path("api_key_id"))
	if err != nil {
		return nil, err
	}
	return ok(c.withPendingUse(k).API(), 0)
}

func updateAPIKey(c *call) (*reply, error) {
	k, err := c.apiKey(c.path("api_key_id"))
	if err != nil {
		return nil, err
	}
	if err := refuseScope(c); err != nil {
		return nil, err
	}
	req, err := decode[api.UpdateAPIKeyRequest](c)
	if err != nil {
		return nil, err
	}
	if err := validate(optional("name", deref(req.Name), rules.ValidateName), rules.ValidateAPIKeyExpiry("expires_at", req.ExpiresAt, time.Now())); err != nil {
		return nil, err
	}
	if req.Name != nil && *req.Name == "" {
		return nil, validate(rules.ValidateName("name", ""))
	}
	if !k.RevokedAt.IsZero() {
		return nil, conflict("", "API key %q is revoked: it cannot be changed; create a new one.", k.ID)
	}
	var ch changes
	if req.Name != nil && *req.Name != k.Name {
		k.Name = *req.Name
		ch.add("name")
	}
	if req.ExpiresAt != nil && !req.ExpiresAt.UTC().Equal(k.ExpiresAt) {
		k.ExpiresAt = req.ExpiresAt.UTC()
		ch.add("expires_at")
		c.revoked = true // the cached expiry is stale
	}
	if len(ch) > 0 {
		if err := c.tx.UpdateAPIKey(k); err != nil {
			return nil, err
		}
		if err := c.audit("updated", "api_key", k.ID, k.OrganizationID, k.WorkspaceID, ch.details()); err != nil {
			return nil, err
		}
	}
	return ok(c.withPendingUse(k).API(), 0)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func revokeAPIKey(c *call) (*reply, error) {
	id := c.path("api_key_id")
	k, err := c.apiKey(id)
	if err != nil {
		return nil, err
	}
	if !k.RevokedAt.IsZero() {
		return nil, &apiError{status: http.StatusNotFound, code: api.CodeNotFound, msg: fmt.Sprintf("API key %q was not found (or is already revoked).", id)}
	}
	if err := c.tx.RevokeAPIKey(k.ID, time.Now()); err != nil {
		return nil, err
	}
	c.revoked = true
	if err := c.audit("revoked", "api_key", k.ID, k.OrganizationID, k.WorkspaceID, nil); err != nil {
		return nil, err
	}
	return noContent()
}

// authenticateAPIKey finds the key with this hash (a token's was not found): a revoked
// key is refused like an unknown token, an expired one by admit.
func (s *Server) authenticateAPIKey(tx *store.Tx, hash string, gen uint64) (authEntry, error) {
	k, err := tx.APIKeyByHash(hash)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !k.RevokedAt.IsZero()) {
		return authEntry{}, &apiError{status: http.StatusUnauthorized, code: api.CodeUnauthorized, msg: "The token is not valid (unknown or revoked)."}
	}
	if err != nil {
		return authEntry{}, err
	}
	u := store.User{User: api.User{ID: k.ID, Name: k.Name, Status: string(rules.StatusActive), CreatedAt: k.CreatedAt}}
	e := authEntry{user: u, tokenID: k.ID, expires: k.ExpiresAt, key: &k, gen: gen}
	s.auth.put(hash, e)
	return s.admit(e)
}
