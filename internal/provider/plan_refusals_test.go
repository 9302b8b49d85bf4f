package provider_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/server"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// Plan sees what apply will refuse (issue 13, point 2): names already taken, rule 9
// (deleting what still holds something), a team of another organization. Each test
// shows the plan's verdict, then that nothing was created or changed, then the
// accepted way through: apply succeeds and the next plan is empty.

func TestAccPlanRefusal_namesTaken(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	otherOrg := acctest.RandomName("taken")
	// Made outside this configuration: an organization with its workspaces "home" and
	// "prod" (custom domain flows.acme.example), a team and a credential, and another
	// organization whose name the configuration also wants.
	org := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("org")})
	other := env.Organization(api.CreateOrganizationRequest{Name: otherOrg})
	home := must(env.Admin.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "home"}))(t)
	prod := must(env.Admin.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "prod", CustomDomain: "flows.acme.example"}))(t)
	team := must(env.Admin.Teams.Create(ctx, org.ID, api.CreateTeamRequest{Name: "platform"}))(t)
	cred := must(env.Admin.Credentials.Create(ctx, home.ID, api.CreateCredentialRequest{Name: "stripe", Type: "api_key", Data: map[string]string{"token": "sk_test_1111"}}))(t)

	// Five creates whose name (or custom domain) those objects hold.
	// The configuration's creates: prod's custom domain is given either to prod or to
	// a new workspace, staging.
	creates := func(prodDomain, staging string) string {
		return fmt.Sprintf(`
resource "flero_organization" "twin" {
  name = %[1]q
}

resource "flero_workspace" "prod" {
  organization_id = %[2]q
  name            = "prod"
  custom_domain   = %[4]q
}

resource "flero_team" "platform" {
  organization_id = %[2]q
  name            = "platform"
}

resource "flero_credential" "stripe" {
  workspace_id    = %[3]q
  name            = "stripe"
  type            = "api_key"
  data_wo         = { token = "sk_test_0000" }
  data_wo_version = 1
}
`, otherOrg, org.ID, home.ID, prodDomain) + staging
	}
	clashes := env.Config(creates("", fmt.Sprintf(`
resource "flero_workspace" "staging" {
  organization_id = %[1]q
  name            = "staging"
  custom_domain   = "flows.acme.example"
}
`, org.ID)))
	refused := func(phrases ...string) resource.TestStep {
		return resource.TestStep{Config: clashes, PlanOnly: true, ExpectError: errorMatching(phrases...)}
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			// The plan refuses each create, naming the holder and its import command.
			refused(`Name already taken`, `Organization name "`+otherOrg+`" is already taken.`, `It is held by organization "`+otherOrg+`" (`+other.ID+`)`,
				`terraform import flero_organization.<name> `+other.ID),
			refused(`Workspace name "prod" is already taken.`, `It is held by workspace "prod" (`+prod.ID+`)`, `terraform import flero_workspace.<name> `+prod.ID),
			refused(`Custom domain "flows.acme.example" is already taken.`, `held by workspace "prod" (`+prod.ID+`)`),
			refused(`Team name "platform" is already taken.`, `to = flero_team.<name>`, `id = "`+team.ID+`"`),
			refused(`Credential name "stripe" is already taken.`, `terraform import flero_credential.<name> `+cred.ID),
			{
				// Nothing was created or changed by the refused plans; importing the
				// existing objects instead is accepted, and the next plan is empty.
				PreConfig: func() {
					ws, teams, creds, err := tenancyCounts(env, org.ID, home.ID)
					if err != nil || ws != 2 || teams != 1 || creds != 1 {
						t.Fatalf("after the refused plans: %d workspaces, %d teams, %d credentials (want 2, 1, 1), err %v", ws, teams, creds, err)
					}
				},
				Config: env.Config(creates("flows.acme.example", fmt.Sprintf(`
import {
  to = flero_organization.twin
  id = %[1]q
}
import {
  to = flero_workspace.prod
  id = %[2]q
}
import {
  to = flero_team.platform
  id = %[3]q
}
import {
  to = flero_credential.stripe
  id = %[4]q
}
`, other.ID, prod.ID, team.ID, cred.ID))),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// TestAccPlanRefusal_workspaceStillHoldsCredentials: rule 9 at plan. `terraform
// destroy` of a workspace and its managed credential plans both deletions (the
// credential's first); a credential made outside the configuration stays, so the plan
// fails naming it, and only it. Once it is gone the destroy succeeds (the test's own
// destroy, then CheckDestroy).
func TestAccPlanRefusal_workspaceStillHoldsCredentials(t *testing.T) {
	env := acctest.NewEnv(t)
	org := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("org")})
	config := env.Config(opsWorkspaceWithCredential(org.ID))
	var ops *api.Workspace
	var legacy *api.Credential

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{Config: config},
			{
				// Made outside the configuration: a credential in the workspace.
				PreConfig: func() {
					ops, legacy = legacyCredentialIn(t, env, org.ID, "ops")
				},
				Config:  config,
				Destroy: true,
				ExpectError: errorMatching(`Workspace is not empty`, `Workspace "ops" still holds credentials: "legacy". Delete or move them first.`,
					`This run does not destroy them`, `"legacy" (cred_`),
			},
			{
				// The refused destroy deleted nothing; with the outside credential gone,
				// the configuration is unchanged and the test's destroy succeeds.
				PreConfig: func() {
					deleteLegacyCredential(t, env, ops, legacy, "destroy")
				},
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}

// TestAccPlanRefusal_organizationStillHasWorkspaces: rule 9 at plan for an
// organization: `terraform destroy` of an organization and its managed workspace
// fails at plan when a workspace made outside the configuration remains, naming it;
// once it is gone, the destroy succeeds.
func TestAccPlanRefusal_organizationStillHasWorkspaces(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	name := acctest.RandomName("org")
	config := env.Config(fmt.Sprintf(`
resource "flero_organization" "acme" {
  name = %[1]q
}

resource "flero_workspace" "app" {
  organization_id = flero_organization.acme.id
  name            = "app"
}
`, name))
	var org *api.Organization
	var shadow *api.Workspace

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					org = must(env.Admin.Organizations.GetByName(ctx, name))(t)
					shadow = must(env.Admin.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "shadow"}))(t)
				},
				Config:      config,
				Destroy:     true,
				ExpectError: errorMatching(`Organization is not empty`, `Organization "`+name+`" still has workspaces: "shadow". Delete them first.`, `"shadow" (ws_`),
			},
			{
				// The refused destroy deleted nothing (the managed workspace is still
				// there: the plan failed before any apply).
				PreConfig: func() {
					wss := must(env.Admin.Workspaces.List(ctx, org.ID))(t)
					if len(wss) != 2 {
						t.Fatalf("after the refused destroy the organization has %d workspaces, want 2", len(wss))
					}
					if err := env.Admin.Workspaces.Delete(ctx, shadow.ID, client.WriteOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// TestAccPlanRefusal_teamOfAnotherOrganization: giving a team of another
// organization a role in a workspace fails at plan, saying that a team belongs to one
// organization (no invitation can fix it); a team of the workspace's organization
// is accepted.
func TestAccPlanRefusal_teamOfAnotherOrganization(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	acme := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("acme")})
	globex := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("globex")})
	ws := must(env.Admin.Workspaces.Create(ctx, acme.ID, api.CreateWorkspaceRequest{Name: "payments"}))(t)
	foreign := must(env.Admin.Teams.Create(ctx, globex.ID, api.CreateTeamRequest{Name: "auditors"}))(t)
	membership := func(teamRef string) string {
		return env.Config(fmt.Sprintf(`
resource "flero_team" "own" {
  organization_id = %[1]q
  name            = "auditors"
}

resource "flero_workspace_membership" "auditors" {
  workspace_id = %[2]q
  team_id      = %[3]s
  role         = "viewer"
}
`, acme.ID, ws.ID, teamRef))
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config:   membership(fmt.Sprintf("%q", foreign.ID)),
				PlanOnly: true,
				ExpectError: errorMatching(`Team "auditors" (`+foreign.ID+`) belongs to another organization than this workspace's ("`+acme.Name+`").`,
					`A team belongs to one organization`, `Give the role to a team of organization "`+acme.Name+`"`),
			},
			{
				PreConfig: func() {
					ms := must(env.Admin.WorkspaceMemberships.List(ctx, ws.ID))(t)
					for _, m := range ms {
						if m.PrincipalType == "team" {
							t.Fatalf("the refused plan made a membership: %+v", m)
						}
					}
				},
				Config: membership("flero_team.own.id"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// TestAccPlanRefusal_membershipsExist: creating a membership that already exists
// (made outside the configuration) fails at plan with its import command; importing
// it instead is accepted, and the next plan is empty.
func TestAccPlanRefusal_membershipsExist(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	org := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("org")})
	ws := must(env.Admin.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "payments"}))(t)
	bobID, _ := env.CreateUser("bob@example.com")
	must(env.Admin.OrganizationMemberships.Create(ctx, org.ID, api.CreateOrganizationMembershipRequest{Email: "bob@example.com", Role: "member"}))(t)
	must(env.Admin.WorkspaceMemberships.Create(ctx, ws.ID, api.CreateWorkspaceMembershipRequest{UserID: bobID, Role: "viewer"}))(t)
	memberships := fmt.Sprintf(`
resource "flero_organization_membership" "bob" {
  organization_id = %[1]q
  email           = "bob@example.com"
  role            = "member"
}

resource "flero_workspace_membership" "bob" {
  workspace_id = %[2]q
  user_id      = %[3]q
  role         = "viewer"
}
`, org.ID, ws.ID, bobID)
	orgImport, wsImport := org.ID+"/bob@example.com", ws.ID+"/user/"+bobID

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{Config: env.Config(memberships), PlanOnly: true,
				ExpectError: errorMatching(`Already exists`, `terraform import flero_organization_membership.<name> `+orgImport)},
			{Config: env.Config(memberships), PlanOnly: true,
				ExpectError: errorMatching(`Already exists`, `workspace membership of user `+bobID, `id = "`+wsImport+`"`)},
			{
				Config: env.Config(memberships + fmt.Sprintf(`
import {
  to = flero_organization_membership.bob
  id = %[1]q
}
import {
  to = flero_workspace_membership.bob
  id = %[2]q
}
`, orgImport, wsImport)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// TestAccPlanRefusal_workspaceRemovedWithItsCredentials: rule 9 in a normal plan.
// A workspace and its managed credential are removed from the configuration;
// Terraform plans the two destroys in no set order, and here the credential's reads
// are answered 2 s late so that the workspace's destroy is planned first: its plan
// waits for the credential's (planrun.AwaitFates). With a credential made outside
// the configuration in the workspace, the plan fails naming it, and only it, and
// nothing is deleted; once it is gone, the same plan is applied and nothing is left.
func TestAccPlanRefusal_workspaceRemovedWithItsCredentials(t *testing.T) {
	var late atomic.Bool
	env := acctest.NewEnv(t, testserver.WithFaults(server.Faults{LatencyFor: func(method, uri string) time.Duration {
		if late.Load() && method == http.MethodGet && strings.HasPrefix(uri, "/v1/credentials/") {
			return 2 * time.Second
		}
		return 0
	}}))
	ctx := context.Background()
	org := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("org")})
	config := env.Config(opsWorkspaceWithCredential(org.ID))
	removed := env.Config(`
data "flero_current_user" "me" {}
`)
	var ops *api.Workspace
	var legacy *api.Credential

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					ops, legacy = legacyCredentialIn(t, env, org.ID, "ops")
					late.Store(true)
				},
				Config: removed,
				ExpectError: errorMatching(atPlan, `Workspace is not empty`, `Workspace "ops" still holds credentials: "legacy". Delete or move them first.`,
					`This run does not destroy them`, `"legacy" (cred_`),
			},
			{
				PreConfig: func() {
					deleteLegacyCredential(t, env, ops, legacy, "plan")
				},
				Config: removed,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("flero_workspace.ops", plancheck.ResourceActionDestroy),
						plancheck.ExpectResourceAction("flero_credential.managed", plancheck.ResourceActionDestroy),
					},
				},
				Check: func(*terraform.State) error { // nothing left (the state holds only the data source)
					if wss, err := env.Admin.Workspaces.List(ctx, org.ID); err != nil || len(wss) != 0 {
						return fmt.Errorf("workspaces left: %+v %v", wss, err)
					}
					return nil
				},
			},
		},
	})
}

// opsWorkspaceWithCredential is workspace "ops" of organization orgID with its
// credential "managed".
func opsWorkspaceWithCredential(orgID string) string {
	return fmt.Sprintf(`
resource "flero_workspace" "ops" {
  organization_id = %[1]q
  name            = "ops"
}

resource "flero_credential" "managed" {
  workspace_id    = flero_workspace.ops.id
  name            = "managed"
  type            = "api_key"
  data_wo         = { token = "sk_test_0000" }
  data_wo_version = 1
}
`, orgID)
}

// legacyCredentialIn makes credential "legacy" in workspace wsName, outside the
// configuration.
func legacyCredentialIn(t *testing.T, env *acctest.Env, orgID, wsName string) (*api.Workspace, *api.Credential) {
	t.Helper()
	ctx := context.Background()
	ws := must(env.Admin.Workspaces.GetByName(ctx, orgID, wsName))(t)
	return ws, must(env.Admin.Credentials.Create(ctx, ws.ID, api.CreateCredentialRequest{
		Name: "legacy", Type: "api_key", Data: map[string]string{"token": "sk_test_1111"}}))(t)
}

// deleteLegacyCredential checks that the refused plan (what) deleted nothing of the
// workspace's two credentials, then deletes the one made outside the configuration.
func deleteLegacyCredential(t *testing.T, env *acctest.Env, ws *api.Workspace, legacy *api.Credential, what string) {
	t.Helper()
	ctx := context.Background()
	creds := must(env.Admin.Credentials.List(ctx, ws.ID))(t)
	if len(creds) != 2 {
		t.Fatalf("after the refused %s the workspace holds %d credentials, want 2", what, len(creds))
	}
	if err := env.Admin.Credentials.Delete(ctx, legacy.ID, client.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
}
