package provider_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// The third tier, through the real terraform CLI: an id not known until apply is
// decided by what the plan already knows (the objects planned in the same run).

// TestAccTenancyCLI_greenfieldPlansWithoutWarning: the quickstart (an enterprise
// organization, its workspaces and teams, memberships of every kind, credentials of
// every scope, all new, every id unknown at plan) plans with no warning at all, counted
// in `terraform plan -json`; it applies, and the next plan is empty. A new organization
// whose plan is not known until apply, with an organization-scoped credential in it,
// counts exactly one warning, which names the rule and what it depends on: the count
// sees a warning when there is one.
func TestAccTenancyCLI_greenfieldPlansWithoutWarning(t *testing.T) {
	env := acctest.NewEnv(t)
	tf := newTerraformCLI(t, env, env.Server.AdminToken)
	copyQuickstart(t, tf.dir)
	tf.env = append(tf.env, "TF_VAR_organization_name="+acctest.RandomName("green"))
	tf.setSecret(randomSecret(t))
	tf.write("")

	warnings := planWarnings(t, tf)
	if len(warnings) != 0 {
		t.Errorf("the greenfield tenancy plans with %d warning(s), want none:\n%s", len(warnings), strings.Join(warnings, "\n"))
	}

	tf.run(t, "apply", "-auto-approve")
	if out := tf.run(t, "plan"); !strings.Contains(out, "No changes.") {
		t.Errorf("the plan after the apply is not empty:\n%s", out)
	}
	tf.run(t, "destroy", "-auto-approve")

	// One organization whose plan comes from a value known only after apply, with an
	// organization-scoped credential in a workspace of it: one warning.
	removeQuickstart(t, tf.dir)
	tf.write(`
resource "terraform_data" "plan" {
  input = "enterprise"
}

resource "flero_organization" "later" {
  name = "` + acctest.RandomName("later") + `"
  plan = terraform_data.plan.output
}

resource "flero_workspace" "later" {
  organization_id = flero_organization.later.id
  name            = "later"
}

resource "flero_credential" "later" {
  workspace_id = flero_workspace.later.id
  name         = "wide"
  type         = "api_key"
  scope        = "organization"
` + dataWO(1) + `}
` + ephemeralSecretVariable)
	warnings = planWarnings(t, tf)
	if len(warnings) != 1 {
		t.Fatalf("%d warning(s), want 1 (the credential's scope depends on the plan not known until apply):\n%s", len(warnings), strings.Join(warnings, "\n"))
	}
	for _, want := range []string{"Rule will be checked at apply", rules.ScopeRequiresEnterpriseRule, "the plan of organization", "flero_credential.later"} {
		if !strings.Contains(warnings[0], want) {
			t.Errorf("the warning does not say %q:\n%s", want, warnings[0])
		}
	}
}

// TestAccCredentialCLI_unknownWorkspaceRefusedAtPlan: a free organization, its new
// workspaces and an organization-scoped credential in one: the workspace's id is not
// known at plan, but every workspace planned in this run is in a free organization (and
// the token sees no other organization), so the plan fails on scope with the rule's
// message, and nothing is created. With the organization on enterprise, the same run
// applies and the next plan is empty.
func TestAccCredentialCLI_unknownWorkspaceRefusedAtPlan(t *testing.T) {
	env := acctest.NewEnv(t)
	tf := newTerraformCLI(t, env, env.Server.AdminToken)
	tf.setSecret(randomSecret(t))
	name := acctest.RandomName("bootstrap")
	cfg := func(plan string) string {
		return testAccCredentialTenancyConfig(name, plan) + ephemeralSecretVariable + testAccCredentialConfig("wide", "organization", dataWO(1))
	}
	tf.write(cfg("free"))
	out, err := tf.exec("plan")
	if err == nil {
		t.Fatalf("the plan succeeded:\n%s", out)
	}
	flat := flattenSpaces(out)
	want := rules.CheckScopeAllowed(name, rules.PlanFree, rules.ScopeOrganization).Message
	for _, w := range []string{"Error: Organization scope requires the Enterprise plan", "with flero_credential.x", want} {
		if !strings.Contains(flat, w) {
			t.Errorf("the plan does not say %q:\n%s", w, out)
		}
	}
	if strings.Contains(flat, "Warning:") {
		t.Errorf("the plan warns as well:\n%s", out)
	}
	out, err = tf.exec("apply", "-auto-approve")
	if err == nil {
		t.Fatalf("the apply succeeded:\n%s", out)
	}
	if orgs, err := env.Admin.Organizations.List(t.Context()); err != nil || len(orgs) != 0 {
		t.Fatalf("the refused apply created organizations %v (%v)", orgs, err)
	}

	tf.write(cfg("enterprise"))
	flat = flattenSpaces(tf.run(t, "plan"))
	if strings.Contains(flat, "Warning:") {
		t.Errorf("the enterprise plan warns:\n%s", flat)
	}
	tf.run(t, "apply", "-auto-approve")
	if out := tf.run(t, "plan"); !strings.Contains(out, "No changes.") {
		t.Errorf("the plan after the apply is not empty:\n%s", out)
	}
	tf.run(t, "destroy", "-auto-approve")
}

// TestAccCredentialCLI_unknownWorkspaceMayComeFromElsewhere: the same free
// organization and new workspaces, but the token is also admin of an existing enterprise
// organization, whose workspace a data source read at apply could name: the plan does
// not refuse, it warns once that the outcome depends on what workspace_id names; the
// apply then fails with the rule's message.
func TestAccCredentialCLI_unknownWorkspaceMayComeFromElsewhere(t *testing.T) {
	env := acctest.NewEnv(t)
	env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("existing"), Plan: "enterprise"})
	tf := newTerraformCLI(t, env, env.Server.AdminToken)
	tf.setSecret(randomSecret(t))
	name := acctest.RandomName("bootstrap")
	tf.write(testAccCredentialTenancyConfig(name, "free") + ephemeralSecretVariable + testAccCredentialConfig("wide", "organization", dataWO(1)))
	warnings := planWarnings(t, tf)
	if len(warnings) != 1 || !strings.Contains(warnings[0], "may also name an existing object") {
		t.Fatalf("want one warning that the workspace may come from elsewhere, got:\n%s", strings.Join(warnings, "\n"))
	}
	out, err := tf.exec("apply", "-auto-approve")
	if err == nil {
		t.Fatalf("the apply succeeded:\n%s", out)
	}
	if want := rules.CheckScopeAllowed(name, rules.PlanFree, rules.ScopeOrganization).Message; !strings.Contains(flattenSpaces(out), want) {
		t.Errorf("the apply error does not carry the rule's message %q:\n%s", want, out)
	}
	tf.write(testAccCredentialTenancyConfig(name, "free"))
	tf.run(t, "destroy", "-auto-approve")
}

// planWarnings runs `terraform plan -json` and returns the warnings it reports, each as
// "summary: detail (address)".
func planWarnings(t *testing.T, tf *terraformCLI) []string {
	t.Helper()
	out := tf.run(t, "plan", "-json")
	var warnings []string
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var msg struct {
			Type       string `json:"type"`
			Diagnostic struct {
				Severity string `json:"severity"`
				Summary  string `json:"summary"`
				Detail   string `json:"detail"`
				Address  string `json:"address"`
			} `json:"diagnostic"`
		}
		if err := json.Unmarshal(sc.Bytes(), &msg); err != nil {
			t.Fatalf("terraform plan -json printed a line that is not JSON: %v\n%s", err, sc.Text())
		}
		if msg.Type == "diagnostic" && msg.Diagnostic.Severity == "warning" {
			d := msg.Diagnostic
			warnings = append(warnings, fmt.Sprintf("%s: %s (%s)", d.Summary, d.Detail, d.Address))
		}
	}
	return warnings
}

// removeQuickstart removes what copyQuickstart copied.
func removeQuickstart(t *testing.T, dir string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "quickstart_*.tf"))
	for _, f := range files {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
}

// copyQuickstart copies examples/quickstart's configuration into dir, without its
// terraform and provider blocks (the harness writes its own).
func copyQuickstart(t *testing.T, dir string) {
	t.Helper()
	src := filepath.Join("..", "..", "examples", "quickstart")
	files, err := filepath.Glob(filepath.Join(src, "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no quickstart configuration in %s (%v)", src, err)
	}
	for _, f := range files {
		if filepath.Base(f) == "versions.tf" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "quickstart_"+filepath.Base(f)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
