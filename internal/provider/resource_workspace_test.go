package provider_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
)

func TestAccWorkspace_basic(t *testing.T) {
	env := acctest.NewEnv(t)
	org := acctest.RandomName("org")
	addr := "flero_workspace.test"
	sameID := statecheck.CompareValue(compare.ValuesSame())

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: env.Config(testAccWorkspaceConfig(org, "prod", "", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(wsIDRegexp)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("prod")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_domain"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("")),
					statecheck.CompareValuePairs(addr, tfjsonpath.New("organization_id"), "flero_organization.test", tfjsonpath.New("id"), compare.ValuesSame()),
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
				},
				Check: env.Exists(addr),
			},
			{
				Config: env.Config(testAccWorkspaceConfig(org, "production", "Production workflows", "flows.acme.example")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("production")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("Production workflows")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_domain"), knownvalue.StringExact("flows.acme.example")),
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
				},
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				Config:          env.Config(testAccWorkspaceConfig(org, "production", "Production workflows", "flows.acme.example")),
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
			{
				// Clearing the custom domain is an update, and "" stays "".
				Config: env.Config(testAccWorkspaceConfig(org, "production", "", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_domain"), knownvalue.StringExact("")),
				},
			},
			{
				// Another organization replaces the workspace.
				Config: env.Config(fmt.Sprintf(`
resource "flero_organization" "test" {
  name = %[1]q
}

resource "flero_organization" "other" {
  name = %[2]q
}

resource "flero_workspace" "test" {
  organization_id = flero_organization.other.id
  name            = "production"
}
`, org, org+"-other")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
			},
		},
	})
}

func TestAccWorkspace_disappears(t *testing.T) {
	env := acctest.NewEnv(t)
	addr := "flero_workspace.test"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config:             env.Config(testAccWorkspaceConfig(acctest.RandomName("org"), "gone", "", "")),
				Check:              resource.ComposeTestCheckFunc(env.Exists(addr), env.Disappears(addr)),
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
			},
		},
	})
}

// TestAccWorkspace_forbiddenAtPlan: a token of a mere organization member cannot
// create workspaces; the plan says so and nothing is created.
func TestAccWorkspace_forbiddenAtPlan(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	org := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("org")})
	_, memberToken := env.CreateUser("member@example.com")
	if _, err := env.Admin.OrganizationMemberships.Create(ctx, org.ID, api.CreateOrganizationMembershipRequest{Email: "member@example.com", Role: "member"}); err != nil {
		t.Fatal(err)
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactoriesWithToken(memberToken),
		Steps: []resource.TestStep{
			{
				Config: env.ProviderConfig() + fmt.Sprintf(`
resource "flero_workspace" "test" {
  organization_id = %[1]q
  name            = "not-allowed"
}
`, org.ID),
				PlanOnly:    true,
				ExpectError: errorMatching("Only organization admins can create or delete workspaces;", "your organization role is member"),
			},
		},
	})

	wss, err := env.Admin.Workspaces.List(ctx, org.ID)
	if err != nil || len(wss) != 0 {
		t.Fatalf("the refused plan left workspaces behind: %+v %v", wss, err)
	}
}

func TestAccWorkspace_invalidDomainAtPlan(t *testing.T) {
	env := acctest.NewEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config:      env.Config(testAccWorkspaceConfig(acctest.RandomName("org"), "prod", "", "Flows.Example.com")),
				PlanOnly:    true,
				ExpectError: errorMatching("custom_domain must be a lower-case domain name"),
			},
			{
				Config:      env.Config(testAccWorkspaceConfig(acctest.RandomName("org"), " prod", "", "")),
				PlanOnly:    true,
				ExpectError: errorMatching("name must not start or end with white space"),
			},
		},
	})
	if orgs, err := env.Admin.Organizations.List(context.Background()); err != nil || len(orgs) != 0 {
		t.Fatalf("a refused plan created organizations: %+v %v", orgs, err)
	}
}

func testAccWorkspaceConfig(org, name, description, domain string) string {
	return fmt.Sprintf(`
resource "flero_organization" "test" {
  name = %[1]q
}

resource "flero_workspace" "test" {
  organization_id = flero_organization.test.id
  name            = %[2]q
  description     = %[3]q
  custom_domain   = %[4]q
}
`, org, name, description, domain)
}

// TestAccWorkspace_nameTaken: a create whose name a workspace of the same apply holds
// fails on the attribute, with the platform's message, the holder and the import
// command (from the apply's plan, which knows the organization's id by then, or from
// the API's 409 if the two creates race: the same words).
func TestAccWorkspace_nameTaken(t *testing.T) {
	env := acctest.NewEnv(t)
	org := acctest.RandomName("org")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: env.Config(testAccWorkspaceConfig(org, "prod", "", "") + `
resource "flero_workspace" "twin" {
  organization_id = flero_workspace.test.organization_id
  name            = flero_workspace.test.name
}
`),
				ExpectError: errorMatching(`with flero_workspace.twin`, `Workspace name "prod" is already taken.`,
					`It is held by workspace "prod" (ws_`, `terraform import flero_workspace.<name> ws_`),
			},
		},
	})
}
