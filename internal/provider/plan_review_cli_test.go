package provider_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
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
	alice.run(t, "destroy", "-auto-approve")
}
