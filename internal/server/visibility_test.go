package server_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

func workspaceIDs(a *as, orgID string) []string {
	var ids []string
	for _, ws := range collect[api.Workspace](a, "/v1/organizations/"+orgID+"/workspaces") {
		ids = append(ids, ws.ID)
	}
	sort.Strings(ids)
	return ids
}

func sorted(ids ...string) []string {
	sort.Strings(ids)
	return ids
}

// TestWorkspaceVisibility is rule 10: a member who is not an organization admin sees
// the workspaces they are assigned to (directly or through a team) and those
// workspaces' memberships; every other workspace and the organization's member list
// are not-found. Organization admins see everything.
func TestWorkspaceVisibility(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "free")
	orgPath := "/v1/organizations/" + w.org.ID

	// The organization admin sees every workspace, membership and member.
	if got, want := workspaceIDs(w.orgAdmin, w.org.ID), sorted(w.ws.ID, w.other.ID); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("organization admin's workspaces: %v, want %v", got, want)
	}
	if ms := collect[api.OrganizationMembership](w.orgAdmin, orgPath+"/memberships"); len(ms) != 7 {
		t.Errorf("organization admin sees %d members, want 7", len(ms))
	}
	w.orgAdmin.do("GET", "/v1/workspaces/"+w.other.ID+"/memberships", nil).want(200)

	// A viewer of w.ws sees w.ws and its memberships, not w.other.
	if got := workspaceIDs(w.viewer, w.org.ID); len(got) != 1 || got[0] != w.ws.ID {
		t.Errorf("viewer's workspaces: %v, want only %s", got, w.ws.ID)
	}
	w.viewer.do("GET", "/v1/workspaces/"+w.ws.ID, nil).want(200)
	if ms := collect[api.WorkspaceMembership](w.viewer, "/v1/workspaces/"+w.ws.ID+"/memberships"); len(ms) != 4 {
		t.Errorf("viewer sees %d memberships of its workspace, want 4", len(ms))
	}
	for _, p := range []string{
		"/v1/workspaces/" + w.other.ID,
		"/v1/workspaces/" + w.other.ID + "/memberships",
		"/v1/workspaces/" + w.other.ID + "/credentials",
		orgPath + "/workspaces?name=staging",
	} {
		r := w.viewer.do("GET", p, nil)
		if strings.Contains(p, "?name=") {
			var page api.Page[api.Workspace]
			r.want(200).into(&page)
			if len(page.Items) != 0 {
				t.Errorf("viewer found an unassigned workspace by name: %+v", page.Items)
			}
			continue
		}
		e := r.wantErr(404, api.CodeNotFound)
		if strings.HasPrefix(p, "/v1/workspaces/"+w.other.ID) && !strings.Contains(e.Message, "not assigned") {
			t.Errorf("GET %s: the not-found does not say why it may be hidden: %s", p, e.Message)
		}
	}
	// The viewer's own access there is none (it says nothing of the workspace).
	if acc := get[api.Access](w.viewer, "/v1/me/access?organization_id="+w.org.ID+"&workspace_id="+w.other.ID); acc.WorkspaceRole != "" {
		t.Errorf("viewer's access in an unassigned workspace: %+v", acc)
	}
	// The organization's member list, and other members one by one, are not-found.
	w.viewer.do("GET", orgPath+"/memberships", nil).wantErr(404, api.CodeNotFound)
	w.viewer.do("GET", orgPath+"/memberships/"+w.editor.id, nil).wantErr(404, api.CodeNotFound)
	w.viewer.do("GET", "/v1/users/"+w.editor.id, nil).wantErr(404, api.CodeNotFound)
	if us := collect[api.User](w.viewer, "/v1/users"); len(us) != 1 || us[0].ID != w.viewer.id {
		t.Errorf("a viewer's user directory: %+v, want only itself", us)
	}
	// Its own membership stays readable (and it may leave).
	w.viewer.do("GET", orgPath+"/memberships/"+w.viewer.id, nil).want(200)

	// A member with no assignment sees no workspace at all.
	if got := workspaceIDs(w.member, w.org.ID); len(got) != 0 {
		t.Errorf("unassigned member's workspaces: %v", got)
	}
	w.member.do("GET", "/v1/workspaces/"+w.ws.ID, nil).wantErr(404, api.CodeNotFound)
	w.member.do("GET", "/v1/workspaces/"+w.ws.ID+"/memberships", nil).wantErr(404, api.CodeNotFound)

	// Assigned through a team, the member sees that workspace and its memberships.
	team := create[api.Team](w.admin, orgPath+"/teams", api.CreateTeamRequest{Name: "ops"})
	create[api.TeamMembership](w.admin, "/v1/teams/"+team.ID+"/memberships", api.CreateTeamMembershipRequest{UserID: w.member.id})
	create[api.WorkspaceMembership](w.admin, "/v1/workspaces/"+w.other.ID+"/memberships", api.CreateWorkspaceMembershipRequest{TeamID: team.ID, Role: "viewer"})
	if got := workspaceIDs(w.member, w.org.ID); len(got) != 1 || got[0] != w.other.ID {
		t.Errorf("member's workspaces through a team: %v, want only %s", got, w.other.ID)
	}
	w.member.do("GET", "/v1/workspaces/"+w.other.ID+"/memberships", nil).want(200)
	w.member.do("GET", "/v1/workspaces/"+w.ws.ID, nil).wantErr(404, api.CodeNotFound)

	// A workspace admin manages its workspace's memberships, so it finds the
	// organization's members one by one (not the list).
	w.wsAdmin.do("GET", orgPath+"/memberships/"+w.member.id, nil).want(200)
	w.wsAdmin.do("GET", "/v1/users/"+w.member.id, nil).want(200)
	w.wsAdmin.do("GET", orgPath+"/memberships", nil).wantErr(404, api.CodeNotFound)
	// And a member cannot change someone else's membership: not-found, not forbidden.
	w.viewer.do("PATCH", orgPath+"/memberships/"+w.editor.id, map[string]string{"role": "admin"}).wantErr(404, api.CodeNotFound)
}
