package reliability

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// errorBlocks splits a terraform output into its error diagnostics (summary and the
// lines that follow, up to the next diagnostic).
func errorBlocks(out string) []string {
	var blocks []string
	var cur *strings.Builder
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimPrefix(strings.TrimPrefix(l, "│ "), "│")
		switch {
		case strings.HasPrefix(l, "Error: "):
			if cur != nil {
				blocks = append(blocks, cur.String())
			}
			cur = &strings.Builder{}
		case strings.HasPrefix(l, "Warning: "), strings.HasPrefix(l, "╵"):
			if cur != nil {
				blocks = append(blocks, cur.String())
				cur = nil
			}
			continue
		}
		if cur != nil {
			cur.WriteString(l + "\n")
		}
	}
	if cur != nil {
		blocks = append(blocks, cur.String())
	}
	return blocks
}

// blockAbout returns the error block that mentions what (a resource address or an id).
func blockAbout(blocks []string, what string) string {
	for _, b := range blocks {
		if strings.Contains(b, what) {
			return b
		}
	}
	return ""
}

var notFoundRe = regexp.MustCompile(`(?i)not found|does not exist|non-existent|cannot see|\bno \w+ named`)

// TestAuthorizationThroughTerraform drives Terraform with other users' tokens:
//   - a viewer's and an editor's token cannot change, create or delete a workspace
//     credential: the plan fails with the rule's error, and the server is unchanged;
//   - a member of another organization sees none of its objects: data sources and
//     imports of the organization, its workspace, team and credential fail with "not
//     found" (a 404, never a 403 that would confirm they exist);
//   - a personal credential, created through Terraform by its owner, is invisible to
//     every other user, the organization's admin included.
func TestAuthorizationThroughTerraform(t *testing.T) {
	terraformBinary(t)
	t.Parallel()
	fig := newFigures(t, "authorization")
	srv := testserver.Start(t)
	admin := apiClient(t, srv.URL, srv.AdminToken)
	ctx := context.Background()
	prefix := "az-" + randomHex(3)

	org, err := admin.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: prefix + "-org", Plan: "enterprise"})
	if err != nil {
		t.Fatal(err)
	}
	ws, _ := admin.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "ws"})
	team, _ := admin.Teams.Create(ctx, org.ID, api.CreateTeamRequest{Name: "team"})
	cred, err := admin.Credentials.Create(ctx, ws.ID, api.CreateCredentialRequest{Name: "shared", Type: "slack_bot",
		Description: "as the admin left it", Data: map[string]string{"token": "authz-" + randomHex(8)}})
	if err != nil || ws == nil || team == nil {
		t.Fatalf("fixture: %v", err)
	}
	member := func(email, role string) (string, string) {
		id, tok := srv.CreateUser(t, email)
		if _, err := admin.OrganizationMemberships.Create(ctx, org.ID, api.CreateOrganizationMembershipRequest{Email: email, Role: "member"}); err != nil {
			t.Fatal(err)
		}
		if _, err := admin.WorkspaceMemberships.Create(ctx, ws.ID, api.CreateWorkspaceMembershipRequest{UserID: id, Role: role}); err != nil {
			t.Fatal(err)
		}
		return id, tok
	}
	_, viewerTok := member(prefix+"-viewer@example.com", "viewer")
	editorID, editorTok := member(prefix+"-editor@example.com", "editor")
	_, outsiderTok := srv.CreateUser(t, prefix+"-outsider@example.com")
	if _, err := apiClient(t, srv.URL, outsiderTok).Organizations.Create(ctx, api.CreateOrganizationRequest{Name: prefix + "-other"}); err != nil {
		t.Fatal(err)
	}
	credsBefore := countRows(t, srv.DBPath, "credentials")

	// 1. Viewer and editor: change, create, delete a workspace credential.
	changeCfg := fmt.Sprintf(`
import {
  to = flero_credential.shared
  id = %[1]q
}

resource "flero_credential" "shared" {
  workspace_id    = %[2]q
  name            = "shared"
  type            = "slack_bot"
  description     = "changed by the %[3]s"
  data_wo         = { token = "new" }
  data_wo_version = 1
}

resource "flero_credential" "new" {
  workspace_id    = %[2]q
  name            = "new-by-%[3]s"
  type            = "slack_bot"
  data_wo         = { token = "new" }
  data_wo_version = 1
}
`, cred.ID, ws.ID, "%s")
	refused := 0
	for _, who := range []struct{ role, token string }{{"viewer", viewerTok}, {"editor", editorTok}} {
		w := newWorkdir(t, srv.URL, who.token)
		w.Write(-1, fmt.Sprintf(changeCfg, who.role, who.role))
		r := w.Run("plan")
		blocks := errorBlocks(r.Out)
		if r.Exit == 0 {
			t.Errorf("%s: the plan to change and create workspace credentials succeeded", who.role)
		}
		for _, addr := range []string{"flero_credential.shared", "flero_credential.new"} {
			b := blockAbout(blocks, addr)
			if b == "" || !strings.Contains(b, "Not allowed to change this credential") || !strings.Contains(b, who.role) {
				t.Errorf("%s: no plan-time refusal naming the rule and the role for %s:\n%s", who.role, addr, b)
			} else {
				refused++
			}
		}
		// The rule's words, for the record.
		t.Logf("%s refused: %s", who.role, oneLine(blockAbout(blocks, "flero_credential.shared"), 300))
	}
	if got, _ := admin.Credentials.Get(ctx, cred.ID); got == nil || got.Description != "as the admin left it" || got.Version != cred.Version {
		t.Errorf("the workspace credential changed: %+v", got)
	}
	if n := countRows(t, srv.DBPath, "credentials"); n != credsBefore {
		t.Errorf("credentials: %d before, %d after the refused plans", credsBefore, n)
	}
	fig.Add("viewer_editor_refusals", refused)

	// 2. A member of another organization sees nothing of this one.
	outsider := newWorkdir(t, srv.URL, outsiderTok)
	outsider.Write(-1, fmt.Sprintf(`
data "flero_organization" "byname" {
  name = %[1]q
}

data "flero_organization" "byid" {
  id = %[2]q
}

data "flero_workspace" "ws" {
  id = %[3]q
}

data "flero_team" "team" {
  id = %[4]q
}

data "flero_credential" "cred" {
  id = %[5]q
}
`, org.Name, org.ID, ws.ID, team.ID, cred.ID))
	r := outsider.Run("plan")
	blocks := errorBlocks(r.Out)
	hidden := 0
	for _, addr := range []string{"data.flero_organization.byname", "data.flero_organization.byid", "data.flero_workspace.ws",
		"data.flero_team.team", "data.flero_credential.cred"} {
		b := blockAbout(blocks, addr)
		if b == "" || !notFoundRe.MatchString(b) || strings.Contains(strings.ToLower(b), "forbidden") {
			t.Errorf("outsider: %s: want a not-found error, got:\n%s", addr, b)
		} else {
			hidden++
			t.Logf("outsider, %s: %s", addr, oneLine(b, 220))
		}
	}
	outsider.Write(-1, fmt.Sprintf(`
import {
  to = flero_workspace.ws
  id = %[1]q
}

resource "flero_workspace" "ws" {
  organization_id = %[2]q
  name            = "ws"
}

import {
  to = flero_credential.cred
  id = %[3]q
}

resource "flero_credential" "cred" {
  workspace_id    = %[1]q
  name            = "shared"
  type            = "slack_bot"
  data_wo         = { token = "x" }
  data_wo_version = 1
}

import {
  to = flero_team.team
  id = %[4]q
}

resource "flero_team" "team" {
  organization_id = %[2]q
  name            = "team"
}
`, ws.ID, org.ID, cred.ID, team.ID))
	r = outsider.Run("plan")
	blocks = errorBlocks(r.Out)
	for _, addr := range []string{"flero_workspace.ws", "flero_credential.cred", "flero_team.team"} {
		b := blockAbout(blocks, addr)
		if b == "" || !notFoundRe.MatchString(b) || strings.Contains(strings.ToLower(b), "forbidden") {
			t.Errorf("outsider: import of %s: want a not-found error, got:\n%s", addr, b)
		} else {
			hidden++
			t.Logf("outsider, import of %s: %s", addr, oneLine(b, 220))
		}
	}
	fig.Add("outsider_not_found", hidden)

	// 3. A personal credential, made by the editor through Terraform, is invisible to
	// the viewer and to the organization's admin.
	editor := newWorkdir(t, srv.URL, editorTok)
	editor.Write(-1, fmt.Sprintf(`
resource "flero_credential" "mine" {
  workspace_id    = %q
  name            = "mine"
  type            = "smtp"
  scope           = "personal"
  data_wo         = { password = "editor-only" }
  data_wo_version = 1
}
`, ws.ID))
	editor.MustRun("apply")
	personalID := editor.StateID("flero_credential.mine")
	if c, err := apiClient(t, srv.URL, editorTok).Credentials.Get(ctx, personalID); err != nil || c.OwnerID != editorID {
		t.Fatalf("the editor cannot read their own personal credential: %v", err)
	}
	invisible := 0
	for _, who := range []struct{ name, token string }{{"viewer", viewerTok}, {"organization admin", srv.AdminToken}, {"outsider", outsiderTok}} {
		w := newWorkdir(t, srv.URL, who.token)
		w.Write(-1, fmt.Sprintf(`
data "flero_credential" "theirs" {
  id = %[1]q
}

import {
  to = flero_credential.taken
  id = %[1]q
}

resource "flero_credential" "taken" {
  workspace_id    = %[2]q
  name            = "mine"
  type            = "smtp"
  scope           = "personal"
  data_wo         = { password = "x" }
  data_wo_version = 1
}
`, personalID, ws.ID))
		r := w.Run("plan")
		blocks := errorBlocks(r.Out)
		for _, addr := range []string{"data.flero_credential.theirs", "flero_credential.taken"} {
			b := blockAbout(blocks, addr)
			if b == "" || !notFoundRe.MatchString(b) || strings.Contains(strings.ToLower(b), "forbidden") {
				t.Errorf("%s: %s of another user's personal credential: want not found, got:\n%s", who.name, addr, b)
			} else {
				invisible++
				t.Logf("%s, %s: %s", who.name, addr, oneLine(b, 220))
			}
		}
		if _, err := apiClient(t, srv.URL, who.token).Credentials.Get(ctx, personalID); !client.IsNotFound(err) {
			t.Errorf("%s: GET of another user's personal credential: want 404, got %v", who.name, err)
		}
	}
	fig.Add("personal_not_found", invisible)
}
