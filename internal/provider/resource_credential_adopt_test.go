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

// TestAccCredential_adoptedWithoutSecret: a credential made outside Terraform is
// imported (an import block, by name) with a configuration that has neither data nor
// data_wo: the plan imports it with no change and the secret stays as it is on the
// platform. Adding data_wo with a version then rotates it. Runs on every Terraform.
func TestAccCredential_adoptedWithoutSecret(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	org := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("acme")})
	ws, err := env.Admin.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "payments"})
	if err != nil {
		t.Fatal(err)
	}
	original, rotated := randomSecret(t), randomSecret(t)
	if _, err := env.Admin.Credentials.Create(ctx, ws.ID, api.CreateCredentialRequest{
		Name: "slack-bot", Type: "slack_bot", Scope: "workspace", Data: map[string]string{"token": original},
	}); err != nil {
		t.Fatal(err)
	}
	cfg := func(secretAttrs string) string {
		return env.Config(ephemeralSecretVariable + fmt.Sprintf(`
import {
  to = %[1]s
  id = "%[2]s/payments/slack-bot"
}

resource "flero_credential" "x" {
  workspace_id = %[3]q
  name         = "slack-bot"
  type         = "slack_bot"
%[4]s}
`, credAddr, org.Name, ws.ID, secretAttrs))
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: withSecret(rotated, []resource.TestStep{
			{
				Config: cfg(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(credAddr, plancheck.ResourceActionNoop)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: storedSecret(env, original, 1),
			},
			{
				Config: cfg(dataWO(1)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(credAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: storedSecret(env, rotated, 2),
			},
		}),
	})
}
