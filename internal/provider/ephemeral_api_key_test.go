package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
)

var ephemeralTerraform = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)}

// keyPrefix starts every key value (and token): none may be in a state or a plan of
// a configuration that only holds ephemeral keys.
const keyPrefix = "flr_"

// noKeyInPlan fails when the plan (terraform show -json of the saved plan file) holds
// anything shaped like a key value.
type noKeyInPlan struct{}

func (noKeyInPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	b, err := json.Marshal(req.Plan)
	if err != nil {
		resp.Error = err
		return
	}
	if len(b) < 100 {
		resp.Error = fmt.Errorf("the plan is empty: %s", b)
		return
	}
	if strings.Contains(string(b), keyPrefix) {
		resp.Error = fmt.Errorf("the saved plan holds a key value")
	}
}

// noKeyInState fails when the state holds anything shaped like a key value.
type noKeyInState struct{}

func (noKeyInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	b, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	if !strings.Contains(string(b), "flero_workspace_membership") {
		resp.Error = fmt.Errorf("the state holds no membership: %s", b)
		return
	}
	for _, bad := range []string{keyPrefix} { // depends_on names ephemeral.flero_api_key.k: a reference, not the key
		if i := strings.Index(string(b), bad); i >= 0 {
			resp.Error = fmt.Errorf("the state holds the ephemeral key (%q at %d: %q)", bad, i, string(b)[max(0, i-80):i])
		}
	}
}

func testAccEphemeralAPIKeyConfig(env *acctest.Env, wsID, userID, role string) string {
	return env.Config(fmt.Sprintf(`
ephemeral "flero_api_key" "k" {
  workspace_id = %[1]q
  name         = "run-key"
  ttl          = "30m"
}

provider "flero" {
  alias       = "ws"
  token       = ephemeral.flero_api_key.k.value
  max_retries = 2
}

resource "flero_workspace_membership" "test" {
  provider     = flero.ws
  workspace_id = %[1]q
  user_id      = %[2]q
  role         = %[3]q
}
`, wsID, userID, role))
}

// runKeys checks the keys the runs minted: some, every one revoked once its run
// ended, and the membership's creation made by one of them (so the key existed, and
// worked, during the run).
func runKeys(env *acctest.Env, p apiKeyPlace) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx := context.Background()
		keys, err := env.Admin.APIKeys.ListInWorkspace(ctx, p.ws.ID)
		if err != nil {
			return err
		}
		ours := map[string]bool{}
		for _, k := range keys {
			if k.Name != "run-key" {
				continue
			}
			ours[k.ID] = true
			if k.RevokedAt == nil {
				return fmt.Errorf("API key %s is not revoked after the run", k.ID)
			}
			if k.ExpiresAt == nil || k.LastUsedAt == nil {
				return fmt.Errorf("API key %s: no expiry or never used: %+v", k.ID, k)
			}
		}
		if len(ours) < 2 {
			return fmt.Errorf("the plan and the apply minted %d keys: %+v", len(ours), keys)
		}
		events, err := env.Admin.Audit.List(ctx, p.org.ID, client.AuditListOptions{Action: "created", EntityType: "workspace_membership", WorkspaceID: p.ws.ID})
		if err != nil {
			return err
		}
		for _, e := range events {
			if ours[e.ActorID] {
				return nil
			}
		}
		return fmt.Errorf("no membership was created by a run's key: %+v", events)
	}
}

// TestAccEphemeralAPIKey: the ephemeral key configures a second provider, scoped to
// one workspace, that creates a membership there; each key lives for its run only
// (revoked after it); nothing of it is in the state or the saved plan.
func TestAccEphemeralAPIKey(t *testing.T) {
	env := acctest.NewEnv(t)
	p := newAPIKeyPlace(t, env)
	email := acctest.RandomName("viewer") + "@example.com"
	userID, _ := env.CreateUser(email)
	if _, err := env.Admin.OrganizationMemberships.Create(context.Background(), p.org.ID, api.CreateOrganizationMembershipRequest{Email: email, Role: "member"}); err != nil {
		t.Fatal(err)
	}
	addr := "flero_workspace_membership.test"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   ephemeralTerraform,
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: testAccEphemeralAPIKeyConfig(env, p.ws.ID, userID, "viewer"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate), noKeyInPlan{}},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{noKeyInState{}},
				Check:             resource.ComposeTestCheckFunc(env.Exists(addr), runKeys(env, p)),
			},
			{
				Config: testAccEphemeralAPIKeyConfig(env, p.ws.ID, userID, "editor"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate), noKeyInPlan{}},
				},
				ConfigStateChecks: []statecheck.StateCheck{noKeyInState{}},
				Check:             runKeys(env, p),
			},
		},
	})
}
