package provider_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/store"
)

const credAddr = "flero_credential.x"

var credIDRegexp = regexp.MustCompile(`^cred_`)

// TestAccCredential_writeOnly: the secret given as data_wo never reaches the plan or
// the state; changing data_wo alone plans nothing; bumping data_wo_version rotates the
// secret in place; name and description change in place; import by id.
func TestAccCredential_writeOnly(t *testing.T) {
	env := acctest.NewEnv(t)
	org := acctest.RandomName("wo")
	first, second, third := randomSecret(t), randomSecret(t), randomSecret(t)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	tenancy := testAccCredentialTenancyConfig(org, "free") + ephemeralSecretVariable

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				ConfigVariables: secretVariable(first),
				Config:          env.Config(tenancy + testAccCredentialConfig("stripe", "workspace", dataWO(1))),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(credAddr, plancheck.ResourceActionCreate),
						secretInPlan(first, false),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(credIDRegexp)),
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("organization_id"), knownvalue.StringRegexp(orgIDRegexp)),
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("owner_id"), knownvalue.StringExact(env.Server.AdminUserID)),
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("status"), knownvalue.StringExact("active")),
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("scope"), knownvalue.StringExact("workspace")),
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("description"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("data_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("data"), knownvalue.Null()),
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("data_wo_version"), knownvalue.Int64Exact(1)),
					sameID.AddStateValue(credAddr, tfjsonpath.New("id")),
					secretInState(first, false),
				},
				Check: resource.ComposeTestCheckFunc(env.Exists(credAddr), storedSecret(env, first, 1)),
			},
			{
				// A new data_wo without a new version: Terraform cannot see the change, and
				// the provider plans nothing (the secret is not sent).
				ConfigVariables: secretVariable(second),
				Config:          env.Config(tenancy + testAccCredentialConfig("stripe", "workspace", dataWO(1))),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: storedSecret(env, first, 1),
			},
			{
				// Bumping data_wo_version rotates the secret, in place.
				ConfigVariables: secretVariable(second),
				Config:          env.Config(tenancy + testAccCredentialConfig("stripe", "workspace", dataWO(2))),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(credAddr, plancheck.ResourceActionUpdate),
						secretInPlan(second, false),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("data_wo_version"), knownvalue.Int64Exact(2)),
					sameID.AddStateValue(credAddr, tfjsonpath.New("id")),
					secretInState(second, false),
				},
				Check: storedSecret(env, second, 2),
			},
			{
				// Name and description change in place, without sending the secret.
				ConfigVariables: secretVariable(third),
				Config: env.Config(tenancy + `
resource "flero_credential" "x" {
  workspace_id    = flero_workspace.home.id
  name            = "stripe-live"
  type            = "api_key"
  description     = "Live key"
  data_wo         = { token = var.secret }
  data_wo_version = 2
}
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(credAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("name"), knownvalue.StringExact("stripe-live")),
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("description"), knownvalue.StringExact("Live key")),
					sameID.AddStateValue(credAddr, tfjsonpath.New("id")),
				},
				Check: storedSecret(env, second, 2),
			},
			{
				// The secret cannot be read back: the import has no data_wo_version.
				ConfigVariables:         secretVariable(third),
				ResourceName:            credAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"data", "data_wo_version"},
			},
			{
				// An import block plans the one update that sends the configured secret
				// (data_wo_version is null after the import) — once, not for ever.
				ConfigVariables: secretVariable(third),
				Config: env.Config(tenancy + `
resource "flero_credential" "x" {
  workspace_id    = flero_workspace.home.id
  name            = "stripe-live"
  type            = "api_key"
  description     = "Live key"
  data_wo         = { token = var.secret }
  data_wo_version = 2
}
`),
				ResourceName:       credAddr,
				ImportState:        true,
				ImportStateKind:    resource.ImportBlockWithID,
				ExpectNonEmptyPlan: true,
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(credAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(credAddr, tfjsonpath.New("data_wo_version"), knownvalue.Int64Exact(2)),
						secretInPlan(third, false),
					},
				},
			},
		},
	})
}

// TestAccCredential_dataAttribute: the secret given as data (for Terraform < 1.11) is
// sensitive but kept in the state; changing it rotates the secret in place; after an
// import, one update sets it, and then the plan is empty.
func TestAccCredential_dataAttribute(t *testing.T) {
	env := acctest.NewEnv(t)
	org := acctest.RandomName("data")
	first, second := randomSecret(t), randomSecret(t)
	tenancy := testAccCredentialTenancyConfig(org, "free") + sensitiveSecretVariable
	sameID := statecheck.CompareValue(compare.ValuesSame())

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				ConfigVariables: secretVariable(first),
				Config:          env.Config(tenancy + testAccCredentialConfig("legacy", "workspace", dataAttr())),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					// The control of the write-only checks: data is kept in the state.
					secretInState(first, true),
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("data_wo_version"), knownvalue.Null()),
					sameID.AddStateValue(credAddr, tfjsonpath.New("id")),
				},
				Check: storedSecret(env, first, 1),
			},
			{
				ConfigVariables: secretVariable(second),
				Config:          env.Config(tenancy + testAccCredentialConfig("legacy", "workspace", dataAttr())),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(credAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(credAddr, tfjsonpath.New("id"))},
				Check:             storedSecret(env, second, 2),
			},
			{
				ConfigVariables:         secretVariable(second),
				ResourceName:            credAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"data", "data_wo_version"},
			},
			{
				ConfigVariables:    secretVariable(second),
				Config:             env.Config(tenancy + testAccCredentialConfig("legacy", "workspace", dataAttr())),
				ResourceName:       credAddr,
				ImportState:        true,
				ImportStateKind:    resource.ImportBlockWithID,
				ExpectNonEmptyPlan: true,
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(credAddr, plancheck.ResourceActionUpdate)},
				},
			},
		},
	})
}

// TestAccCredential_secretGivenOnce: the secret is given exactly once (data or
// data_wo), data_wo with its version; refused at validation, before any request.
func TestAccCredential_secretGivenOnce(t *testing.T) {
	env := acctest.NewEnv(t)
	secret := randomSecret(t)
	// Not ephemeral: data takes it too.
	cfg := func(secretAttrs string) string {
		return env.Config(sensitiveSecretVariable + testAccCredentialConfig("once", "workspace", secretAttrs, "ws_anything"))
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		Steps: withSecret(secret, []resource.TestStep{
			{Config: cfg(""), PlanOnly: true, ExpectError: errorMatching("A new credential needs its secret", "set data_wo with data_wo_version")},
			{Config: cfg(dataAttr() + dataWO(1)), PlanOnly: true, ExpectError: errorMatching("Invalid Attribute Combination", "These attributes cannot be configured together: [data,data_wo]")},
			{Config: cfg("  data_wo = { token = var.secret }\n"), PlanOnly: true, ExpectError: errorMatching("These attributes must be configured together: [data_wo,data_wo_version]")},
			{Config: cfg("  data_wo = { \"bad key\" = var.secret }\n  data_wo_version = 1\n"), PlanOnly: true, ExpectError: errorMatching("invalid key")},
		}),
	})
	if n := env.Server.Requests("POST", "/v1/workspaces/{workspace_id}/credentials") + env.Server.Requests("GET", "/v1/workspaces/{workspace_id}"); n != 0 {
		t.Errorf("%d requests for configurations refused at validation", n)
	}
}

// TestAccCredential_importThenApplyOnce: after `terraform import` the first apply
// sends the configured secret once (data_wo_version was null) and the next plan is
// empty: no perpetual diff.
func TestAccCredential_importThenApplyOnce(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	o := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("imp")})
	ws, err := env.Admin.Workspaces.Create(ctx, o.ID, api.CreateWorkspaceRequest{Name: "home"})
	if err != nil {
		t.Fatal(err)
	}
	cred, err := env.Admin.Credentials.Create(ctx, ws.ID, api.CreateCredentialRequest{Name: "imported", Type: "api_key", Data: map[string]string{"token": randomSecret(t)}})
	if err != nil {
		t.Fatal(err)
	}
	secret := randomSecret(t)
	cfg := env.Config(fmt.Sprintf(`
import {
  to = flero_credential.x
  id = %[2]q
}
`, ws.ID, cred.ID) + ephemeralSecretVariable + testAccCredentialConfig("imported", "workspace", dataWO(1), ws.ID))

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: withSecret(secret, []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(credAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("id"), knownvalue.StringExact(cred.ID)),
					secretInState(secret, false),
				},
				Check: storedSecret(env, secret, 2),
			},
		}),
	})
}

// TestAccCredential_scopeTransitions: all six changes of scope, on an enterprise
// organization, are in-place updates that keep the id.
func TestAccCredential_scopeTransitions(t *testing.T) {
	env := acctest.NewEnv(t)
	org := acctest.RandomName("scopes")
	tenancy := testAccCredentialTenancyConfig(org, "enterprise") + ephemeralSecretVariable
	secret := randomSecret(t)
	sameID := statecheck.CompareValue(compare.ValuesSame())

	step := func(scope string, action plancheck.ResourceActionType) resource.TestStep {
		return resource.TestStep{
			Config: env.Config(tenancy + testAccCredentialConfig("shared", scope, dataWO(1))),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(credAddr, action)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("scope"), knownvalue.StringExact(scope)),
				sameID.AddStateValue(credAddr, tfjsonpath.New("id")),
			},
			Check: apiScope(env, scope),
		}
	}
	update := plancheck.ResourceActionUpdate
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: withSecret(secret, []resource.TestStep{
			step("workspace", plancheck.ResourceActionCreate),
			step("personal", update),     // workspace → personal
			step("organization", update), // personal → organization
			step("workspace", update),    // organization → workspace
			step("organization", update), // workspace → organization
			step("personal", update),     // organization → personal
			step("workspace", update),    // personal → workspace
		}),
	})
}

// TestAccCredential_organizationScopeRefusedAtPlan: rule 1 at plan time, on create and
// on a change of scope; the error is on scope and names the organization and its plan;
// nothing is created or changed.
func TestAccCredential_organizationScopeRefusedAtPlan(t *testing.T) {
	env := acctest.NewEnv(t)
	org := acctest.RandomName("free")
	tenancy := testAccCredentialTenancyConfig(org, "free") + ephemeralSecretVariable
	secret := randomSecret(t)
	refusal := rules.CheckScopeAllowed(org, rules.PlanFree, rules.ScopeOrganization)
	var id string

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: withSecret(secret, []resource.TestStep{
			{Config: env.Config(tenancy)},
			{
				Config:      env.Config(tenancy + testAccCredentialConfig("wide", "organization", dataWO(1))),
				PlanOnly:    true,
				ExpectError: errorMatching("Organization scope requires the Enterprise plan", `with flero_credential.x`, refusal.Message),
			},
			{
				PreConfig: func() { assertNoCredentialCreated(t, env, org) },
				Config:    env.Config(tenancy + testAccCredentialConfig("wide", "workspace", dataWO(1))),
				Check: func(s *terraform.State) (err error) {
					id, err = acctest.Attr(s, credAddr, "id")
					return err
				},
			},
			{
				Config:      env.Config(tenancy + testAccCredentialConfig("wide", "organization", dataWO(1))),
				PlanOnly:    true,
				ExpectError: errorMatching("Organization scope requires the Enterprise plan", refusal.Message),
			},
			{
				PreConfig: func() {
					got, err := env.Admin.Credentials.Get(context.Background(), id)
					if err != nil || got.Scope != "workspace" {
						t.Fatalf("the refused widening changed the credential: %+v %v", got, err)
					}
				},
				Config:   env.Config(tenancy + testAccCredentialConfig("wide", "workspace", dataWO(1))),
				PlanOnly: true,
			},
		}),
	})
}

// TestAccCredential_upgradeAndWidenInOneApply: the organization moves to enterprise
// and, in the same apply, an existing credential widens to organization scope and a new
// organization-scoped credential is created. The plan is not refused (the planned
// organization wins over the stored one) and the apply succeeds. Then the downgrade
// guard refuses to leave enterprise at plan.
func TestAccCredential_upgradeAndWidenInOneApply(t *testing.T) {
	env := acctest.NewEnv(t)
	org := acctest.RandomName("upgrade")
	secret := randomSecret(t)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	second := `
resource "flero_credential" "y" {
  workspace_id    = flero_workspace.other.id
  name            = "sso-idp"
  type            = "oidc"
  scope           = "organization"
  data_wo         = { client_secret = var.secret }
  data_wo_version = 1
}
`

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: withSecret(secret, []resource.TestStep{
			{
				Config:            env.Config(testAccCredentialTenancyConfig(org, "free") + ephemeralSecretVariable + testAccCredentialConfig("salesforce", "workspace", dataWO(1))),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(credAddr, tfjsonpath.New("id"))},
			},
			{
				Config: env.Config(testAccCredentialTenancyConfig(org, "enterprise") + ephemeralSecretVariable + testAccCredentialConfig("salesforce", "organization", dataWO(1)) + second),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("flero_organization.o", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(credAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("flero_credential.y", plancheck.ResourceActionCreate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("flero_organization.o", tfjsonpath.New("plan"), knownvalue.StringExact("enterprise")),
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("scope"), knownvalue.StringExact("organization")),
					statecheck.ExpectKnownValue("flero_credential.y", tfjsonpath.New("scope"), knownvalue.StringExact("organization")),
					sameID.AddStateValue(credAddr, tfjsonpath.New("id")),
				},
				Check: apiScope(env, "organization"),
			},
			{
				// Rule 2 with managed credentials: leaving enterprise is refused at plan.
				Config:      env.Config(testAccCredentialTenancyConfig(org, "pro") + ephemeralSecretVariable + testAccCredentialConfig("salesforce", "organization", dataWO(1)) + second),
				PlanOnly:    true,
				ExpectError: errorMatching("Organization cannot leave the Enterprise plan", `"salesforce", "sso-idp"`),
			},
		}),
	})
}

// TestAccCredential_upgradeAndCreateInOneApply: a new organization-scoped credential
// in an existing workspace, with the organization's upgrade in the same apply.
func TestAccCredential_upgradeAndCreateInOneApply(t *testing.T) {
	env := acctest.NewEnv(t)
	org := acctest.RandomName("upcreate")
	secret := randomSecret(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: withSecret(secret, []resource.TestStep{
			{Config: env.Config(testAccCredentialTenancyConfig(org, "free") + ephemeralSecretVariable)},
			{
				Config: env.Config(testAccCredentialTenancyConfig(org, "enterprise") + ephemeralSecretVariable + testAccCredentialConfig("salesforce", "organization", dataWO(1))),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("flero_organization.o", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(credAddr, plancheck.ResourceActionCreate),
						// The workspace is known: the organization, owner and status are planned.
						plancheck.ExpectKnownValue(credAddr, tfjsonpath.New("organization_id"), knownvalue.StringRegexp(orgIDRegexp)),
						plancheck.ExpectKnownValue(credAddr, tfjsonpath.New("owner_id"), knownvalue.StringExact(env.Server.AdminUserID)),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("scope"), knownvalue.StringExact("organization")),
				},
			},
		}),
	})
}

// TestAccCredential_unknownWorkspaceCheckedAtApply: the workspace is created in the
// same run, so rule 1 cannot be checked at plan (the plan warns, see the CLI test);
// the API refuses at apply, and the provider reports its message verbatim.
func TestAccCredential_unknownWorkspaceCheckedAtApply(t *testing.T) {
	env := acctest.NewEnv(t)
	o := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("later")})
	secret := randomSecret(t)
	refusal := rules.CheckScopeAllowed(o.Name, rules.PlanFree, rules.ScopeOrganization)
	cfg := env.Config(fmt.Sprintf(`
resource "flero_workspace" "home" {
  organization_id = %[1]q
  name            = "home"
}
`, o.ID) + ephemeralSecretVariable + testAccCredentialConfig("wide", "organization", dataWO(1)))

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: withSecret(secret, []resource.TestStep{
			{
				Config: cfg,
				// Terraform plans the credential again once the workspace exists, so
				// the refusal comes from that plan or from the API: in the rule's words.
				ExpectError: errorMatching("Organization scope requires the Enterprise plan", refusal.Message),
			},
			{
				PreConfig: func() { assertNoCredentialCreated(t, env, o.Name) },
				Config: env.Config(fmt.Sprintf(`
resource "flero_workspace" "home" {
  organization_id = %[1]q
  name            = "home"
}
`, o.ID) + ephemeralSecretVariable),
			},
		}),
	})
}

// TestAccCredential_viewerRefusedAtPlan: a viewer may create nothing: neither a
// workspace-scoped nor a personal credential. Both are refused at plan with the rule's
// words, and the server holds nothing new.
func TestAccCredential_viewerRefusedAtPlan(t *testing.T) {
	env := acctest.NewEnv(t)
	o, ws := credentialTenancy(t, env, "free")
	_, token := credentialMember(t, env, o, ws, "viewer@example.com", "viewer")
	secret := randomSecret(t)
	cfg := func(scope string) string {
		return env.Config(ephemeralSecretVariable + testAccCredentialConfig("mine", scope, dataWO(1), ws.ID))
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactoriesWithToken(token),
		Steps: withSecret(secret, []resource.TestStep{
			{
				Config:      cfg("workspace"),
				PlanOnly:    true,
				ExpectError: errorMatching("Not allowed to change this credential", rules.CreateCredentialRule(rules.ScopeWorkspace)+"; your role is viewer."),
			},
			{
				Config:      cfg("personal"),
				PlanOnly:    true,
				ExpectError: errorMatching("Not allowed to change this credential", rules.CreateCredentialRule(rules.ScopePersonal)+"; your role is viewer."),
			},
			{
				PreConfig: func() { assertNoCredentialCreated(t, env, o.Name) },
				Config:    env.Config(ephemeralSecretVariable),
			},
		}),
	})
}

// TestAccCredential_editorRights: an editor may create a personal credential (and
// manage it as its owner) but not a workspace-scoped one, nor widen its own to
// workspace scope; a workspace-scoped credential made by an admin can be neither edited
// nor deleted by the editor. Every refusal comes at plan.
func TestAccCredential_editorRights(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	o, ws := credentialTenancy(t, env, "free")
	editorID, token := credentialMember(t, env, o, ws, "editor@example.com", "editor")
	secret, rotated := randomSecret(t), randomSecret(t)
	editor := env.Config(ephemeralSecretVariable)
	shared, err := env.Admin.Credentials.Create(ctx, ws.ID, api.CreateCredentialRequest{Name: "shared", Type: "api_key", Data: map[string]string{"token": secret}})
	if err != nil {
		t.Fatal(err)
	}
	// The admin's credential, adopted by the editor's configuration with another
	// description: adopting it is an edit.
	sharedImport := fmt.Sprintf(`
variable "shared_secret" {
  type      = string
  sensitive = true
}

import {
  to = flero_credential.shared
  id = %[1]q
}

resource "flero_credential" "shared" {
  workspace_id = %[2]q
  name         = "shared"
  type         = "api_key"
  description  = "changed by the editor"
  data         = { token = var.shared_secret }
}
`, shared.ID, ws.ID)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactoriesWithToken(token),
		CheckDestroy:             acctest.CheckDestroyWith(env.Client(token)),
		Steps: withSecret(secret, []resource.TestStep{
			{
				Config:      editor + testAccCredentialConfig("mine", "workspace", dataWO(1), ws.ID),
				PlanOnly:    true,
				ExpectError: errorMatching("Not allowed to change this credential", rules.CreateCredentialRule(rules.ScopeWorkspace)+"; your role is editor."),
			},
			{
				PreConfig: func() { assertNoCredentialCreated(t, env, o.Name, shared.ID) },
				Config:    editor + testAccCredentialConfig("mine", "personal", dataWO(1), ws.ID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("owner_id"), knownvalue.StringExact(editorID)),
				},
			},
			{
				// Re-scoping needs admin for any scope but personal.
				Config:      editor + testAccCredentialConfig("mine", "workspace", dataWO(1), ws.ID),
				PlanOnly:    true,
				ExpectError: errorMatching("Not allowed to change this credential", `can give credential "mine" workspace scope; your role in its workspace is editor`),
			},
			{
				// The owner may edit and rotate their personal credential.
				ConfigVariables: secretVariable(rotated),
				Config:          editor + testAccCredentialConfig("mine-renamed", "personal", dataWO(2), ws.ID),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(credAddr, plancheck.ResourceActionUpdate)},
				},
			},
			{
				// Editing an admin's workspace credential is refused at plan.
				ConfigVariables: config.Variables{"secret": config.StringVariable(rotated), "shared_secret": config.StringVariable(secret)},
				Config:          editor + testAccCredentialConfig("mine-renamed", "personal", dataWO(2), ws.ID) + sharedImport,
				PlanOnly:        true,
				ExpectError:     errorMatching("Not allowed to change this credential", `Only workspace admins and owners (or organization admins) can`, `credential "shared"; your role in its workspace is editor`),
			},
			{
				PreConfig: func() {
					got, err := env.Admin.Credentials.Get(ctx, shared.ID)
					if err != nil || got.Description != "" || got.DataRevision != 1 {
						t.Fatalf("the refused edit changed the credential: %+v %v", got, err)
					}
				},
				ConfigVariables: secretVariable(rotated),
				Config:          editor + testAccCredentialConfig("mine-renamed", "personal", dataWO(2), ws.ID),
			},
		}),
	})
}

// TestAccCredential_editorCannotDelete: destroying an admin's workspace-scoped
// credential with an editor's token is refused when the plan destroys it.
func TestAccCredential_editorCannotDelete(t *testing.T) {
	env := acctest.NewEnv(t)
	o, ws := credentialTenancy(t, env, "free")
	_, token := credentialMember(t, env, o, ws, "editor@example.com", "editor")
	secret := randomSecret(t)
	admin := env.Config(ephemeralSecretVariable + testAccCredentialConfig("shared", "workspace", dataWO(1), ws.ID))

	// The token changes between steps: the providers are set per step (the last step's
	// also destroy at the end).
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:     func() { acctest.PreCheck(t) },
		CheckDestroy: env.CheckDestroy,
		Steps: withSecret(secret, []resource.TestStep{
			{ProtoV6ProviderFactories: env.ProviderFactories(), Config: admin},
			{
				ProtoV6ProviderFactories: env.ProviderFactoriesWithToken(token),
				Config:                   env.Config(ephemeralSecretVariable),
				PlanOnly:                 true,
				ExpectError:              errorMatching("Not allowed to change this credential", `can delete credential "shared"; your role in its workspace is editor`),
			},
			{
				PreConfig: func() {
					creds, err := env.Admin.Credentials.List(context.Background(), ws.ID)
					if err != nil || len(creds) != 1 {
						t.Fatalf("the credential should still exist: %v %v", creds, err)
					}
				},
				ProtoV6ProviderFactories: env.ProviderFactories(),
				Config:                   admin, // the admin destroys it at the end
			},
		}),
	})
}

// TestAccCredential_disappears: deleted outside Terraform, it is planned for creation
// again.
func TestAccCredential_disappears(t *testing.T) {
	env := acctest.NewEnv(t)
	tenancy := testAccCredentialTenancyConfig(acctest.RandomName("gone"), "free") + ephemeralSecretVariable
	secret := randomSecret(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: withSecret(secret, []resource.TestStep{
			{
				Config:             env.Config(tenancy + testAccCredentialConfig("gone", "workspace", dataWO(1))),
				Check:              resource.ComposeTestCheckFunc(env.Exists(credAddr), env.Disappears(credAddr)),
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(credAddr, plancheck.ResourceActionCreate)},
				},
			},
		}),
	})
}

// TestAccCredential_drift: name, description and scope changed outside Terraform show
// in the next plan as an in-place update that restores them.
func TestAccCredential_drift(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	tenancy := testAccCredentialTenancyConfig(acctest.RandomName("drift"), "enterprise") + ephemeralSecretVariable
	secret := randomSecret(t)
	cfg := env.Config(tenancy + testAccCredentialConfig("drifty", "workspace", dataWO(1)))
	var id string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: withSecret(secret, []resource.TestStep{
			{
				Config: cfg,
				Check: func(s *terraform.State) (err error) {
					id, err = acctest.Attr(s, credAddr, "id")
					return err
				},
			},
			{
				PreConfig: func() {
					name, desc, scope := "renamed-by-hand", "by hand", "organization"
					if _, err := env.Admin.Credentials.Update(ctx, id, api.UpdateCredentialRequest{Name: &name, Description: &desc, Scope: &scope}, client.WriteOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(credAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("id"), knownvalue.StringFunc(func(v string) error {
						if v != id {
							return fmt.Errorf("id changed from %s to %s", id, v)
						}
						return nil
					})),
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("name"), knownvalue.StringExact("drifty")),
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("description"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("scope"), knownvalue.StringExact("workspace")),
				},
			},
		}),
	})
}

// TestAccCredential_changedBetweenPlanAndApply: the version read at plan time goes out
// as If-Match; a change made after the plan is a conflict, not an overwrite.
func TestAccCredential_changedBetweenPlanAndApply(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	tenancy := testAccCredentialTenancyConfig(acctest.RandomName("race"), "free") + ephemeralSecretVariable
	secret := randomSecret(t)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: withSecret(secret, []resource.TestStep{
			{
				Config: env.Config(tenancy + testAccCredentialConfig("raced", "workspace", dataWO(1))),
				Check: func(s *terraform.State) (err error) {
					id, err = acctest.Attr(s, credAddr, "id")
					return err
				},
			},
			{
				Config: env.Config(tenancy + testAccCredentialConfig("raced", "personal", dataWO(1))),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changeOutOfBand(func() error {
						desc := "someone else"
						_, err := env.Admin.Credentials.Update(ctx, id, api.UpdateCredentialRequest{Description: &desc}, client.WriteOptions{})
						return err
					}),
				}},
				ExpectError: errorMatching(`credential "raced" changed since the plan was made`),
			},
			{
				PreConfig: func() {
					got, err := env.Admin.Credentials.Get(ctx, id)
					if err != nil || got.Scope != "workspace" || got.Description != "someone else" {
						t.Fatalf("the stale write went through: %+v %v", got, err)
					}
				},
				Config: env.Config(tenancy + testAccCredentialConfig("raced", "personal", dataWO(1))),
				Check:  apiScope(env, "personal"),
			},
		}),
	})
}

// TestAccCredential_inactiveAfterOwnerLeft: the owner of a personal credential leaves
// the organization (rule 8: deactivated, not deleted). Their plan, although the
// platform now hides the organization from them, shows no change and the credential
// as inactive; once they are back in the organization it reads as inactive from the
// API, still without a diff; and they can delete it.
func TestAccCredential_inactiveAfterOwnerLeft(t *testing.T) {
	env := acctest.NewEnv(t)
	o, ws := credentialTenancy(t, env, "free")
	userID, token := credentialMember(t, env, o, ws, "leaver@example.com", "editor")
	secret := randomSecret(t)
	cfg := env.Config(ephemeralSecretVariable + testAccCredentialConfig("mine", "personal", dataWO(1), ws.ID))
	inactive := func() resource.TestStep {
		return resource.TestStep{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("status"), knownvalue.StringExact("inactive")),
			},
		}
	}
	left, back := inactive(), inactive()
	left.PreConfig = func() { leaveOrganization(t, env, o.ID, userID) }
	back.PreConfig = func() { joinOrganization(t, env, o.ID, "leaver@example.com") }
	var id string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactoriesWithToken(token),
		CheckDestroy: func(s *terraform.State) error {
			// Deleted for real: the store no longer holds it.
			return env.Server.Store().Read(context.Background(), func(tx *store.Tx) error {
				if _, err := tx.Credential(id); !errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("credential %s after destroy: %v", id, err)
				}
				return nil
			})
		},
		Steps: withSecret(secret, []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(credAddr, tfjsonpath.New("status"), knownvalue.StringExact("active")),
				},
				Check: func(s *terraform.State) (err error) {
					id, err = acctest.Attr(s, credAddr, "id")
					return err
				},
			},
			left,
			back,
		}),
	})
}

// TestAccCredentialDataSource_basic: metadata by id, never the secret.
func TestAccCredentialDataSource_basic(t *testing.T) {
	env := acctest.NewEnv(t)
	tenancy := testAccCredentialTenancyConfig(acctest.RandomName("ds"), "free") + ephemeralSecretVariable
	secret := randomSecret(t)
	ds := "data.flero_credential.x"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: withSecret(secret, []resource.TestStep{
			{
				Config:      env.Config(ephemeralSecretVariable + `data "flero_credential" "x" { id = "cred_doesnotexist" }`),
				ExpectError: errorMatching("Could not read credential cred_doesnotexist"),
			},
			{
				Config: env.Config(tenancy + testAccCredentialConfig("read-me", "personal", dataWO(1)) + `
data "flero_credential" "x" {
  id = flero_credential.x.id
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs(ds, tfjsonpath.New("id"), credAddr, tfjsonpath.New("id"), compare.ValuesSame()),
					statecheck.CompareValuePairs(ds, tfjsonpath.New("workspace_id"), credAddr, tfjsonpath.New("workspace_id"), compare.ValuesSame()),
					statecheck.CompareValuePairs(ds, tfjsonpath.New("organization_id"), credAddr, tfjsonpath.New("organization_id"), compare.ValuesSame()),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("name"), knownvalue.StringExact("read-me")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("type"), knownvalue.StringExact("api_key")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("scope"), knownvalue.StringExact("personal")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("owner_id"), knownvalue.StringExact(env.Server.AdminUserID)),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("status"), knownvalue.StringExact("active")),
					secretInState(secret, false),
				},
			},
		}),
	})
}
