package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flero/terraform-provider-flero/internal/acctest"
)

func TestAccOrganizationDataSource_byIDAndByName(t *testing.T) {
	env := acctest.NewEnv(t)
	name := acctest.RandomName("acme")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config:      env.Config(`data "flero_organization" "none" {}`),
				PlanOnly:    true,
				ExpectError: errorMatching("Missing Attribute Configuration", "Exactly one of these attributes must be configured: [id,name]"),
			},
			{
				Config:      env.Config(`data "flero_organization" "missing" { name = "no-such-org" }`),
				PlanOnly:    true,
				ExpectError: errorMatching(`organization "no-such-org"`),
			},
			{
				Config: env.Config(testAccOrganizationConfigFull(name, "Acme", "", "enterprise", false) + `
data "flero_organization" "by_id" {
  id = flero_organization.test.id
}

data "flero_organization" "by_name" {
  name = flero_organization.test.name
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs("data.flero_organization.by_id", tfjsonpath.New("name"), "flero_organization.test", tfjsonpath.New("name"), compare.ValuesSame()),
					statecheck.CompareValuePairs("data.flero_organization.by_name", tfjsonpath.New("id"), "flero_organization.test", tfjsonpath.New("id"), compare.ValuesSame()),
					statecheck.ExpectKnownValue("data.flero_organization.by_name", tfjsonpath.New("plan"), knownvalue.StringExact("enterprise")),
					statecheck.ExpectKnownValue("data.flero_organization.by_id", tfjsonpath.New("description"), knownvalue.StringExact("Acme")),
				},
			},
		},
	})
}

func TestAccWorkspaceDataSource_byIDAndByName(t *testing.T) {
	env := acctest.NewEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config:      env.Config(`data "flero_workspace" "half" { name = "prod" }`),
				PlanOnly:    true,
				ExpectError: errorMatching("Invalid Attribute Combination", "These attributes must be configured together: [organization_id,name]"),
			},
			{
				Config: env.Config(testAccWorkspaceConfig(acctest.RandomName("org"), "prod", "Production", "flows.acme.example") + `
data "flero_workspace" "by_id" {
  id = flero_workspace.test.id
}

data "flero_workspace" "by_name" {
  organization_id = flero_organization.test.id
  name            = flero_workspace.test.name
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs("data.flero_workspace.by_id", tfjsonpath.New("name"), "flero_workspace.test", tfjsonpath.New("name"), compare.ValuesSame()),
					statecheck.CompareValuePairs("data.flero_workspace.by_name", tfjsonpath.New("id"), "flero_workspace.test", tfjsonpath.New("id"), compare.ValuesSame()),
					statecheck.ExpectKnownValue("data.flero_workspace.by_name", tfjsonpath.New("custom_domain"), knownvalue.StringExact("flows.acme.example")),
					statecheck.ExpectKnownValue("data.flero_workspace.by_id", tfjsonpath.New("description"), knownvalue.StringExact("Production")),
				},
			},
		},
	})
}

func TestAccTeamDataSource_byIDAndByName(t *testing.T) {
	env := acctest.NewEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: env.Config(testAccTeamConfig(acctest.RandomName("org"), "platform", "Platform team", "") + `
data "flero_team" "by_id" {
  id = flero_team.test.id
}

data "flero_team" "by_name" {
  organization_id = flero_organization.test.id
  name            = flero_team.test.name
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs("data.flero_team.by_id", tfjsonpath.New("name"), "flero_team.test", tfjsonpath.New("name"), compare.ValuesSame()),
					statecheck.CompareValuePairs("data.flero_team.by_name", tfjsonpath.New("id"), "flero_team.test", tfjsonpath.New("id"), compare.ValuesSame()),
					statecheck.ExpectKnownValue("data.flero_team.by_name", tfjsonpath.New("description"), knownvalue.StringExact("Platform team")),
				},
			},
		},
	})
}

func TestAccUserDataSource_byEmail(t *testing.T) {
	env := acctest.NewEnv(t)
	userID, _ := env.CreateUser("carol@example.com")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				// Case-insensitive match; the configured spelling is kept.
				Config: env.Config(fmt.Sprintf(`
data "flero_user" "carol" {
  email = %[1]q
}

data "flero_current_user" "me" {}
`, "Carol@Example.com")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.flero_user.carol", tfjsonpath.New("id"), knownvalue.StringExact(userID)),
					statecheck.ExpectKnownValue("data.flero_user.carol", tfjsonpath.New("email"), knownvalue.StringExact("Carol@Example.com")),
					statecheck.ExpectKnownValue("data.flero_user.carol", tfjsonpath.New("status"), knownvalue.StringExact("active")),
					statecheck.ExpectKnownValue("data.flero_current_user.me", tfjsonpath.New("id"), knownvalue.StringExact(env.Server.AdminUserID)),
					statecheck.ExpectKnownValue("data.flero_current_user.me", tfjsonpath.New("platform_admin"), knownvalue.Bool(true)),
				},
			},
		},
	})
}

func TestAccCurrentUserDataSource_nonAdmin(t *testing.T) {
	env := acctest.NewEnv(t)
	userID, token := env.CreateUser("dave@example.com")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactoriesWithToken(token),
		Steps: []resource.TestStep{
			{
				Config: env.ProviderConfig() + `data "flero_current_user" "me" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.flero_current_user.me", tfjsonpath.New("id"), knownvalue.StringExact(userID)),
					statecheck.ExpectKnownValue("data.flero_current_user.me", tfjsonpath.New("email"), knownvalue.StringExact("dave@example.com")),
					statecheck.ExpectKnownValue("data.flero_current_user.me", tfjsonpath.New("platform_admin"), knownvalue.Bool(false)),
				},
			},
		},
	})
}
