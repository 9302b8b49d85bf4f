package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
)

// TestAccCredentialUsageDataSource_byRun: the uses by workspace, workflow and run, and a
// check block that fails when a workflow used the credential.
func TestAccCredentialUsageDataSource_byRun(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	_, ws := credentialTenancy(t, env, "free")
	cred, err := env.Admin.Credentials.Create(ctx, ws.ID, api.CreateCredentialRequest{Name: "slack", Type: "slack", Data: map[string]string{"token": "x"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, run := range []string{"run-1", "run-1", "run-2"} {
		if err := env.Admin.Credentials.RecordUse(ctx, cred.ID, api.RecordUseRequest{Workflow: "nightly", WorkspaceID: ws.ID, RunID: run}); err != nil {
			t.Fatal(err)
		}
	}
	cfg := func(assert string) string {
		return env.Config(fmt.Sprintf(`
data "flero_credential_usage" "x" {
  credential_id = %[1]q
  since_days    = 7
}
check "unused_elsewhere" {
  assert {
    condition     = %[2]s
    error_message = "the credential was used elsewhere"
  }
}
`, cred.ID, assert))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: cfg(`length([for u in data.flero_credential_usage.x.uses : u if u.workspace_id == "ws_elsewhere"]) == 0`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.flero_credential_usage.x", tfjsonpath.New("total_uses"), knownvalue.Int64Exact(3)),
					statecheck.ExpectKnownValue("data.flero_credential_usage.x", tfjsonpath.New("uses"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"workspace_id": knownvalue.StringExact(ws.ID), "workflow": knownvalue.StringExact("nightly"),
							"run_id": knownvalue.StringExact("run-1"), "uses": knownvalue.Int64Exact(2), "workspace_name": knownvalue.StringExact("home")}),
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"run_id": knownvalue.StringExact("run-2"), "uses": knownvalue.Int64Exact(1)}),
					})),
				},
			},
			{
				// A check block's failed assertion is a warning in Terraform; the harness
				// reports it as an error only in the plan of a later step, so assert
				// the same condition through an output's precondition instead.
				Config: cfg(`data.flero_credential_usage.x.total_uses >= 0`) + fmt.Sprintf(`
output "guard" {
  value = 1
  precondition {
    condition     = length([for u in data.flero_credential_usage.x.uses : u if u.workspace_id == %q]) == 0
    error_message = "the credential was used in its home workspace"
  }
}
`, ws.ID),
				ExpectError: regexp.MustCompile(`the credential was used in its home workspace`),
			},
		},
	})
}
