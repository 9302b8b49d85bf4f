package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/flero/terraform-provider-flero/internal/acctest"
)

func testAccOrganizationSSOConfig(name string, sso bool) string {
	return fmt.Sprintf(`
resource "flero_organization" "test" {
  name        = %[1]q
  sso_enabled = %[2]t
}
`, name, sso)
}

// TestAccOrganization_ssoSwitchRefusedAtPlanForOrganizationAdmin is rule 11: an
// organization admin's token (not a platform admin) cannot switch SSO, on a new
// organization or an existing one; the plan says so on sso_enabled, before anything
// is applied. The bootstrap token (a platform admin) can.
func TestAccOrganization_ssoSwitchRefusedAtPlanForOrganizationAdmin(t *testing.T) {
	env := acctest.NewEnv(t)
	_, orgAdminToken := env.CreateUser("org-admin@example.com")
	name := acctest.RandomName("org")

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactoriesWithToken(orgAdminToken),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config:      env.ProviderConfig() + testAccOrganizationSSOConfig(acctest.RandomName("sso"), true),
				PlanOnly:    true,
				ExpectError: errorMatching("Only a platform admin", "cannot turn single sign-on on"),
			},
			{
				// Its creator is its admin, with SSO off.
				Config: env.ProviderConfig() + testAccOrganizationSSOConfig(name, false),
				Check:  resource.TestCheckResourceAttr("flero_organization.test", "sso_enabled", "false"),
			},
			{
				Config:      env.ProviderConfig() + testAccOrganizationSSOConfig(name, true),
				PlanOnly:    true,
				ExpectError: errorMatching("Only a platform admin", "cannot turn single sign-on on", name),
			},
		},
	})
}

// TestAccOrganization_ssoSwitchedByPlatformAdmin: the platform admin's token switches
// SSO on and off (no false error at plan).
func TestAccOrganization_ssoSwitchedByPlatformAdmin(t *testing.T) {
	env := acctest.NewEnv(t)
	name := acctest.RandomName("org")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{Config: env.Config(testAccOrganizationSSOConfig(name, true)), Check: resource.TestCheckResourceAttr("flero_organization.test", "sso_enabled", "true")},
			{Config: env.Config(testAccOrganizationSSOConfig(name, false)), Check: resource.TestCheckResourceAttr("flero_organization.test", "sso_enabled", "false")},
		},
	})
}
