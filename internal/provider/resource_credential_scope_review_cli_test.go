package provider_test

import (
	"context"
	"strings"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// plugin-testing cannot see warnings, so these tests run the real terraform CLI on a
// configuration and read its output: the provider is served in-process (as
// plugin-testing does) and Terraform reattaches to it through TF_REATTACH_PROVIDERS.

// TestAccCredentialCLI_scopeReviewWarnings: a real `terraform plan` that narrows an
// organization-scoped credential shows the in-place `~ scope` change and the warning
// that lists the other workspace and the workflow that used it; widening it back
// warns how many workspaces gain it.
func TestAccCredentialCLI_scopeReviewWarnings(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	o := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("review"), Plan: "enterprise"})
	var home, growth *api.Workspace
	for _, ws := range []struct {
		name string
		dst  **api.Workspace
	}{{"payments", &home}, {"growth", &growth}, {"sandbox", new(*api.Workspace)}} {
		w, err := env.Admin.Workspaces.Create(ctx, o.ID, api.CreateWorkspaceRequest{Name: ws.name})
		if err != nil {
			t.Fatal(err)
		}
		*ws.dst = w
	}
	tf := newTerraformCLI(t, env, env.Server.AdminToken)
	secret := randomSecret(t)
	tf.setSecret(secret)
	cfg := func(scope string) string {
		return ephemeralSecretVariable + testAccCredentialConfig("stripe-live", scope, dataWO(1), home.ID)
	}
	tf.write(cfg("organization"))
	tf.run(t, "apply", "-auto-approve")
	id := tf.output(t, "flero_credential.x", "id")

	// Another workspace's workflow uses the credential (organization scope allows it).
	for i := 0; i < 2; i++ {
		if err := env.Admin.Credentials.RecordUse(ctx, id, api.RecordUseRequest{Workflow: "nightly-sync", WorkspaceID: growth.ID}); err != nil {
			t.Fatal(err)
		}
	}

	tf.write(cfg("workspace"))
	out := tf.run(t, "plan")
	t.Logf("terraform plan (narrowing):\n%s", out)
	flat := flattenSpaces(out)
	for _, want := range []string{
		`flero_credential.x will be updated in-place`,
		`~ scope = "organization" -> "workspace"`,
		`Warning: Narrowing credential "stripe-live" from organization to workspace scope`,
		`Only workflows in workspace "payments" keep access`,
		`Used in the last 30 days by 1 workflow that will lose access (2 uses):`,
		`workspace "growth", workflow "nightly-sync": 2 uses`,
		`Who loses access: 2 workspaces ("growth" and "sandbox").`,
		`Plan: 0 to add, 1 to change, 0 to destroy.`,
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("terraform plan does not show %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "must be replaced") || strings.Contains(out, secret) {
		t.Errorf("the plan replaces the credential or shows its secret:\n%s", out)
	}

	// Apply the narrowing, then plan to widen again.
	tf.run(t, "apply", "-auto-approve")
	if got := tf.output(t, "flero_credential.x", "id"); got != id {
		t.Fatalf("the narrowing replaced the credential: id %s, was %s", got, id)
	}
	tf.write(cfg("organization"))
	flat = flattenSpaces(tf.run(t, "plan"))
	if want := `Warning: Widening credential "stripe-live" from workspace to organization scope`; !strings.Contains(flat, want) {
		t.Errorf("no widening warning:\n%s", flat)
	}
	if want := `it becomes usable in 2 other workspaces of the organization, besides workspace "payments". Who gains access: 2 workspaces ("growth" and "sandbox").`; !strings.Contains(flat, want) {
		t.Errorf("the widening warning does not count the workspaces:\n%s", flat)
	}

	// No warning when the scope does not change.
	tf.write(cfg("workspace"))
	flat = flattenSpaces(tf.run(t, "plan"))
	if strings.Contains(flat, "Warning:") || !strings.Contains(flat, "No changes.") {
		t.Errorf("an unchanged scope planned something or warned:\n%s", flat)
	}
	tf.run(t, "destroy", "-auto-approve")
}

// TestAccCredentialCLI_inactiveWarning: the owner of a personal credential left the
// organization; their plan has no change and warns why the credential is inactive,
// both while they are out of the organization (it is hidden from them) and once they
// are back.
func TestAccCredentialCLI_inactiveWarning(t *testing.T) {
	env := acctest.NewEnv(t)
	o, ws := credentialTenancy(t, env, "free")
	userID, token := credentialMember(t, env, o, ws, "leaver@example.com", "editor")
	tf := newTerraformCLI(t, env, token)
	tf.setSecret(randomSecret(t))
	tf.write(ephemeralSecretVariable + testAccCredentialConfig("mine", "personal", dataWO(1), ws.ID))
	tf.run(t, "apply", "-auto-approve")

	check := func(when string) {
		t.Helper()
		flat := flattenSpaces(tf.run(t, "plan"))
		for _, want := range []string{"No changes.", "Warning: Credential is inactive", rules.InactiveReason("mine")} {
			if !strings.Contains(flat, want) {
				t.Errorf("%s, the plan does not say %q:\n%s", when, want, flat)
			}
		}
	}
	leaveOrganization(t, env, o.ID, userID)
	check("out of the organization")
	joinOrganization(t, env, o.ID, "leaver@example.com")
	check("back in the organization")
	tf.run(t, "destroy", "-auto-approve")
}
