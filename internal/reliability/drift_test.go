package reliability

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/store"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

func driftConfig(prefix, secret string) string {
	return fmt.Sprintf(`
resource "flero_organization" "o" {
  name        = "%[1]s-org"
  description = "org as configured"
}

resource "flero_workspace" "w" {
  organization_id = flero_organization.o.id
  name            = "ws"
  description     = "ws as configured"
  custom_domain   = "%[1]s.example.com"
}

resource "flero_team" "t1" {
  organization_id = flero_organization.o.id
  name            = "team-1"
  description     = "team as configured"
}

resource "flero_team" "t2" {
  organization_id = flero_organization.o.id
  name            = "team-2"
}

resource "flero_organization_membership" "m" {
  organization_id = flero_organization.o.id
  email           = "%[1]s-member@example.com"
  role            = "member"
}

resource "flero_team_membership" "tm" {
  team_id = flero_team.t1.id
  user_id = flero_organization_membership.m.user_id
}

resource "flero_workspace_membership" "wmu" {
  workspace_id = flero_workspace.w.id
  user_id      = flero_organization_membership.m.user_id
  role         = "viewer"
}

resource "flero_workspace_membership" "wmt" {
  workspace_id = flero_workspace.w.id
  team_id      = flero_team.t2.id
  role         = "editor"
}

resource "flero_credential" "data" {
  workspace_id = flero_workspace.w.id
  name         = "with-data"
  type         = "slack_bot"
  data         = { token = "%[2]s-data" }
}

resource "flero_credential" "wo" {
  workspace_id    = flero_workspace.w.id
  name            = "with-data-wo"
  type            = "slack_bot"
  data_wo         = { token = "%[2]s-wo" }
  data_wo_version = 1
}

resource "flero_credential" "scoped" {
  workspace_id = flero_workspace.w.id
  name         = "scoped"
  type         = "smtp"
  scope        = "workspace"
  description  = "credential as configured"
  data         = { password = "%[2]s-scoped" }
}
`, prefix, secret)
}

func driftInventory(prefix string) inventory {
	org, admin, member := prefix+"-org", store.BootstrapEmail, prefix+"-member@example.com"
	inv := adminInventory()
	inv["user "+member] = ""
	inv["org "+org] = "plan=free desc=org as configured avatar= sso=0"
	inv["orgm "+org+" "+admin] = "role=admin"
	inv["orgm "+org+" "+member] = "role=member"
	inv["ws "+org+"/ws"] = "desc=ws as configured avatar= domain=" + prefix + ".example.com"
	inv["team "+org+"/team-1"] = "desc=team as configured avatar="
	inv["team "+org+"/team-2"] = "desc= avatar="
	inv["teamm "+org+"/team-1 "+member] = ""
	inv["wsm "+org+"/ws user:"+member] = "role=viewer"
	inv["wsm "+org+"/ws team:team-2"] = "role=editor"
	inv["cred "+org+"/ws/with-data"] = "type=slack_bot scope=workspace desc= status=active owner=" + admin
	inv["cred "+org+"/ws/with-data-wo"] = "type=slack_bot scope=workspace desc= status=active owner=" + admin
	inv["cred "+org+"/ws/scoped"] = "type=smtp scope=workspace desc=credential as configured status=active owner=" + admin
	return inv
}

// TestDrift: objects deleted out of band are planned for creation and re-created;
// attributes changed out of band are shown in the plan (their value → the
// configuration's) and put back; a credential whose secret is write-only (data_wo)
// deleted out of band is re-created from the configuration, and terraform destroy
// after more out-of-band deletions succeeds: nothing leaves the state stuck.
func TestDrift(t *testing.T) {
	terraformBinary(t)
	t.Parallel()
	fig := newFigures(t, "drift")
	srv := testserver.Start(t)
	c := apiClient(t, srv.URL, srv.AdminToken)
	ctx := context.Background()
	prefix := "dr-" + randomHex(3)
	secret := "drift-secret-" + randomHex(8)

	w := newWorkdir(t, srv.URL, srv.AdminToken)
	w.Write(-1, driftConfig(prefix, secret))
	w.MustRun("apply")
	serverMatches(t, srv.DBPath, driftInventory(prefix))
	ids := map[string]string{}
	for _, r := range w.State() {
		for _, attr := range []string{"id", "user_id", "organization_id", "workspace_id", "team_id"} {
			if v, ok := r.Attrs[attr].(string); ok {
				ids[r.Address+"."+attr] = v
			}
		}
	}
	check := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	orgID, wsID, memberID := ids["flero_organization.o.id"], ids["flero_workspace.w.id"], ids["flero_organization_membership.m.user_id"]

	// Out of band: deletions...
	check("delete team membership", c.TeamMemberships.Delete(ctx, ids["flero_team.t1.id"], memberID, client.WriteOptions{}))
	check("delete workspace membership", c.WorkspaceMemberships.Delete(ctx, wsID, client.PrincipalUser, memberID, client.WriteOptions{}))
	check("delete team-2 (and its workspace membership)", c.Teams.Delete(ctx, ids["flero_team.t2.id"], client.WriteOptions{}))
	check("delete credential with data", c.Credentials.Delete(ctx, ids["flero_credential.data.id"], client.WriteOptions{}))
	check("delete credential with data_wo", c.Credentials.Delete(ctx, ids["flero_credential.wo.id"], client.WriteOptions{}))
	deleted := []string{"flero_team_membership.tm", "flero_workspace_membership.wmu", "flero_team.t2",
		"flero_workspace_membership.wmt", "flero_credential.data", "flero_credential.wo"}
	// ... and changes.
	oob := "changed out of band"
	domain := prefix + "-oob.example.com"
	admin, personal := "admin", "personal"
	_, err := c.Organizations.Update(ctx, orgID, api.UpdateOrganizationRequest{Description: &oob}, client.WriteOptions{})
	check("change organization", err)
	_, err = c.Workspaces.Update(ctx, wsID, api.UpdateWorkspaceRequest{Description: &oob, CustomDomain: &domain}, client.WriteOptions{})
	check("change workspace", err)
	_, err = c.Teams.Update(ctx, ids["flero_team.t1.id"], api.UpdateTeamRequest{Description: &oob}, client.WriteOptions{})
	check("change team", err)
	_, err = c.OrganizationMemberships.Update(ctx, orgID, memberID, api.UpdateOrganizationMembershipRequest{Role: &admin}, client.WriteOptions{})
	check("change organization membership", err)
	_, err = c.Credentials.Update(ctx, ids["flero_credential.scoped.id"], api.UpdateCredentialRequest{Description: &oob, Scope: &personal}, client.WriteOptions{})
	check("change credential", err)
	changed := map[string]map[string][2]string{ // address → attribute → {out-of-band value, configured value}
		"flero_organization.o":            {"description": {oob, "org as configured"}},
		"flero_workspace.w":               {"description": {oob, "ws as configured"}, "custom_domain": {domain, prefix + ".example.com"}},
		"flero_team.t1":                   {"description": {oob, "team as configured"}},
		"flero_organization_membership.m": {"role": {admin, "member"}},
		"flero_credential.scoped":         {"description": {oob, "credential as configured"}, "scope": {personal, "workspace"}},
	}

	r := w.MustRun("plan", "-out=drift.tfplan")
	changes := resourceChanges(w.ShowJSON("drift.tfplan"))
	creates, updates := 0, 0
	for _, addr := range deleted {
		if ch := changes[addr]; !sameActions(ch.Actions, "create") {
			t.Errorf("%s was deleted out of band: want a create, got %v", addr, ch.Actions)
		} else {
			creates++
		}
	}
	for addr, attrs := range changed {
		ch := changes[addr]
		if !sameActions(ch.Actions, "update") {
			t.Errorf("%s was changed out of band: want an update, got %v", addr, ch.Actions)
			continue
		}
		updates++
		for attr, v := range attrs {
			if ch.Before[attr] != v[0] || ch.After[attr] != v[1] {
				t.Errorf("%s.%s: plan %v → %v, want %q → %q", addr, attr, ch.Before[attr], ch.After[attr], v[0], v[1])
			}
			// The human plan shows it too.
			if line := fmt.Sprintf("~ %s", attr); !strings.Contains(r.Out, line) || !strings.Contains(r.Out, fmt.Sprintf("%q -> %q", v[0], v[1])) {
				t.Errorf("the plan output does not show %s.%s going from %q to %q", addr, attr, v[0], v[1])
			}
		}
	}
	if n := len(changes); n != len(deleted)+len(changed) {
		var all []string
		for a, ch := range changes {
			all = append(all, fmt.Sprintf("%s %v", a, ch.Actions))
		}
		t.Errorf("the plan has %d changes, want %d: %s", n, len(deleted)+len(changed), strings.Join(all, "; "))
	}
	fig.Add("recreated", creates)
	fig.Add("put_back", updates)

	w.MustRun("apply", "drift.tfplan")
	dups, orphans := serverMatches(t, srv.DBPath, driftInventory(prefix))
	fig.Add("duplicates", dups)
	fig.Add("orphans", orphans)
	w.PlanIsEmpty()

	// The write-only credential deleted again, plus a team and a workspace membership:
	// destroy still ends cleanly.
	check("delete credential with data_wo", c.Credentials.Delete(ctx, w.StateID("flero_credential.wo"), client.WriteOptions{}))
	check("delete team-1", c.Teams.Delete(ctx, w.StateID("flero_team.t1"), client.WriteOptions{}))
	if r := w.Run("destroy"); r.Exit != 0 {
		t.Fatalf("destroy after out-of-band deletions: %s\n%s", r, tail(r.Out, 40))
	}
	if n := len(w.State()); n != 0 {
		t.Errorf("%d objects left in the state after destroy", n)
	}
	serverMatches(t, srv.DBPath, usersOf(driftInventory(prefix)))
}
