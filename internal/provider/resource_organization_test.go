package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
)

var (
	orgIDRegexp  = regexp.MustCompile(`^org_`)
	wsIDRegexp   = regexp.MustCompile(`^ws_`)
	teamIDRegexp = regexp.MustCompile(`^team_`)
	userIDRegexp = regexp.MustCompile(`^usr_`)
)

func TestAccOrganization_basic(t *testing.T) {
	env := acctest.NewEnv(t)
	name := acctest.RandomName("acme")
	addr := "flero_organization.test"
	sameID := statecheck.CompareValue(compare.ValuesSame())

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: env.Config(testAccOrganizationConfig(name)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(orgIDRegexp)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("avatar_url"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("plan"), knownvalue.StringExact("free")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("sso_enabled"), knownvalue.Bool(false)),
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
				},
				Check: env.Exists(addr),
			},
			{
				Config: env.Config(testAccOrganizationConfigFull(name+"-renamed", "Platform org", "https://cdn.example.com/acme.png", "pro", true)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(name+"-renamed")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("Platform org")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("avatar_url"), knownvalue.StringExact("https://cdn.example.com/acme.png")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("plan"), knownvalue.StringExact("pro")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("sso_enabled"), knownvalue.Bool(true)),
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
				},
			},
			{
				// Removing the optional attributes clears them: no flapping between null and "".
				Config: env.Config(testAccOrganizationConfig(name)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("avatar_url"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("plan"), knownvalue.StringExact("free")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("sso_enabled"), knownvalue.Bool(false)),
				},
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				Config:          env.Config(testAccOrganizationConfig(name)),
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
			{
				// By name as well as by id.
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     name,
				ImportStateVerify: true,
			},
		},
	})
}

func TestAccOrganization_disappears(t *testing.T) {
	env := acctest.NewEnv(t)
	addr := "flero_organization.test"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config:             env.Config(testAccOrganizationConfig(acctest.RandomName("gone"))),
				Check:              resource.ComposeTestCheckFunc(env.Exists(addr), env.Disappears(addr)),
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
			},
		},
	})
}

// TestAccOrganization_driftOutsideTerraform: a change made with the API shows in the next plan.
func TestAccOrganization_driftOutsideTerraform(t *testing.T) {
	env := acctest.NewEnv(t)
	addr := "flero_organization.test"
	name := acctest.RandomName("drift")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{Config: env.Config(testAccOrganizationConfig(name))},
			{
				PreConfig: func() {
					org, err := env.Admin.Organizations.GetByName(context.Background(), name)
					if err != nil {
						t.Fatal(err)
					}
					desc := "changed by hand"
					if _, err := env.Admin.Organizations.Update(context.Background(), org.ID, api.UpdateOrganizationRequest{Description: &desc}, client.WriteOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				Config:             env.Config(testAccOrganizationConfig(name)),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: env.Config(testAccOrganizationConfig(name)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("")),
				},
			},
		},
	})
}

// TestAccOrganization_changedBetweenPlanAndApply: the version read at plan time goes
// out as If-Match, so a change made after the plan is a conflict naming the object,
// not a silent overwrite.
func TestAccOrganization_changedBetweenPlanAndApply(t *testing.T) {
	env := acctest.NewEnv(t)
	name := acctest.RandomName("race")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{Config: env.Config(testAccOrganizationConfig(name))},
			{
				Config: env.Config(testAccOrganizationConfigFull(name, "from terraform", "", "free", false)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("flero_organization.test", plancheck.ResourceActionUpdate),
					changeOutOfBand(func() error {
						org, err := env.Admin.Organizations.GetByName(context.Background(), name)
						if err != nil {
							return err
						}
						desc := "from someone else"
						_, err = env.Admin.Organizations.Update(context.Background(), org.ID, api.UpdateOrganizationRequest{Description: &desc}, client.WriteOptions{})
						return err
					}),
				}},
				ExpectError: errorMatching(`Conflict: organization "` + name + `" changed since the plan was made`),
			},
			{
				// Nothing was overwritten; a new plan sees the other change and applies over it.
				PreConfig: func() {
					org, err := env.Admin.Organizations.GetByName(context.Background(), name)
					if err != nil || org.Description != "from someone else" {
						t.Fatalf("the out-of-band change was overwritten: %+v %v", org, err)
					}
				},
				Config: env.Config(testAccOrganizationConfigFull(name, "from terraform", "", "free", false)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("flero_organization.test", tfjsonpath.New("description"), knownvalue.StringExact("from terraform")),
				},
			},
		},
	})
}

func testAccOrganizationConfig(name string) string {
	return fmt.Sprintf(`
resource "flero_organization" "test" {
  name = %[1]q
}
`, name)
}

func testAccOrganizationConfigFull(name, description, avatarURL, plan string, sso bool) string {
	return fmt.Sprintf(`
resource "flero_organization" "test" {
  name        = %[1]q
  description = %[2]q
  avatar_url  = %[3]q
  plan        = %[4]q
  sso_enabled = %[5]t
}
`, name, description, avatarURL, plan, sso)
}

// TestAccOrganization_downgradeGuardAtPlan: rule 2 at plan time. An enterprise
// organization holding an organization-scoped credential cannot move to pro; the
// error is on plan, names the credential, and the organization stays enterprise.
func TestAccOrganization_downgradeGuardAtPlan(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	name := acctest.RandomName("ent")
	var credID string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{Config: env.Config(testAccOrganizationWithWorkspaceConfig(name, "enterprise"))},
			{
				PreConfig: func() {
					org, err := env.Admin.Organizations.GetByName(ctx, name)
					if err != nil {
						t.Fatal(err)
					}
					ws, err := env.Admin.Workspaces.GetByName(ctx, org.ID, "prod")
					if err != nil {
						t.Fatal(err)
					}
					cred, err := env.Admin.Credentials.Create(ctx, ws.ID, api.CreateCredentialRequest{
						Name: "deploy-key", Type: "ssh_key", Scope: "organization", Data: map[string]string{"key": "not-a-real-key"},
					})
					if err != nil {
						t.Fatal(err)
					}
					credID = cred.ID
				},
				Config:      env.Config(testAccOrganizationWithWorkspaceConfig(name, "pro")),
				PlanOnly:    true,
				ExpectError: errorMatching("Organization cannot leave the Enterprise plan", `organization-scoped credentials: "deploy-key"`),
			},
			{
				PreConfig: func() {
					org, err := env.Admin.Organizations.GetByName(ctx, name)
					if err != nil || org.Plan != "enterprise" {
						t.Fatalf("after the refused plan: %+v %v", org, err)
					}
					// Clean up out of band so that the workspace can be destroyed.
					if err := env.Admin.Credentials.Delete(ctx, credID, client.WriteOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				// Without organization-scoped credentials the downgrade goes through.
				Config: env.Config(testAccOrganizationWithWorkspaceConfig(name, "pro")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("flero_organization.test", tfjsonpath.New("plan"), knownvalue.StringExact("pro")),
				},
			},
		},
	})
}

func testAccOrganizationWithWorkspaceConfig(name, plan string) string {
	return fmt.Sprintf(`
resource "flero_organization" "test" {
  name = %[1]q
  plan = %[2]q
}

resource "flero_workspace" "test" {
  organization_id = flero_organization.test.id
  name            = "prod"
}
`, name, plan)
}
