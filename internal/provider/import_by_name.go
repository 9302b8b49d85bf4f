package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/framework"
)

// Import by human name: every resource imports by its ids and by the names on the way to
// it (framework.ImportForms: "/"-separated, percent-decoded segments). The forms of each
// resource are below; the functions after them turn names into objects through the API.

var (
	organizationImportForms = framework.ImportForms{
		{Format: "<organization_id>", Example: "org_0a1b2c3d4e5f60718293a4b5"},
		{Format: "<organization_name>", Example: "acme"},
	}
	workspaceImportForms = framework.ImportForms{
		{Format: "<workspace_id>", Example: "ws_0a1b2c3d4e5f60718293a4b5"},
		{Format: "<organization>/<workspace_name>", Example: "acme/payments"},
	}
	teamImportForms = framework.ImportForms{
		{Format: "<team_id>", Example: "team_0a1b2c3d4e5f60718293a4b5"},
		{Format: "<organization>/<team_name>", Example: "acme/sre"},
	}
	organizationMembershipImportForms = framework.ImportForms{
		{Format: "<organization>/<email>", Example: "acme/alice@example.com"},
		{Format: "<organization>/<user_id>", Example: "acme/usr_0a1b2c3d4e5f60718293a4b5"},
	}
	teamMembershipImportForms = framework.ImportForms{
		{Format: "<team_id>/<user_id>", Example: "team_0a1b…/usr_0a1b…"},
		{Format: "<team_id>/<email>", Example: "team_0a1b…/alice@example.com"},
		{Format: "<organization>/<team_name>/<email>", Example: "acme/sre/alice@example.com"},
		{Format: "<organization>/<team_name>/<user_id>", Example: "acme/sre/usr_0a1b…"},
	}
	workspaceMembershipImportForms = framework.ImportForms{
		{Format: "<workspace>/<email>", Example: "acme/payments/alice@example.com"},
		{Format: "<workspace>/user/<user_id or email>", Example: "ws_0a1b…/user/usr_0a1b…"},
		{Format: "<workspace>/team/<team_id or team_name>", Example: "acme/payments/team/sre"},
	}
	credentialImportForms = framework.ImportForms{
		{Format: "<credential_id>", Example: "cred_0a1b2c3d4e5f60718293a4b5"},
		{Format: "<workspace_id>/<credential_name>", Example: "ws_0a1b…/slack-bot"},
		{Format: "<organization>/<workspace_name>/<credential_name>", Example: "acme/payments/slack-bot"},
	}
)

// resolveOrganization finds an organization by id, or by name when no organization
// has that id.
func resolveOrganization(ctx context.Context, c *client.Client, seg framework.ImportSegment) (*api.Organization, error) {
	if framework.LooksLikeID("org", seg.Value) {
		org, err := c.Organizations.Get(ctx, seg.Value)
		if !framework.IsNotFound(err) {
			return org, err
		}
	}
	return c.Organizations.GetByName(ctx, seg.Value)
}

// resolveWorkspace finds a workspace by <workspace_id> (one segment) or
// <organization>/<workspace_name> (two).
func resolveWorkspace(ctx context.Context, c *client.Client, segs []framework.ImportSegment) (*api.Workspace, error) {
	if len(segs) == 1 {
		return c.Workspaces.Get(ctx, segs[0].Value)
	}
	org, err := resolveOrganization(ctx, c, segs[0])
	if err != nil {
		return nil, err
	}
	return c.Workspaces.GetByName(ctx, org.ID, segs[1].Value)
}

// resolveTeam finds a team by <team_id> (one segment) or <organization>/<team_name>
// (two).
func resolveTeam(ctx context.Context, c *client.Client, segs []framework.ImportSegment) (*api.Team, error) {
	if len(segs) == 1 {
		return c.Teams.Get(ctx, segs[0].Value)
	}
	org, err := resolveOrganization(ctx, c, segs[0])
	if err != nil {
		return nil, err
	}
	return c.Teams.GetByName(ctx, org.ID, segs[1].Value)
}

// resolveTeamIn finds a team of the organization by id or by name.
func resolveTeamIn(ctx context.Context, c *client.Client, orgID string, seg framework.ImportSegment) (*api.Team, error) {
	if framework.LooksLikeID("team", seg.Value) {
		team, err := c.Teams.Get(ctx, seg.Value)
		if err == nil && team.OrganizationID == orgID {
			return team, nil
		}
		if err != nil && !framework.IsNotFound(err) {
			return nil, err
		}
	}
	return c.Teams.GetByName(ctx, orgID, seg.Value)
}

// resolveMember finds a member of the organization by email or user id.
func resolveMember(ctx context.Context, c *client.Client, orgID string, seg framework.ImportSegment) (*api.OrganizationMembership, error) {
	if isEmail(seg.Value) {
		return c.OrganizationMemberships.GetByEmail(ctx, orgID, seg.Value)
	}
	return c.OrganizationMemberships.Get(ctx, orgID, seg.Value)
}

func isEmail(s string) bool { return strings.Contains(s, "@") }

// workspaceMembershipRef is a parsed workspace membership import id.
type workspaceMembershipRef struct {
	workspace     []framework.ImportSegment // <workspace_id> or <organization>/<workspace_name>
	principalType string                    // client.PrincipalUser or client.PrincipalTeam
	principal     framework.ImportSegment   // user id or email; team id or name
}

// parseWorkspaceMembershipRef reads <workspace>/<email>, <workspace>/user/<user> and
// <workspace>/team/<team>, where <workspace> is <workspace_id> or
// <organization>/<workspace_name>.
func parseWorkspaceMembershipRef(id string) (workspaceMembershipRef, error) {
	const what = "workspace membership"
	segs, err := workspaceMembershipImportForms.Split(what, id)
	if err != nil {
		return workspaceMembershipRef{}, err
	}
	n := len(segs)
	ref := workspaceMembershipRef{principalType: client.PrincipalUser}
	switch {
	case n >= 3 && (segs[n-2].Is(client.PrincipalUser) || segs[n-2].Is(client.PrincipalTeam)):
		ref.workspace, ref.principalType, ref.principal = segs[:n-2], segs[n-2].Raw, segs[n-1]
	case n >= 2 && isEmail(segs[n-1].Value):
		ref.workspace, ref.principal = segs[:n-1], segs[n-1]
	default:
		return ref, workspaceMembershipImportForms.Error(what, id, "it names no user (an email, or user/<user_id>) or team (team/<team>)")
	}
	if len(ref.workspace) > 2 {
		return ref, workspaceMembershipImportForms.Error(what, id, fmt.Sprintf("%d parts before the member, want 1 (<workspace_id>) or 2 (<organization>/<workspace_name>)", len(ref.workspace)))
	}
	return ref, nil
}

// byID reports whether the reference holds only ids (no look-up needed).
func (r workspaceMembershipRef) byID() bool {
	if len(r.workspace) != 1 {
		return false
	}
	if r.principalType == client.PrincipalTeam {
		return framework.LooksLikeID("team", r.principal.Value)
	}
	return !isEmail(r.principal.Value)
}

// importSpec is how a resource reads its import id.
type importSpec struct {
	what  string
	forms framework.ImportForms
	// parts are the accepted numbers of segments.
	parts []int
	// check refuses ids of the right number of parts that still fit no form.
	check func(what, id string, segs []framework.ImportSegment, forms framework.ImportForms) error
	// offline returns the import stub when the id needs no look-up (ids only).
	offline func(segs []framework.ImportSegment) (map[string]string, bool)
	// resolve looks the names up and returns the import stub.
	resolve func(ctx context.Context, c *client.Client, segs []framework.ImportSegment) (map[string]string, error)
}

// importState is the ImportState of a resource imported by id or by name: the stub
// holds the attributes that the following Read needs (the ids), Read fills in the rest.
func (s importSpec) importState(ctx context.Context, r *framework.ResourceWithConfigure, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	segs, err := s.forms.Split(s.what, req.ID)
	if err == nil && !slices.Contains(s.parts, len(segs)) {
		err = s.forms.Error(s.what, req.ID, fmt.Sprintf(`it has %d parts (write a "/" in a name as %%2F)`, len(segs)))
	}
	if err == nil && s.check != nil {
		err = s.check(s.what, req.ID, segs, s.forms)
	}
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", err.Error())
		return
	}
	stub, ok := map[string]string(nil), false
	if s.offline != nil {
		stub, ok = s.offline(segs)
	}
	if !ok {
		if !r.Configured(&resp.Diagnostics) {
			return
		}
		stub, err = s.resolve(ctx, r.Client(), segs)
		if err != nil {
			framework.AddAPIError(&resp.Diagnostics, "import", fmt.Sprintf("%s %q", s.what, req.ID), err)
			return
		}
	}
	for name, v := range stub {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), v)...)
	}
}

// byIDWhenOnePart is the offline stub of a resource whose one-part import id is its id.
func byIDWhenOnePart(segs []framework.ImportSegment) (map[string]string, bool) {
	if len(segs) != 1 {
		return nil, false
	}
	return map[string]string{"id": segs[0].Value}, true
}

// onePartIsID refuses a one-part import id that is not an id with this prefix (a bare
// name, which needs its organization).
func onePartIsID(prefix string) func(what, id string, segs []framework.ImportSegment, forms framework.ImportForms) error {
	return func(what, id string, segs []framework.ImportSegment, forms framework.ImportForms) error {
		if len(segs) == 1 && !framework.LooksLikeID(prefix, segs[0].Value) {
			return forms.Error(what, id, fmt.Sprintf("one part must be the %s's id (%s_…); a name needs the names before it", what, prefix))
		}
		return nil
	}
}

var (
	workspaceImport = importSpec{
		what: "workspace", forms: workspaceImportForms, parts: []int{1, 2}, check: onePartIsID("ws"), offline: byIDWhenOnePart,
		resolve: func(ctx context.Context, c *client.Client, segs []framework.ImportSegment) (map[string]string, error) {
			ws, err := resolveWorkspace(ctx, c, segs)
			if err != nil {
				return nil, err
			}
			return map[string]string{"id": ws.ID, "organization_id": ws.OrganizationID}, nil
		},
	}
	teamImport = importSpec{
		what: "team", forms: teamImportForms, parts: []int{1, 2}, check: onePartIsID("team"), offline: byIDWhenOnePart,
		resolve: func(ctx context.Context, c *client.Client, segs []framework.ImportSegment) (map[string]string, error) {
			team, err := resolveTeam(ctx, c, segs)
			if err != nil {
				return nil, err
			}
			return map[string]string{"id": team.ID, "organization_id": team.OrganizationID}, nil
		},
	}
	credentialImport = importSpec{
		what: "credential", forms: credentialImportForms, parts: []int{1, 2, 3}, check: onePartIsID("cred"), offline: byIDWhenOnePart,
		resolve: func(ctx context.Context, c *client.Client, segs []framework.ImportSegment) (map[string]string, error) {
			n := len(segs)
			ws, err := resolveWorkspace(ctx, c, segs[:n-1])
			if err != nil {
				return nil, err
			}
			cred, err := c.Credentials.GetByName(ctx, ws.ID, segs[n-1].Value)
			if err != nil {
				return nil, err
			}
			return map[string]string{"id": cred.ID, "workspace_id": cred.WorkspaceID, "organization_id": cred.OrganizationID}, nil
		},
	}
	teamMembershipImport = importSpec{
		what: "team membership", forms: teamMembershipImportForms, parts: []int{2, 3},
		offline: func(segs []framework.ImportSegment) (map[string]string, bool) {
			if len(segs) != 2 || isEmail(segs[1].Value) {
				return nil, false
			}
			return map[string]string{"id": segs[0].Value + "/" + segs[1].Value, "team_id": segs[0].Value, "user_id": segs[1].Value}, true
		},
		resolve: func(ctx context.Context, c *client.Client, segs []framework.ImportSegment) (map[string]string, error) {
			n := len(segs)
			team, err := resolveTeam(ctx, c, segs[:n-1])
			if err != nil {
				return nil, err
			}
			m, err := resolveMember(ctx, c, team.OrganizationID, segs[n-1])
			if err != nil {
				return nil, err
			}
			return map[string]string{"id": team.ID + "/" + m.UserID, "team_id": team.ID, "user_id": m.UserID}, nil
		},
	}
)

// resolve looks up the workspace and the member by name.
func (r workspaceMembershipRef) resolve(ctx context.Context, c *client.Client) (workspaceID, principalID string, err error) {
	ws, err := resolveWorkspace(ctx, c, r.workspace)
	if err != nil {
		return "", "", err
	}
	if r.principalType == client.PrincipalTeam {
		team, err := resolveTeamIn(ctx, c, ws.OrganizationID, r.principal)
		if err != nil {
			return "", "", err
		}
		return ws.ID, team.ID, nil
	}
	m, err := resolveMember(ctx, c, ws.OrganizationID, r.principal)
	if err != nil {
		return "", "", err
	}
	return ws.ID, m.UserID, nil
}

var organizationMembershipImport = importSpec{
	what: "organization membership", forms: organizationMembershipImportForms, parts: []int{2},
	resolve: func(ctx context.Context, c *client.Client, segs []framework.ImportSegment) (map[string]string, error) {
		org, err := resolveOrganization(ctx, c, segs[0])
		if err != nil {
			return nil, err
		}
		m, err := resolveMember(ctx, c, org.ID, segs[1])
		if err != nil {
			return nil, err
		}
		return map[string]string{"id": org.ID + "/" + m.UserID, "organization_id": org.ID, "user_id": m.UserID, "email": m.Email}, nil
	},
}
