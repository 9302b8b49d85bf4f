package reliability

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/store"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// lostUpdateConfig is a small tenancy whose every changeable attribute takes desc and
// wsRole; withDoomed keeps a team that a later version deletes. With ids (from the
// state), references are replaced by the literal ids: Terraform then has no ordering
// between the updates, so that each one reaches the provider even when another fails
// (an update waits for the updates of what it references and is skipped when one
// fails).
func lostUpdateConfig(prefix, desc, wsRole string, withDoomed bool, ids map[string]string) string {
	ref := func(addr, attr string) string {
		if id, ok := ids[addr+"."+attr]; ok {
			return fmt.Sprintf("%q", id)
		}
		return addr + "." + attr
	}
	doomed := ""
	if withDoomed {
		doomed = fmt.Sprintf(`
resource "flero_team" "doomed" {
  organization_id = %s
  name            = "doomed"
  description     = "to be deleted"
}
`, ref("flero_organization.o2", "id"))
	}
	return fmt.Sprintf(`
# A second organization holds the team that is deleted.
resource "flero_organization" "o2" {
  name = "%[1]s-org2"
}

resource "flero_organization" "o" {
  name        = "%[1]s-org"
  description = %[2]q
}

resource "flero_workspace" "w" {
  organization_id = %[5]s
  name            = "ws"
  description     = %[2]q
}

resource "flero_team" "t" {
  organization_id = %[5]s
  name            = "team"
  description     = %[2]q
}

resource "flero_organization_membership" "m" {
  organization_id = %[5]s
  email           = "%[1]s-member@example.com"
  role            = "member"
}

resource "flero_workspace_membership" "wm" {
  workspace_id = %[6]s
  user_id      = %[7]s
  role         = %[3]q
}

resource "flero_credential" "c" {
  workspace_id = %[6]s
  name         = "cred"
  type         = "slack_bot"
  description  = %[2]q
  data         = { token = "lost-update-%[1]s" }
}
%[4]s`, prefix, desc, wsRole, doomed, ref("flero_organization.o", "id"), ref("flero_workspace.w", "id"),
		ref("flero_organization_membership.m", "user_id"))
}

// TestLostUpdate: a change made by someone else (with the API client) between
// terraform plan and terraform apply of the saved plan is not overwritten. Every update
// and the delete of the saved plan is sent with If-Match carrying the version the plan
// read; the server answers 412 and the apply reports, for each object, a conflict that
// names it. The other person's values stay on the server, and a fresh plan shows the
// real difference (their value → the configuration's), which then applies.
func TestLostUpdate(t *testing.T) {
	terraformBinary(t)
	t.Parallel()
	fig := newFigures(t, "lost_update")
	srv := testserver.Start(t)
	c := apiClient(t, srv.URL, srv.AdminToken)
	ctx := context.Background()
	prefix := "lu-" + randomHex(3)

	w := newWorkdir(t, srv.URL, srv.AdminToken)
	w.Write(-1, lostUpdateConfig(prefix, "v1", "viewer", true, nil))
	w.MustRun("apply")
	ids := map[string]string{}
	for _, r := range w.State() {
		for _, attr := range []string{"id", "user_id"} {
			if v, ok := r.Attrs[attr].(string); ok {
				ids[r.Address+"."+attr] = v
			}
		}
	}

	// The plan: every description to "planned", the workspace role to editor, the
	// doomed team deleted.
	w.Write(-1, lostUpdateConfig(prefix, "planned", "editor", false, ids))
	w.MustRun("plan", "-out=saved.tfplan")

	// Someone else changes each object after the plan.
	other := "changed by someone else"
	orgID, wsID, teamID, credID := ids["flero_organization.o.id"], ids["flero_workspace.w.id"], ids["flero_team.t.id"], ids["flero_credential.c.id"]
	doomedID, memberID := ids["flero_team.doomed.id"], ids["flero_organization_membership.m.user_id"]
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.Organizations.Update(ctx, orgID, api.UpdateOrganizationRequest{Description: &other}, client.WriteOptions{}))
	must(c.Workspaces.Update(ctx, wsID, api.UpdateWorkspaceRequest{Description: &other}, client.WriteOptions{}))
	must(c.Teams.Update(ctx, teamID, api.UpdateTeamRequest{Description: &other}, client.WriteOptions{}))
	must(c.Teams.Update(ctx, doomedID, api.UpdateTeamRequest{Description: &other}, client.WriteOptions{}))
	must(c.Credentials.Update(ctx, credID, api.UpdateCredentialRequest{Description: &other}, client.WriteOptions{}))
	admin := "admin"
	must(c.WorkspaceMemberships.Update(ctx, wsID, client.PrincipalUser, memberID, api.UpdateWorkspaceMembershipRequest{Role: &admin}, client.WriteOptions{}))

	// Applying the saved plan refuses every one of those writes.
	r := w.Run("apply", "saved.tfplan")
	if r.Exit == 0 {
		t.Fatalf("applying the saved plan over someone else's changes succeeded:\n%s", tail(r.Out, 40))
	}
	conflicts := regexp.MustCompile(`Error: Conflict: (.+) changed since the plan was made`).FindAllStringSubmatch(r.Out, -1)
	var named []string
	for _, m := range conflicts {
		named = append(named, m[1])
	}
	fig.Add("conflicts_reported", len(named))
	want := []string{
		fmt.Sprintf("organization %q", prefix+"-org"),
		`workspace "ws"`,
		`team "team"`,
		`team "doomed"`,
		`credential "cred"`,
		"workspace membership of user " + memberID,
	}
	for _, obj := range want {
		found := false
		for _, n := range named {
			if strings.HasPrefix(n, obj) {
				found = true
			}
		}
		if !found {
			t.Errorf("no conflict naming %s; conflicts reported: %q\n%s", obj, named, errorLines(r.Out, 20))
		}
	}
	if len(named) != len(want) {
		t.Errorf("%d conflicts reported, want %d: %q", len(named), len(want), named)
	}

	// Nothing was overwritten, nothing deleted.
	org, _ := c.Organizations.Get(ctx, orgID)
	ws, _ := c.Workspaces.Get(ctx, wsID)
	team, _ := c.Teams.Get(ctx, teamID)
	cred, _ := c.Credentials.Get(ctx, credID)
	wm, _ := c.WorkspaceMemberships.Get(ctx, wsID, client.PrincipalUser, memberID)
	doomed, derr := c.Teams.Get(ctx, doomedID)
	if org == nil || ws == nil || team == nil || cred == nil || wm == nil {
		t.Fatal("an object is gone after the refused apply")
	}
	for name, got := range map[string]string{"organization": org.Description, "workspace": ws.Description, "team": team.Description,
		"credential": cred.Description, "workspace membership role": wm.Role} {
		if got != other && got != admin {
			t.Errorf("%s was overwritten by the stale plan: %q", name, got)
		}
	}
	if derr != nil || doomed.Description != other {
		t.Errorf("the doomed team was deleted over someone else's change (err %v)", derr)
	}

	// A fresh plan shows the real difference.
	w.MustRun("plan", "-out=fresh.tfplan")
	plan := w.ShowJSON("fresh.tfplan")
	changes := resourceChanges(plan)
	for addr, wantBefore := range map[string]map[string]any{
		"flero_organization.o":          {"description": other},
		"flero_workspace.w":             {"description": other},
		"flero_team.t":                  {"description": other},
		"flero_credential.c":            {"description": other},
		"flero_workspace_membership.wm": {"role": admin},
	} {
		ch, ok := changes[addr]
		if !ok || !sameActions(ch.Actions, "update") {
			t.Errorf("fresh plan: %s: want an update, got %v", addr, ch.Actions)
			continue
		}
		for attr, before := range wantBefore {
			if ch.Before[attr] != before {
				t.Errorf("fresh plan: %s.%s before = %v, want %v (the other person's value)", addr, attr, ch.Before[attr], before)
			}
		}
	}
	if ch := changes["flero_team.doomed"]; !sameActions(ch.Actions, "delete") {
		t.Errorf("fresh plan: flero_team.doomed: want a delete, got %v", ch.Actions)
	}
	w.MustRun("apply", "fresh.tfplan")
	w.PlanIsEmpty()
}

// resourceChange is one entry of a JSON plan's resource_changes.
type resourceChange struct {
	Actions       []string
	Before, After map[string]any
}

func resourceChanges(plan map[string]any) map[string]resourceChange {
	out := map[string]resourceChange{}
	rcs, _ := plan["resource_changes"].([]any)
	for _, x := range rcs {
		rc, _ := x.(map[string]any)
		ch, _ := rc["change"].(map[string]any)
		var c resourceChange
		for _, a := range asSlice(ch["actions"]) {
			c.Actions = append(c.Actions, fmt.Sprint(a))
		}
		c.Before, _ = ch["before"].(map[string]any)
		c.After, _ = ch["after"].(map[string]any)
		out[fmt.Sprint(rc["address"])] = c
	}
	return out
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

func sameActions(got []string, want ...string) bool {
	return strings.Join(got, ",") == strings.Join(want, ",")
}

// TestDeleteAfterOutOfBandChange: an object changed outside Terraform, then removed from
// the configuration, is deleted by the next apply. Terraform plans the destroy of an
// object that left the configuration before it refreshes it, so the version the
// provider sends as If-Match must be read when the destroy is planned; with the last
// apply's version, every apply would fail with a conflict, for good.
func TestDeleteAfterOutOfBandChange(t *testing.T) {
	terraformBinary(t)
	t.Parallel()
	srv := testserver.Start(t)
	c := apiClient(t, srv.URL, srv.AdminToken)
	ctx := context.Background()
	prefix := "od-" + randomHex(3)

	keep := fmt.Sprintf(`
resource "flero_organization" "o" {
  name = "%[1]s-org"
  plan = "enterprise"
}
`, prefix)
	doomed := `
resource "flero_organization" "gone" {
  name = "` + prefix + `-gone"
}

resource "flero_workspace" "w" {
  organization_id = flero_organization.o.id
  name            = "ws"
}

resource "flero_team" "t" {
  organization_id = flero_organization.o.id
  name            = "team"
}

resource "flero_organization_membership" "m" {
  organization_id = flero_organization.o.id
  email           = "` + prefix + `-member@example.com"
  role            = "member"
}

resource "flero_workspace_membership" "wm" {
  workspace_id = flero_workspace.w.id
  team_id      = flero_team.t.id
  role         = "viewer"
}

resource "flero_credential" "c" {
  workspace_id = flero_workspace.w.id
  name         = "cred"
  type         = "slack_bot"
  data         = { token = "` + prefix + `" }
}
`
	w := newWorkdir(t, srv.URL, srv.AdminToken)
	w.Write(-1, keep+doomed)
	w.MustRun("apply")
	orgID, wsID, teamID := w.StateID("flero_organization.o"), w.StateID("flero_workspace.w"), w.StateID("flero_team.t")
	var memberID string
	for _, r := range w.State() {
		if r.Address == "flero_organization_membership.m" {
			memberID, _ = r.Attrs["user_id"].(string)
		}
	}
	oob, admin, editor := "changed out of band", "admin", "editor"
	for what, err := range map[string]error{
		"organization": second(c.Organizations.Update(ctx, w.StateID("flero_organization.gone"), api.UpdateOrganizationRequest{Description: &oob}, client.WriteOptions{})),
		"workspace":    second(c.Workspaces.Update(ctx, wsID, api.UpdateWorkspaceRequest{Description: &oob}, client.WriteOptions{})),
		"team":         second(c.Teams.Update(ctx, teamID, api.UpdateTeamRequest{Description: &oob}, client.WriteOptions{})),
		"membership":   second(c.OrganizationMemberships.Update(ctx, orgID, memberID, api.UpdateOrganizationMembershipRequest{Role: &admin}, client.WriteOptions{})),
		"ws membership": second(c.WorkspaceMemberships.Update(ctx, wsID, client.PrincipalTeam, teamID,
			api.UpdateWorkspaceMembershipRequest{Role: &editor}, client.WriteOptions{})),
		"credential": second(c.Credentials.Update(ctx, w.StateID("flero_credential.c"), api.UpdateCredentialRequest{Description: &oob}, client.WriteOptions{})),
	} {
		if err != nil {
			t.Fatalf("change %s out of band: %v", what, err)
		}
	}

	w.Write(-1, keep)
	if r := w.Run("apply"); r.Exit != 0 {
		t.Fatalf("deleting objects changed out of band failed (%s):\n%s", r, errorLines(r.Out, 12))
	}
	if n := len(w.State()); n != 1 {
		t.Errorf("%d objects in the state, want 1", n)
	}
	inv := adminInventory()
	inv["org "+prefix+"-org"] = "plan=enterprise desc= avatar= sso=0"
	inv["orgm "+prefix+"-org "+store.BootstrapEmail] = "role=admin"
	inv["user "+prefix+"-member@example.com"] = ""
	serverMatches(t, srv.DBPath, inv)
}

func second[T any](_ T, err error) error { return err }
