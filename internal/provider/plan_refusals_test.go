package provider_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
)

// Plan sees what apply will refuse (issue 13, point 2): names already taken, rule 9
// (deleting what still holds something), a team of another organization. Each test
// shows the plan's verdict, then that nothing was created or changed, then the
// accepted way through: apply succeeds and the next plan is empty.

// tenancyCounts counts, through the API, the organization's workspaces and teams and
// the home workspace's credentials.
func tenancyCounts(env *acctest.Env, orgID, homeID string) (workspaces, teams, credentials int, err error) {
	ctx := context.Background()
	wss, err := env.Admin.Workspaces.List(ctx, orgID)
	if err != nil {
		return 0, 0, 0, err
	}
	ts, err := env.Admin.Teams.List(ctx, orgID)
	if err != nil {
		return 0, 0, 0, err
	}
	creds, err := env.Admin.Credentials.List(ctx, homeID)
	if err != nil {
		return 0, 0, 0, err
	}
	return len(wss), len(ts), len(creds), nil
}

func TestAccPlanRefusal_namesTaken(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	otherOrg := acctest.RandomName("taken")
	// Made outside this configuration: an organization with its workspaces "home" and
	// "prod" (custom domain flows.acme.example), a team and a credential, and another
	// organization whose name the configuration also wants.
	org := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("org")})
	other := env.Organization(api.CreateOrganizationRequest{Name: otherOrg})
	home := must(env.Admin.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "home"}))(t)
	prod := must(env.Admin.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "prod", CustomDomain: "flows.acme.example"}))(t)
	team := must(env.Admin.Teams.Create(ctx, org.ID, api.CreateTeamRequest{Name: "platform"}))(t)
	cred := must(env.Admin.Credentials.Create(ctx, home.ID, api.CreateCredentialRequest{Name: "stripe", Type: "api_key", Data: map[string]string{"token": "sk_test_1111"}}))(t)

	// Five creates whose name (or custom domain) those objects hold.
	clashes := env.Config(fmt.Sprintf(`
resource "flero_organization" "twin" {
  name = %[1]q
}

resource "flero_workspace" "prod" {
  organization_id = %[2]q
  name            = "prod"
}

resource "flero_workspace" "staging" {
  organization_id = %[2]q
  name            = "staging"
  custom_domain   = "flows.acme.example"
}

resource "flero_team" "platform" {
  organization_id = %[2]q
  name            = "platform"
}

resource "flero_credential" "stripe" {
  workspace_id    = %[3]q
  name            = "stripe"
  type            = "api_key"
  data_wo         = { token = "sk_test_0000" }
  data_wo_version = 1
}
`, otherOrg, org.ID, home.ID))
	refused := func(phrases ...string) resource.TestStep {
		return resource.TestStep{Config: clashes, PlanOnly: true, ExpectError: errorMatching(phrases...)}
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			// The plan refuses each create, naming the holder and its import command.
			refused(`Name already taken`, `Organization name "`+otherOrg+`" is already taken.`, `It is held by organization "`+otherOrg+`" (`+other.ID+`)`,
				`terraform import flero_organization.<name> `+other.ID),
			refused(`Workspace name "prod" is already taken.`, `It is held by workspace "prod" (`+prod.ID+`)`, `terraform import flero_workspace.<name> `+prod.ID),
			refused(`Custom domain "flows.acme.example" is already taken.`, `held by workspace "prod" (`+prod.ID+`)`),
			refused(`Team name "platform" is already taken.`, `to = flero_team.<name>`, `id = "`+team.ID+`"`),
			refused(`Credential name "stripe" is already taken.`, `terraform import flero_credential.<name> `+cred.ID),
			{
				// Nothing was created or changed by the refused plans; importing the
				// existing objects instead is accepted, and the next plan is empty.
				PreConfig: func() {
					ws, teams, creds, err := tenancyCounts(env, org.ID, home.ID)
					if err != nil || ws != 2 || teams != 1 || creds != 1 {
						t.Fatalf("after the refused plans: %d workspaces, %d teams, %d credentials (want 2, 1, 1), err %v", ws, teams, creds, err)
					}
				},
				Config: env.Config(fmt.Sprintf(`
import {
  to = flero_organization.twin
  id = %[1]q
}
import {
  to = flero_workspace.prod
  id = %[2]q
}
import {
  to = flero_team.platform
  id = %[3]q
}
import {
  to = flero_credential.stripe
  id = %[4]q
}

resource "flero_organization" "twin" {
  name = %[5]q
}

resource "flero_workspace" "prod" {
  organization_id = %[6]q
  name            = "prod"
  custom_domain   = "flows.acme.example"
}

resource "flero_team" "platform" {
  organization_id = %[6]q
  name            = "platform"
}

resource "flero_credential" "stripe" {
  workspace_id    = %[7]q
  name            = "stripe"
  type            = "api_key"
  data_wo         = { token = "sk_test_0000" }
  data_wo_version = 1
}
`, other.ID, prod.ID, team.ID, cred.ID, otherOrg, org.ID, home.ID)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// must returns a function that fails the test when err is not nil, else returns v.
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("out-of-band setup: %v", err)
		}
		return v
	}
}
