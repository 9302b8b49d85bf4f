package provider_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
)

var (
	apiKeyIDRegexp    = regexp.MustCompile(`^key_[0-9a-f]{24}$`)
	apiKeyValueRegexp = regexp.MustCompile(`^flr_[A-Za-z0-9_-]{43}$`)
)

// A revoked key still reads (with revoked_at): for the destroy checks it is gone.
func init() {
	acctest.Register("flero_api_key", acctest.Handler{
		Get: func(ctx context.Context, c *client.Client, a map[string]string) error {
			k, err := c.APIKeys.Get(ctx, a["id"])
			if err == nil && k.RevokedAt != nil {
				return fmt.Errorf("%w: API key %s is revoked", client.ErrNotFound, k.ID)
			}
			return err
		},
		Delete: func(ctx context.Context, c *client.Client, a map[string]string) error {
			return c.APIKeys.Revoke(ctx, a["id"])
		},
	})
}

// apiKeyPlace is an organization with two workspaces, made out of band by the
// platform admin.
type apiKeyPlace struct {
	org       *api.Organization
	ws, other *api.Workspace
}

func newAPIKeyPlace(t *testing.T, env *acctest.Env) apiKeyPlace {
	t.Helper()
	ctx := context.Background()
	p := apiKeyPlace{org: env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("keys")})}
	var err error
	if p.ws, err = env.Admin.Workspaces.Create(ctx, p.org.ID, api.CreateWorkspaceRequest{Name: "prod"}); err != nil {
		t.Fatal(err)
	}
	if p.other, err = env.Admin.Workspaces.Create(ctx, p.org.ID, api.CreateWorkspaceRequest{Name: "staging"}); err != nil {
		t.Fatal(err)
	}
	return p
}

func testAccAPIKeyConfig(wsID, name, expiresAt, keeper string) string {
	return fmt.Sprintf(`
resource "flero_api_key" "test" {
  workspace_id = %q
  name         = %q
  expires_at   = %q
  keepers = {
    rotation = %q
  }
}
`, wsID, name, expiresAt, keeper)
}

// captured remembers values read from the state between steps.
type captured struct{ id, value string }

func (c *captured) from(addr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		var err error
		if c.id, err = acctest.Attr(s, addr, "id"); err != nil {
			return err
		}
		c.value, err = acctest.Attr(s, addr, "value")
		return err
	}
}

// keyAuthenticates checks what the platform says of a key value: accepted or refused.
func keyAuthenticates(env *acctest.Env, value *string, want bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		_, err := env.Client(*value).Me(context.Background())
		switch {
		case want && err != nil:
			return fmt.Errorf("the key is refused: %w", err)
		case !want && !errors.Is(err, client.ErrUnauthorized):
			return fmt.Errorf("the key is not refused with 401: %v", err)
		}
		return nil
	}
}

func keyRevoked(env *acctest.Env, id *string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		k, err := env.Admin.APIKeys.Get(context.Background(), *id)
		if err != nil {
			return err
		}
		if k.RevokedAt == nil {
			return fmt.Errorf("API key %s is not revoked", k.ID)
		}
		return nil
	}
}

// TestAccAPIKey_basic: create (the value in state, the key accepted), rotate by
// keepers (a new key, the old one revoked and refused), rename in place, import by id
// (the value is null: the platform shows it once).
func TestAccAPIKey_basic(t *testing.T) {
	env := acctest.NewEnv(t)
	p := newAPIKeyPlace(t, env)
	addr := "flero_api_key.test"
	expires := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second).Format(time.RFC3339)
	var first, second captured

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: env.Config(testAccAPIKeyConfig(p.ws.ID, "ci", expires, "1")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(apiKeyIDRegexp)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("value"), knownvalue.StringRegexp(apiKeyValueRegexp)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("workspace_id"), knownvalue.StringExact(p.ws.ID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("organization_id"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("expires_at"), knownvalue.StringExact(expires)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("created_by"), knownvalue.StringExact(env.Server.AdminUserID)),
				},
				Check: resource.ComposeTestCheckFunc(env.Exists(addr), first.from(addr), keyAuthenticates(env, &first.value, true)),
			},
			{
				Config: env.Config(testAccAPIKeyConfig(p.ws.ID, "ci", expires, "2")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(second.from(addr),
					func(*terraform.State) error {
						if second.id == first.id || second.value == first.value {
							return fmt.Errorf("the rotation kept the key: %s", second.id)
						}
						return nil
					},
					keyRevoked(env, &first.id), keyAuthenticates(env, &first.value, false), keyAuthenticates(env, &second.value, true)),
			},
			{
				Config: env.Config(testAccAPIKeyConfig(p.ws.ID, "ci-renamed", expires, "2")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("ci-renamed")),
				},
				Check: resource.ComposeTestCheckFunc(resource.TestCheckResourceAttrPtr(addr, "id", &second.id), resource.TestCheckResourceAttrPtr(addr, "value", &second.value)),
			},
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"value", "keepers", "keepers.%", "keepers.rotation"},
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 {
						return fmt.Errorf("imported %d states", len(states))
					}
					if v := states[0].Attributes["value"]; v != "" {
						return fmt.Errorf("an imported key has a value in state")
					}
					if states[0].ID != second.id {
						return fmt.Errorf("imported %s, want %s", states[0].ID, second.id)
					}
					return nil
				},
			},
		},
	})
}

// TestAccAPIKey_validation: exactly one of organization_id and workspace_id, an RFC
// 3339 expiry in the future, refused at plan.
func TestAccAPIKey_validation(t *testing.T) {
	env := acctest.NewEnv(t)
	p := newAPIKeyPlace(t, env)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: env.Config(fmt.Sprintf(`
resource "flero_api_key" "test" {
  organization_id = %q
  workspace_id    = %q
  name            = "both"
}
`, p.org.ID, p.ws.ID)),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*organization_id.*workspace_id`),
			},
			{
				Config:      env.Config(testAccAPIKeyConfig(p.ws.ID, "k", "next tuesday", "1")),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`expires_at must be an RFC 3339 time`),
			},
			{
				Config:      env.Config(testAccAPIKeyConfig(p.ws.ID, "k", "2001-01-01T00:00:00Z", "1")),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`expires_at must be in the future`),
			},
		},
	})
}

// TestAccAPIKey_reachAtPlan: a provider authenticated with a workspace key is refused
// at plan what lies beyond its workspace: another workspace, the organization's
// workspaces, an organization key; in its own workspace it plans.
func TestAccAPIKey_reachAtPlan(t *testing.T) {
	env := acctest.NewEnv(t)
	p := newAPIKeyPlace(t, env)
	key, err := env.Admin.APIKeys.CreateInWorkspace(context.Background(), p.ws.ID, api.CreateAPIKeyRequest{Name: "scoped"})
	if err != nil {
		t.Fatal(err)
	}
	email := acctest.RandomName("member") + "@example.com"
	userID, _ := env.CreateUser(email)
	if _, err := env.Admin.OrganizationMemberships.Create(context.Background(), p.org.ID, api.CreateOrganizationMembershipRequest{Email: email, Role: "member"}); err != nil {
		t.Fatal(err)
	}
	membership := func(wsID string) string {
		return env.Config(fmt.Sprintf(`
resource "flero_workspace_membership" "test" {
  workspace_id = %q
  user_id      = %q
  role         = "viewer"
}
`, wsID, userID))
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactoriesWithToken(key.Key),
		Steps: []resource.TestStep{
			{
				Config:      membership(p.other.ID),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)workspace ` + p.other.ID + `.*API key of workspace\s+` + p.ws.ID + `.*only`),
			},
			{
				Config: env.Config(fmt.Sprintf(`
resource "flero_workspace" "test" {
  organization_id = %q
  name            = "by-key"
}
`, p.org.ID)),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Only organization admins can create or delete workspaces.*API key`),
			},
			{
				Config: env.Config(fmt.Sprintf(`
resource "flero_api_key" "test" {
  organization_id = %q
  name            = "escalate"
}
`, p.org.ID)),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Only organization admins can manage an organization's API keys.*API key`),
			},
			{
				Config:             membership(p.ws.ID),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// TestAccAPIKey_valueNotInTraceLogs: with TF_LOG=TRACE (Terraform's and the provider's
// logs), creating, rotating and importing a key leaves its value out of every log
// line. Not parallel: the log settings are environment variables.
func TestAccAPIKey_valueNotInTraceLogs(t *testing.T) {
	acctest.PreCheck(t)
	dir := t.TempDir()
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(dir, "%s.log"))
	env := acctest.NewEnv(t)
	p := newAPIKeyPlace(t, env)
	addr := "flero_api_key.test"
	expires := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second).Format(time.RFC3339)
	var first, second captured
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{Config: env.Config(testAccAPIKeyConfig(p.ws.ID, "logged", expires, "1")), Check: first.from(addr)},
			{Config: env.Config(testAccAPIKeyConfig(p.ws.ID, "logged", expires, "2")), Check: second.from(addr)},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"value", "keepers", "keepers.%", "keepers.rotation"}},
		},
	})
	if t.Failed() {
		return
	}
	var logs []byte
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		logs = append(logs, b...)
	}
	if len(logs) == 0 || !strings.Contains(string(logs), "flero_api_key") || !strings.Contains(string(logs), "/api-keys") {
		t.Fatalf("no TRACE log of the provider's API key requests in %s (%d bytes): the check would see nothing", dir, len(logs))
	}
	for _, v := range []string{first.value, second.value} {
		if !apiKeyValueRegexp.MatchString(v) {
			t.Fatalf("captured value is not a key")
		}
		if strings.Contains(string(logs), v) || strings.Contains(string(logs), strings.TrimPrefix(v, "flr_")) {
			t.Errorf("an API key value is in the TRACE logs")
		}
	}
}
