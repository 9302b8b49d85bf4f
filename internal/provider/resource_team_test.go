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

func TestAccTeam_basic(t *testing.T) {
	env := acctest.NewEnv(t)
	org := acctest.RandomName("org")
	addr := "flero_team.test"
	sameID := statecheck.CompareValue(compare.ValuesSame())

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: env.Config(testAccTeamConfig(org, "platform", "", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(teamIDRegexp)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("platform")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("avatar_url"), knownvalue.StringExact("")),
					statecheck.CompareValuePairs(addr, tfjsonpath.New("organization_id"), "flero_organization.test", tfjsonpath.New("id"), compare.ValuesSame()),
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
				},
				Check: env.Exists(addr),
			},
			{
				Config: env.Config(testAccTeamConfig(org, "platform-eng", "Runs the platform", "https://cdn.example.com/t.png")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("platform-eng")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("Runs the platform")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("avatar_url"), knownvalue.StringExact("https://cdn.example.com/t.png")),
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
				},
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				Config:          env.Config(testAccTeamConfig(org, "platform-eng", "Runs the platform", "https://cdn.example.com/t.png")),
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
		},
	})
}

func TestAccTeam_disappears(t *testing.T) {
	env := acctest.NewEnv(t)
	addr := "flero_team.test"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config:             env.Config(testAccTeamConfig(acctest.RandomName("org"), "gone", "", "")),
				Check:              resource.ComposeTestCheckFunc(env.Exists(addr), env.Disappears(addr)),
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
			},
		},
	})
}

// TestAccTeam_forbiddenAtPlan: only organization admins manage teams.
func TestAccTeam_forbiddenAtPlan(t *testing.T) {
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
resource "flero_team" "test" {
  organization_id = %[1]q
  name            = "not-allowed"
}
`, org.ID),
				PlanOnly:    true,
				ExpectError: errorMatching("Only organization admins can manage teams"),
			},
		},
	})
	if teams, err := env.Admin.Teams.List(ctx, org.ID); err != nil || len(teams) != 0 {
		t.Fatalf("the refused plan left teams behind: %+v %v", teams, err)
	}
}

func testAccTeamConfig(org, name, description, avatarURL string) string {
	return fmt.Sprintf(`
resource "flero_organization" "test" {
  name = %[1]q
}

resource "flero_team" "test" {
  organization_id = flero_organization.test.id
  name            = %[2]q
  description     = %[3]q
  avatar_url      = %[4]q
}
`, org, name, description, avatarURL)
}
