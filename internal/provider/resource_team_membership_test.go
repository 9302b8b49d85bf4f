package provider_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
)

func TestAccTeamMembership_basic(t *testing.T) {
	env := acctest.NewEnv(t)
	org := acctest.RandomName("org")
	addr := "flero_team_membership.test"

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: env.Config(testAccTeamMembershipConfig(org, "alice")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs(addr, tfjsonpath.New("user_id"), "flero_organization_membership.alice", tfjsonpath.New("user_id"), compare.ValuesSame()),
					statecheck.CompareValuePairs(addr, tfjsonpath.New("team_id"), "flero_team.test", tfjsonpath.New("id"), compare.ValuesSame()),
				},
				Check: env.Exists(addr),
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateIdFunc: importID(addr, "team_id", "user_id"),
				ImportStateVerify: true,
			},
			{
				Config:            env.Config(testAccTeamMembershipConfig(org, "alice")),
				ResourceName:      addr,
				ImportState:       true,
				ImportStateKind:   resource.ImportBlockWithID,
				ImportStateIdFunc: importID(addr, "team_id", "user_id"),
			},
			{
				// A team membership has nothing to change in place: another user replaces it.
				Config: env.Config(testAccTeamMembershipConfig(org, "bob")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs(addr, tfjsonpath.New("user_id"), "flero_organization_membership.bob", tfjsonpath.New("user_id"), compare.ValuesSame()),
				},
			},
		},
	})
}

func TestAccTeamMembership_disappears(t *testing.T) {
	env := acctest.NewEnv(t)
	addr := "flero_team_membership.test"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config:             env.Config(testAccTeamMembershipConfig(acctest.RandomName("org"), "alice")),
				Check:              resource.ComposeTestCheckFunc(env.Exists(addr), env.Disappears(addr)),
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
			},
		},
	})
}

// TestAccTeamMembership_userNotInOrganizationAtPlan: a user from outside the team's
// organization is refused by the plan, and the team stays empty.
func TestAccTeamMembership_userNotInOrganizationAtPlan(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	org := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("org")})
	team, err := env.Admin.Teams.Create(ctx, org.ID, api.CreateTeamRequest{Name: "platform"})
	if err != nil {
		t.Fatal(err)
	}
	strangerID, _ := env.CreateUser("stranger@example.com")

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: env.Config(fmt.Sprintf(`
resource "flero_team_membership" "test" {
  team_id = %[1]q
  user_id = %[2]q
}
`, team.ID, strangerID)),
				PlanOnly:    true,
				ExpectError: errorMatching("Not a member of the organization", "User "+strangerID+" is not a member of organization"),
			},
		},
	})
	if members, err := env.Admin.TeamMemberships.List(ctx, team.ID); err != nil || len(members) != 0 {
		t.Fatalf("the refused plan changed the team: %+v %v", members, err)
	}
}

func testAccTeamMembershipConfig(org, member string) string {
	return fmt.Sprintf(`
resource "flero_organization" "test" {
  name = %[1]q
}

resource "flero_team" "test" {
  organization_id = flero_organization.test.id
  name            = "platform"
}

resource "flero_organization_membership" "alice" {
  organization_id = flero_organization.test.id
  email           = "alice@example.com"
  role            = "member"
}

resource "flero_organization_membership" "bob" {
  organization_id = flero_organization.test.id
  email           = "bob@example.com"
  role            = "member"
}

resource "flero_team_membership" "test" {
  team_id = flero_team.test.id
  user_id = flero_organization_membership.%[2]s.user_id
}
`, org, member)
}
