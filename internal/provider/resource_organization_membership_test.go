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
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
)

func TestAccOrganizationMembership_basic(t *testing.T) {
	env := acctest.NewEnv(t)
	org := acctest.RandomName("org")
	addr := "flero_organization_membership.test"
	sameUser := statecheck.CompareValue(compare.ValuesSame())

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				// A new address: the person is invited.
				Config: env.Config(testAccOrganizationMembershipConfig(org, "new.person@example.com", "member")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("user_id"), knownvalue.StringRegexp(userIDRegexp)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("invited")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("role"), knownvalue.StringExact("member")),
					sameUser.AddStateValue(addr, tfjsonpath.New("user_id")),
				},
				Check: env.Exists(addr),
			},
			{
				Config: env.Config(testAccOrganizationMembershipConfig(org, "new.person@example.com", "admin")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("role"), knownvalue.StringExact("admin")),
					sameUser.AddStateValue(addr, tfjsonpath.New("user_id")),
				},
			},
			{
				// The person signs in: the membership turns active, with no diff.
				PreConfig:    func() { env.CreateUser("new.person@example.com") },
				RefreshState: true,
				Check:        resource.TestCheckResourceAttr(addr, "status", "active"),
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateIdFunc: importID(addr, "organization_id", "email"),
				ImportStateVerify: true,
			},
			{
				// Import by <organization_id>/<user_id> as well.
				ResourceName:      addr,
				ImportState:       true,
				ImportStateIdFunc: importID(addr, "organization_id", "user_id"),
				ImportStateVerify: true,
			},
			{
				Config:            env.Config(testAccOrganizationMembershipConfig(org, "new.person@example.com", "admin")),
				ResourceName:      addr,
				ImportState:       true,
				ImportStateKind:   resource.ImportBlockWithID,
				ImportStateIdFunc: importID(addr, "organization_id", "email"),
			},
			{
				// Another address replaces the membership.
				Config: env.Config(testAccOrganizationMembershipConfig(org, "other.person@example.com", "admin")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
			},
		},
	})
}

// TestAccOrganizationMembership_emailCase: the platform stores emails in lower case;
// the configuration's spelling never shows as drift, and a change of case only is an
// in-place update that keeps the membership.
func TestAccOrganizationMembership_emailCase(t *testing.T) {
	env := acctest.NewEnv(t)
	org := acctest.RandomName("org")
	addr := "flero_organization_membership.test"
	sameUser := statecheck.CompareValue(compare.ValuesSame())

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: env.Config(testAccOrganizationMembershipConfig(org, "Mixed.Case@Example.COM", "member")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact("Mixed.Case@Example.COM")),
					sameUser.AddStateValue(addr, tfjsonpath.New("user_id")),
				},
				Check: func(s *terraform.State) error {
					orgID, err := acctest.Attr(s, addr, "organization_id")
					if err != nil {
						return err
					}
					m, err := env.Admin.OrganizationMemberships.GetByEmail(context.Background(), orgID, "mixed.case@example.com")
					if err != nil {
						return err
					}
					if m.Email != "mixed.case@example.com" {
						return fmt.Errorf("the platform stored %q; this test assumes it normalises emails to lower case", m.Email)
					}
					return nil
				},
			},
			{
				Config: env.Config(testAccOrganizationMembershipConfig(org, "mixed.case@example.com", "member")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact("mixed.case@example.com")),
					sameUser.AddStateValue(addr, tfjsonpath.New("user_id")),
				},
			},
		},
	})
}

func TestAccOrganizationMembership_disappears(t *testing.T) {
	env := acctest.NewEnv(t)
	addr := "flero_organization_membership.test"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config:             env.Config(testAccOrganizationMembershipConfig(acctest.RandomName("org"), "gone@example.com", "member")),
				Check:              resource.ComposeTestCheckFunc(env.Exists(addr), env.Disappears(addr)),
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
			},
		},
	})
}

// TestAccOrganizationMembership_ssoRefusedAtPlan: rule 7 stops the plan, and nothing
// is invited.
func TestAccOrganizationMembership_ssoRefusedAtPlan(t *testing.T) {
	env := acctest.NewEnv(t)
	org := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("sso"), SSOEnabled: true})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: env.Config(fmt.Sprintf(`
resource "flero_organization_membership" "test" {
  organization_id = %[1]q
  email           = "someone@example.com"
  role            = "member"
}
`, org.ID)),
				PlanOnly:    true,
				ExpectError: errorMatching("Membership is managed by single sign-on", "uses single sign-on"),
			},
		},
	})
	members, err := env.Admin.OrganizationMemberships.List(context.Background(), org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != 1 || members[0].UserID != env.Server.AdminUserID {
		t.Fatalf("the refused plan changed the memberships: %+v", members)
	}
}

// TestAccOrganizationMembership_ssoSwitchedOnInSameRun: the plan sees the organization
// as it will be after this apply (sso_enabled switched on in the same configuration).
func TestAccOrganizationMembership_ssoSwitchedOnInSameRun(t *testing.T) {
	env := acctest.NewEnv(t)
	name := acctest.RandomName("org")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{Config: env.Config(testAccOrganizationConfig(name))},
			{
				Config: env.Config(fmt.Sprintf(`
resource "flero_organization" "test" {
  name        = %[1]q
  sso_enabled = true
}

resource "flero_organization_membership" "test" {
  organization_id = flero_organization.test.id
  email           = "someone@example.com"
  role            = "member"
}
`, name)),
				PlanOnly:    true,
				ExpectError: errorMatching("uses single sign-on"),
			},
		},
	})
}

func testAccOrganizationMembershipConfig(org, email, role string) string {
	return fmt.Sprintf(`
resource "flero_organization" "test" {
  name = %[1]q
}

resource "flero_organization_membership" "test" {
  organization_id = flero_organization.test.id
  email           = %[2]q
  role            = %[3]q
}
`, org, email, role)
}
