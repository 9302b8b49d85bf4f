package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/framework"
)

// TestAccImport_byName imports every resource by the human names on the way to it,
// with names that need escaping (an organization, a workspace, a team and a credential
// whose names hold a "/", an email with a "+"), by `terraform import` (ImportStateVerify:
// the imported state equals the created one) and by an import block (a no-op plan; the
// credential's plan sends data_wo again, as after any import). Runs on every Terraform.
func TestAccImport_byName(t *testing.T) {
	env := acctest.NewEnv(t)
	email := "alice+ops@example.com"
	env.CreateUser(email)
	names := importNames{org: acctest.RandomName("acme") + "/eu", workspace: "pay/ments", team: "sre/on-call", credential: "slack/bot", email: email}
	cfg := env.Config(names.config())
	esc := framework.EscapeImportSegment
	org, ws, team := esc(names.org), esc(names.workspace), esc(names.team)

	ids := []struct{ addr, id string }{
		{"flero_organization.test", org},
		{"flero_workspace.test", org + "/" + ws},
		{"flero_team.test", org + "/" + team},
		{"flero_organization_membership.alice", org + "/" + email},
		{"flero_team_membership.alice", org + "/" + team + "/" + email},
		{"flero_workspace_membership.alice", org + "/" + ws + "/" + email},
		{"flero_workspace_membership.team", org + "/" + ws + "/team/" + team},
		{"flero_credential.test", org + "/" + ws + "/" + esc(names.credential)},
		// The plus sign may be escaped too.
		{"flero_organization_membership.alice", org + "/" + strings.ReplaceAll(email, "+", "%2B")},
	}
	steps := []resource.TestStep{{
		Config: cfg,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}}
	for _, imp := range ids {
		credential := strings.HasPrefix(imp.addr, "flero_credential.")
		cli := resource.TestStep{
			Config:            cfg,
			ResourceName:      imp.addr,
			ImportState:       true,
			ImportStateId:     imp.id,
			ImportStateVerify: true,
		}
		block := resource.TestStep{
			Config:          cfg,
			ResourceName:    imp.addr,
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithID,
			ImportStateId:   imp.id,
		}
		if credential {
			cli.ImportStateVerifyIgnore = []string{"data_wo", "data_wo_version"}
			block.ExpectNonEmptyPlan = true
			block.ImportPlanChecks.PreApply = []plancheck.PlanCheck{plancheck.ExpectResourceAction(imp.addr, plancheck.ResourceActionUpdate)}
		}
		steps = append(steps, cli, block)
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps:                    steps,
	})
}

// TestAccImport_malformedIDShowsEveryForm: an import id of no accepted form fails with
// an error listing every form of that resource with an example; a well-formed id
// naming nothing fails with the name that was not found.
func TestAccImport_malformedIDShowsEveryForm(t *testing.T) {
	env := acctest.NewEnv(t)
	env.CreateUser("alice@example.com")
	names := importNames{org: acctest.RandomName("acme"), workspace: "payments", team: "sre", credential: "slack-bot", email: "alice@example.com"}
	cfg := env.Config(names.config())

	bad := []struct{ addr, id, want string }{
		{"flero_workspace.test", "a/b/c", `<workspace_id>.*ws_.*<organization>/<workspace_name>.*acme/payments`},
		{"flero_team.test", "a/b/c", `<team_id>.*<organization>/<team_name>.*acme/sre`},
		{"flero_credential.test", "a/b/c/d", `<credential_id>.*<workspace_id>/<credential_name>.*<organization>/<workspace_name>/<credential_name>.*acme/payments/slack-bot`},
		{"flero_organization_membership.alice", names.org, `<organization>/<email>.*acme/alice@example.com.*<organization>/<user_id>`},
		{"flero_team_membership.alice", "team_x", `<team_id>/<user_id>.*<organization>/<team_name>/<email>.*acme/sre/alice@example.com`},
		{"flero_workspace_membership.alice", "acme/payments/nobody", `names\s+no\s+user.*<workspace>/<email>.*acme/payments/alice@example.com.*<workspace>/team/<team_id\s+or\s+team_name>.*acme/payments/team/sre`},
		{"flero_organization.test", "acme/x", `<organization_id>.*<organization_name>.*acme.*%2F`},
		{"flero_workspace.test", names.org + "/nope", `no\s+workspace\s+named\s+"nope"`},
		{"flero_workspace.test", "payments", `one\s+part\s+must\s+be\s+the\s+workspace's\s+id\s+\(ws_…\).*acme/payments`},
	}
	steps := []resource.TestStep{{Config: cfg}}
	for _, b := range bad {
		steps = append(steps, resource.TestStep{
			Config:        cfg,
			ResourceName:  b.addr,
			ImportState:   true,
			ImportStateId: b.id,
			ExpectError:   regexp.MustCompile(`(?s)` + b.want),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps:                    steps,
	})
}

type importNames struct{ org, workspace, team, credential, email string }

func (n importNames) config() string {
	return fmt.Sprintf(`
resource "flero_organization" "test" {
  name = %[1]q
}

resource "flero_workspace" "test" {
  organization_id = flero_organization.test.id
  name            = %[2]q
}

resource "flero_team" "test" {
  organization_id = flero_organization.test.id
  name            = %[3]q
}

resource "flero_organization_membership" "alice" {
  organization_id = flero_organization.test.id
  email           = %[5]q
  role            = "member"
}

resource "flero_team_membership" "alice" {
  team_id = flero_team.test.id
  user_id = flero_organization_membership.alice.user_id
}

resource "flero_workspace_membership" "alice" {
  workspace_id = flero_workspace.test.id
  user_id      = flero_organization_membership.alice.user_id
  role         = "viewer"
}

resource "flero_workspace_membership" "team" {
  workspace_id = flero_workspace.test.id
  team_id      = flero_team.test.id
  role         = "editor"
}

resource "flero_credential" "test" {
  workspace_id    = flero_workspace.test.id
  name            = %[4]q
  type            = "slack_bot"
  data_wo         = { token = "xoxb-import-secret" }
  data_wo_version = 1
}
`, n.org, n.workspace, n.team, n.credential, n.email)
}
