package provider_test

// Configurations and checks of the flero_credential tests.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/store"
)

// ---------------------------------------------------------------------------
// Configurations

// testAccCredentialTenancyConfig is an organization with two workspaces, home and other.
func testAccCredentialTenancyConfig(org, plan string) string {
	return fmt.Sprintf(`
resource "flero_organization" "o" {
  name = %[1]q
  plan = %[2]q
}

resource "flero_workspace" "home" {
  organization_id = flero_organization.o.id
  name            = "home"
}

resource "flero_workspace" "other" {
  organization_id = flero_organization.o.id
  name            = "other"
}
`, org, plan)
}

// testAccCredentialConfig is flero_credential.x in workspace home (or the workspace id
// given), with the secret attributes given by dataWO or dataAttr.
func testAccCredentialConfig(name, scope, secret string, workspaceID ...string) string {
	ws := "flero_workspace.home.id"
	if len(workspaceID) > 0 {
		ws = fmt.Sprintf("%q", workspaceID[0])
	}
	return fmt.Sprintf(`
resource "flero_credential" "x" {
  workspace_id = %[1]s
  name         = %[2]q
  type         = "api_key"
  scope        = %[3]q
%[4]s}
`, ws, name, scope, secret)
}

// No credential value is ever written in a test configuration: the test harness logs
// every configuration at TRACE, Terraform quotes configuration lines in its errors and
// copies the configuration into saved plans. The value comes from the variable
// "secret", declared by ephemeralSecretVariable (data_wo) or sensitiveSecretVariable
// (data) and valued by the step's ConfigVariables (secretVariable, withSecret), which
// the harness writes to a .tfvars.json file without logging it.

// dataWO sets data_wo from var.secret, which should be ephemeral
// (ephemeralSecretVariable), as the documentation recommends.
func dataWO(version int) string {
	return fmt.Sprintf("  data_wo         = { token = var.secret }\n  data_wo_version = %d\n", version)
}

// dataAttr sets data from var.secret, which cannot be ephemeral (data is kept in the
// state): sensitiveSecretVariable.
func dataAttr() string {
	return "  data = { token = var.secret }\n"
}

const ephemeralSecretVariable = `
variable "secret" {
  type      = string
  sensitive = true
  ephemeral = true
}
`

const sensitiveSecretVariable = `
variable "secret" {
  type      = string
  sensitive = true
}
`

func secretVariable(secret string) config.Variables {
	return config.Variables{"secret": config.StringVariable(secret)}
}

// withSecret values var.secret with secret in every step that sets no variables of its
// own.
func withSecret(secret string, steps []resource.TestStep) []resource.TestStep {
	for i := range steps {
		if steps[i].ConfigVariables == nil {
			steps[i].ConfigVariables = secretVariable(secret)
		}
	}
	return steps
}

// ---------------------------------------------------------------------------
// Checks

// secretInJSON reports whether v, encoded as JSON, holds secret.
func secretInJSON(v any, secret string) (bool, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return false, err
	}
	return bytes.Contains(b, []byte(secret)), nil
}

type secretInPlanCheck struct {
	secret string
	want   bool
}

// secretInPlan checks whether the saved plan (terraform show -json) holds secret.
func secretInPlan(secret string, want bool) plancheck.PlanCheck {
	return secretInPlanCheck{secret, want}
}

func (c secretInPlanCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	found, err := secretInJSON(req.Plan, c.secret)
	switch {
	case err != nil:
		resp.Error = err
	case found != c.want:
		resp.Error = fmt.Errorf("the saved plan holds the secret: %t, want %t", found, c.want)
	}
}

type secretInStateCheck struct {
	secret string
	want   bool
}

// secretInState checks whether the state (terraform show -json) holds secret.
func secretInState(secret string, want bool) statecheck.StateCheck {
	return secretInStateCheck{secret, want}
}

func (c secretInStateCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	found, err := secretInJSON(req.State, c.secret)
	switch {
	case err != nil:
		resp.Error = err
	case found != c.want:
		resp.Error = fmt.Errorf("the state holds the secret: %t, want %t", found, c.want)
	}
}

// storedSecret checks, in the server's store, that the credential of credAddr holds
// exactly {token = secret} at the given data revision.
func storedSecret(env *acctest.Env, secret string, revision int64) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		id, err := acctest.Attr(s, credAddr, "id")
		if err != nil {
			return err
		}
		var data map[string]string
		var cred store.Credential
		err = env.Server.Store().Read(context.Background(), func(tx *store.Tx) error {
			if cred, err = tx.Credential(id); err != nil {
				return err
			}
			data, err = tx.CredentialData(cred)
			return err
		})
		if err != nil {
			return err
		}
		if cred.DataRevision != revision {
			return fmt.Errorf("data revision %d, want %d", cred.DataRevision, revision)
		}
		if len(data) != 1 || data["token"] != secret {
			return fmt.Errorf("the stored secret is not the one configured (keys %d)", len(data))
		}
		return nil
	}
}

// apiScope checks the scope the API holds for credAddr.
func apiScope(env *acctest.Env, scope string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		id, err := acctest.Attr(s, credAddr, "id")
		if err != nil {
			return err
		}
		c, err := env.Admin.Credentials.Get(context.Background(), id)
		if err != nil {
			return err
		}
		if c.Scope != scope {
			return fmt.Errorf("the API holds scope %s, want %s", c.Scope, scope)
		}
		return nil
	}
}

// assertNoCredentialCreated asks the organization's audit log (which records every
// creation, personal credentials included) that no credential was ever created but
// those of the ids in except.
func assertNoCredentialCreated(t *testing.T, env *acctest.Env, orgName string, except ...string) {
	t.Helper()
	ctx := context.Background()
	o, err := env.Admin.Organizations.GetByName(ctx, orgName)
	if err != nil {
		t.Fatal(err)
	}
	events, err := env.Admin.Audit.List(ctx, o.ID, client.AuditListOptions{EntityType: "credential"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.Action == "created" && !slices.Contains(except, e.EntityID) {
			t.Fatalf("a credential was created (%s) although the plan was refused", e.EntityID)
		}
	}
}
