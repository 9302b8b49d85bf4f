package provider_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/client"
)

// No false error at plan: what apply accepts in Terraform's order, plan accepts.

// TestAccOrganization_downgradeWhileDeletingItsCredentials: an enterprise organization
// moves to pro in the same run that deletes its only organization-scoped credential
// (removed from the configuration). Terraform deletes the credential before it updates
// the organization, so the plan does not refuse the downgrade, the apply succeeds, and
// the next plan is empty. Narrowing the credential to workspace scope in the same run
// instead is refused at plan: Terraform updates the organization before the credential
// that depends on it, and the platform would refuse the downgrade then.
func TestAccOrganization_downgradeWhileDeletingItsCredentials(t *testing.T) {
	env := acctest.NewEnv(t)
	name := acctest.RandomName("downgrade")
	credential := func(scope string) string {
		return fmt.Sprintf(`
variable "secret" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = "not-a-real-key"
}

resource "flero_credential" "deploy" {
  workspace_id    = flero_workspace.test.id
  name            = "deploy-key"
  type            = "ssh_key"
  scope           = %[1]q
  data_wo         = { key = var.secret }
  data_wo_version = 1
}
`, scope)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{Config: env.Config(testAccOrganizationWithWorkspaceConfig(name, "enterprise") + credential("organization"))},
			{
				// Narrowed in the same run: refused at plan, nothing changes.
				Config:      env.Config(testAccOrganizationWithWorkspaceConfig(name, "pro") + credential("workspace")),
				ExpectError: errorMatching(atPlan, "Organization cannot leave the Enterprise plan", `organization-scoped credentials: "deploy-key"`),
			},
			{
				Config: env.Config(testAccOrganizationWithWorkspaceConfig(name, "pro")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("flero_organization.test", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("flero_credential.deploy", plancheck.ResourceActionDestroy),
					},
				},
				Check: func(*terraform.State) error {
					org, err := env.Admin.Organizations.GetByName(context.Background(), name)
					if err != nil || org.Plan != "pro" {
						return fmt.Errorf("the organization after the apply: %+v %v", org, err)
					}
					creds, err := env.Admin.Credentials.ListByOrganization(context.Background(), org.ID, client.CredentialListOptions{})
					if err != nil || len(creds) != 0 {
						return fmt.Errorf("credentials left: %+v %v", creds, err)
					}
					return nil
				},
			},
		},
	})
}
