package provider_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// useState copies the state of one terraform working directory into another (the
// same configuration run with another token).
func (c *terraformCLI) useState(t *testing.T, from *terraformCLI) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(from.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(c.dir, "terraform.tfstate"), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestAccCredentialCLI_anotherTokenKeepsPersonalCredential (issue 13, point 4): user A
// creates a personal credential; an organization admin B plans the same
// configuration with their own token. The credential is invisible to B (rule 4), yet
// the plan does not propose to create it again: it keeps it and warns why, naming
// the owner recorded in the state and the token's user; B's apply changes nothing and
// B's next plan is empty. A's own plan is still empty, with no warning.
func TestAccCredentialCLI_anotherTokenKeepsPersonalCredential(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	o, ws := credentialTenancy(t, env, "free")
	aliceID, aliceToken := credentialMember(t, env, o, ws, "alice@example.com", "editor")
	bobID, bobToken := env.CreateUser("bob@example.com")
	if _, err := env.Admin.OrganizationMemberships.Create(ctx, o.ID, api.CreateOrganizationMembershipRequest{Email: "bob@example.com", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	config := ephemeralSecretVariable + testAccCredentialConfig("alice-key", "personal", dataWO(1), ws.ID)

	alice := newTerraformCLI(t, env, aliceToken)
	alice.setSecret(randomSecret(t))
	alice.write(config)
	alice.run(t, "apply", "-auto-approve")
	id := alice.output(t, "flero_credential.x", "id")

	bob := newTerraformCLI(t, env, bobToken)
	bob.setSecret(randomSecret(t))
	bob.write(config)
	bob.useState(t, alice)
	out := bob.run(t, "plan")
	t.Logf("terraform plan with another user's token:\n%s", out)
	flat := flattenSpaces(out)
	for _, want := range []string{
		"No changes.",
		"Warning: Credential kept in state: not visible to this token",
		flattenSpaces(rules.HiddenPersonalCredential("alice-key", id, aliceID, bobID)),
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the plan with bob's token does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(flat, "will be created") {
		t.Fatalf("the plan proposes to create the credential again:\n%s", out)
	}
	// Apply with bob's token: nothing changes, and the credential is still alice's.
	bob.run(t, "apply", "-auto-approve")
	if got := bob.output(t, "flero_credential.x", "id"); got != id {
		t.Fatalf("after bob's apply the state holds %q, want %s", got, id)
	}
	if flat := flattenSpaces(bob.run(t, "plan")); !strings.Contains(flat, "No changes.") {
		t.Errorf("bob's next plan is not empty:\n%s", flat)
	}
	cred, err := env.Client(aliceToken).Credentials.Get(ctx, id)
	if err != nil || cred.OwnerID != aliceID {
		t.Fatalf("alice's credential after bob's runs: %+v, %v", cred, err)
	}

	// Alice's own plan: no change, no warning.
	alice.useState(t, bob)
	if flat := flattenSpaces(alice.run(t, "plan")); !strings.Contains(flat, "No changes.") || strings.Contains(flat, "Warning:") {
		t.Errorf("alice's plan:\n%s", flat)
	}

	// Once its owner deleted it (the audit log, which bob reads as an organization
	// admin, records it), it is gone for bob too: his plan creates it again, no warning.
	if err := env.Client(aliceToken).Credentials.Delete(ctx, id, client.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	bob.useState(t, alice)
	flat = flattenSpaces(bob.run(t, "plan"))
	if !strings.Contains(flat, "flero_credential.x will be created") || strings.Contains(flat, "Credential kept in state") {
		t.Errorf("bob's plan after alice deleted her credential:\n%s", flat)
	}
	alice.run(t, "destroy", "-auto-approve")
}

// warningBody returns the text of the plan's warning whose summary is summary: the
// lines after it up to the end of its box, without the box's margin.
func warningBody(out, summary string) string {
	i := strings.Index(out, "Warning: "+summary)
	if i < 0 {
		return ""
	}
	var lines []string
	for _, l := range strings.Split(out[i:], "\n")[1:] {
		if strings.HasPrefix(l, "╵") {
			break
		}
		lines = append(lines, strings.TrimPrefix(strings.TrimPrefix(l, "│"), " "))
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// TestAccCLI_reviewTexts (issue 13, point 5): real `terraform plan` runs show the
// review of each change that takes or gives access, naming who is affected: a
// narrowing (the workflows, workspaces, team and people that lose the credential), a
// widening (those that gain it), a destroy of a credential used recently, and the
// removal of an organization membership (the personal credentials it deactivates).
// Each is then applied, and the next plan is empty.
func TestAccCLI_reviewTexts(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	o := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("review"), Plan: "enterprise"})
	payments := must(env.Admin.Workspaces.Create(ctx, o.ID, api.CreateWorkspaceRequest{Name: "payments"}))(t)
	growth := must(env.Admin.Workspaces.Create(ctx, o.ID, api.CreateWorkspaceRequest{Name: "growth"}))(t)
	sandbox := must(env.Admin.Workspaces.Create(ctx, o.ID, api.CreateWorkspaceRequest{Name: "sandbox"}))(t)
	credentialMember(t, env, o, growth, "bob@example.com", "editor")
	carolID, _ := env.CreateUser("carol@example.com")
	must(env.Admin.OrganizationMemberships.Create(ctx, o.ID, api.CreateOrganizationMembershipRequest{Email: "carol@example.com", Role: "member"}))(t)
	team := must(env.Admin.Teams.Create(ctx, o.ID, api.CreateTeamRequest{Name: "data"}))(t)
	must(env.Admin.TeamMemberships.Create(ctx, team.ID, api.CreateTeamMembershipRequest{UserID: carolID}))(t)
	must(env.Admin.WorkspaceMemberships.Create(ctx, sandbox.ID, api.CreateWorkspaceMembershipRequest{TeamID: team.ID, Role: "viewer"}))(t)
	aliceID, aliceToken := env.CreateUser("alice@example.com")

	tf := newTerraformCLI(t, env, env.Server.AdminToken)
	tf.setSecret(randomSecret(t))
	alice := fmt.Sprintf(`
resource "flero_organization_membership" "alice" {
  organization_id = %[1]q
  email           = "alice@example.com"
  role            = "member"
}
`, o.ID)
	credential := func(scope string) string {
		return ephemeralSecretVariable + testAccCredentialConfig("stripe-live", scope, dataWO(1), payments.ID)
	}
	tf.write(credential("organization") + alice)
	tf.run(t, "apply", "-auto-approve")
	id := tf.output(t, "flero_credential.x", "id")

	// Alice, now a member, gets a role in payments and makes a personal credential.
	must(env.Admin.WorkspaceMemberships.Create(ctx, payments.ID, api.CreateWorkspaceMembershipRequest{UserID: aliceID, Role: "editor"}))(t)
	aliceCred := must(env.Client(aliceToken).Credentials.Create(ctx, payments.ID, api.CreateCredentialRequest{
		Name: "alice-github", Type: "api_key", Scope: "personal", Data: map[string]string{"token": "ghp_not_real"}}))(t)
	// Workflows use the credential: bob's in growth, the owner's in sandbox and payments.
	for _, u := range []struct {
		ws, workflow string
		times        int
	}{{growth.ID, "nightly-sync", 2}, {sandbox.ID, "owners-experiment", 1}, {payments.ID, "checkout", 3}} {
		for i := 0; i < u.times; i++ {
			if err := env.Admin.Credentials.RecordUse(ctx, id, api.RecordUseRequest{Workflow: u.workflow, WorkspaceID: u.ws}); err != nil {
				t.Fatal(err)
			}
		}
	}

	review := func(name, config, summary string, wants ...string) {
		t.Helper()
		tf.write(config)
		out := tf.run(t, "plan")
		body := warningBody(out, summary)
		t.Logf("%s: Warning: %s\n%s", name, summary, body)
		if body == "" {
			t.Fatalf("%s: no warning %q:\n%s", name, summary, out)
		}
		flat := flattenSpaces(body)
		for _, w := range wants {
			if !strings.Contains(flat, w) {
				t.Errorf("%s: the warning does not say %q:\n%s", name, w, body)
			}
		}
		if lines := strings.Count(body, "\n") + 1; lines > 24 {
			t.Errorf("%s: the warning takes %d lines, more than a screen:\n%s", name, lines, body)
		}
		tf.run(t, "apply", "-auto-approve")
		if flat := flattenSpaces(tf.run(t, "plan")); !strings.Contains(flat, "No changes.") {
			t.Errorf("%s: the plan after the apply is not empty:\n%s", name, flat)
		}
	}

	review("narrowing", credential("workspace")+alice, `Narrowing credential "stripe-live" from organization to workspace scope`,
		`Used in the last 30 days by 2 workflows that will lose access (3 uses):`,
		`- workspace "growth", workflow "nightly-sync": 2 uses`,
		`- workspace "sandbox", workflow "owners-experiment": 1 use`,
		`Who loses access: 2 workspaces ("growth" and "sandbox"), 1 team ("data") and 2 people ("bob@example.com" and "carol@example.com").`)
	review("widening", credential("organization")+alice, `Widening credential "stripe-live" from workspace to organization scope`,
		`it becomes usable in 2 other workspaces of the organization, besides workspace "payments"`,
		`Who gains access: 2 workspaces ("growth" and "sandbox"), 1 team ("data") and 2 people ("bob@example.com" and "carol@example.com").`)
	review("destroy", ephemeralSecretVariable+alice, `Destroying credential "stripe-live", which workflows used in the last 30 days`,
		`- workspace "payments", workflow "checkout": 3 uses`,
		`Who loses access: 3 workspaces ("growth", "payments" and "sandbox"), 1 team ("data") and 4 people`)
	review("membership removal", ephemeralSecretVariable+`
resource "flero_team" "keep" {
  organization_id = "`+o.ID+`"
  name            = "keep"
}
`, `Removing alice@example.com from organization "`+o.Name+`" deactivates 1 personal credential`,
		`- "alice-github" in workspace "payments" (`+aliceCred.ID+`)`, `the owner can move team-critical ones to workspace scope`)

	tf.run(t, "destroy", "-auto-approve")
}
