package provider_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	fleroprovider "github.com/flero/terraform-provider-flero/internal/provider"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// TestProvider_schemaIsValid checks the provider, resource and data source schemas
// without Terraform.
func TestProvider_schemaIsValid(t *testing.T) {
	p := fleroprovider.New("test")()
	var resp provider.SchemaResponse
	p.Schema(context.Background(), provider.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	if diags := resp.Schema.ValidateImplementation(context.Background()); diags.HasError() {
		t.Fatal(diags)
	}
	if !resp.Schema.Attributes["token"].IsSensitive() {
		t.Fatal("token must be sensitive")
	}
	if n := len(p.Resources(context.Background())); n < 6 {
		t.Fatalf("%d resources, want at least 6", n)
	}
	if n := len(p.DataSources(context.Background())); n < 5 {
		t.Fatalf("%d data sources, want at least 5", n)
	}
}

// TestAccProvider_tokenNotAccepted: a wrong token is one clear error on the token at
// plan time, and the provider asks the API once.
func TestAccProvider_tokenNotAccepted(t *testing.T) {
	env := acctest.NewEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactoriesWithToken("flero_not_a_real_token"),
		Steps: []resource.TestStep{
			{
				PreConfig:   env.Server.ResetCounters,
				Config:      env.Config(testAccOrganizationConfig("never")),
				PlanOnly:    true,
				ExpectError: errorMatching(`Token not accepted`, `The token was not accepted by the Flero API at`),
			},
		},
	})
	if n := env.Server.TotalRequests(); n != 1 {
		t.Fatalf("the provider sent %d requests with a bad token, want 1 (GET /v1/me)", n)
	}
}

// endpointUnreachable, invalidConfiguration and missingToken test the provider block
// itself: they use the provider without embedded defaults
// (acctest.ProtoV6ProviderFactories) and write its endpoint, and a token that is not
// one, in the block.

// TestAccProvider_endpointUnreachable: nothing listens at the endpoint.
func TestAccProvider_endpointUnreachable(t *testing.T) {
	acctest.PreCheck(t)
	closed := testserver.HoldPort(t, "127.0.0.1:0").URL()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: `
provider "flero" {
  endpoint    = "` + closed + `"
  token       = "anything"
  max_retries = 0
}
` + testAccOrganizationConfig("never"),
				PlanOnly:    true,
				ExpectError: errorMatching(`Flero API unreachable`, `could not reach the Flero API at `+closed),
			},
		},
	})
}

func TestAccProvider_invalidConfiguration(t *testing.T) {
	acctest.PreCheck(t)
	providerBlock := func(endpoint, timeout string) string {
		return fmt.Sprintf(`
provider "flero" {
  endpoint        = %[1]q
  token           = "x"
  request_timeout = %[2]q
}
`, endpoint, timeout) + testAccOrganizationConfig("never")
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      providerBlock("ftp://api.flero.example", "30s"),
				PlanOnly:    true,
				ExpectError: errorMatching("endpoint must be an absolute http:// or https:// URL"),
			},
			{
				Config:      providerBlock("https://api.flero.example", "soon"),
				PlanOnly:    true,
				ExpectError: errorMatching("request_timeout must be a positive duration"),
			},
		},
	})
}

// TestAccProvider_missingToken: no token in the block nor in the environment.
func TestAccProvider_missingToken(t *testing.T) {
	env := acctest.NewEnv(t)
	if os.Getenv(fleroprovider.EnvToken) != "" {
		t.Skipf("%s is set in the environment", fleroprovider.EnvToken)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      fmt.Sprintf("provider \"flero\" {\n  endpoint = %q\n}\n", env.Server.URL) + testAccOrganizationConfig("never"),
				PlanOnly:    true,
				ExpectError: errorMatching("Missing token", "Set token in the provider block, or the FLERO_TOKEN environment variable"),
			},
		},
	})
	if n := env.Server.TotalRequests(); n != 0 {
		t.Fatalf("the provider sent %d requests without a token", n)
	}
}

// TestAccProvider_configurationKnownOnlyAtApply: an endpoint that comes from another
// resource is unknown while planning; the plan does not fail and the apply, once the
// value is known, creates the objects.
func TestAccProvider_configurationKnownOnlyAtApply(t *testing.T) {
	env := acctest.NewEnv(t)
	name := acctest.RandomName("late")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck: func() { acctest.PreCheck(t) },
		// The token only: no default endpoint that the unknown one could fall back on.
		ProtoV6ProviderFactories: acctest.FactoriesFor("", env.Server.AdminToken),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(`
resource "terraform_data" "endpoint" {
  input = %[1]q
}

provider "flero" {
  endpoint = terraform_data.endpoint.output
}
`, env.Server.URL) + testAccOrganizationConfig(name),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("flero_organization.test", plancheck.ResourceActionCreate)},
				},
				Check: env.Exists("flero_organization.test"),
			},
		},
	})
}
