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
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
)

func TestAccWorkspaceMembership_basic(t *testing.T) {
	env := acctest.NewEnv(t)
	org := acctest.RandomName("org")
	user := "flero_workspace_membership.user"
	team := "flero_workspace_membership.team"

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: env.Config(testAccWorkspaceMembershipConfig(org, "viewer", "editor")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(user, plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(team, plancheck.ResourceActionCreate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(user, tfjsonpath.New("role"), knownvalue.StringExact("viewer")),
					statecheck.ExpectKnownValue(user, tfjsonpath.New("team_id"), knownvalue.Null()),
					statecheck.CompareValuePairs(user, tfjsonpath.New("user_id"), "flero_organization_membership.alice", tfjsonpath.New("user_id"), compare.ValuesSame()),
					statecheck.ExpectKnownValue(team, tfjsonpath.New("role"), knownvalue.StringExact("editor")),
					statecheck.ExpectKnownValue(team, tfjsonpath.New("user_id"), knownvalue.Null()),
					statecheck.CompareValuePairs(team, tfjsonpath.New("team_id"), "flero_team.test", tfjsonpath.New("id"), compare.ValuesSame()),
					statecheck.ExpectKnownValue(user, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^ws_[^/]+/user/usr_`))),
					statecheck.ExpectKnownValue(team, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^ws_[^/]+/team/team_`))),
				},
				Check: resource.ComposeTestCheckFunc(env.Exists(user), env.Exists(team)),
			},
			{
				Config: env.Config(testAccWorkspaceMembershipConfig(org, "editor", "admin")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(user, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(team, plancheck.ResourceActionUpdate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(user, tfjsonpath.New("role"), knownvalue.StringExact("editor")),
					statecheck.ExpectKnownValue(team, tfjsonpath.New("role"), knownvalue.StringExact("admin")),
				},
			},
			{
				ResourceName:      user,
				ImportState:       true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) { return acctest.Attr(s, user, "id") },
				ImportStateVerify: true,
			},
			{
				ResourceName:      team,
				ImportState:       true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) { return acctest.Attr(s, team, "id") },
				ImportStateVerify: true,
			},
			{
				Config:            env.Config(testAccWorkspaceMembershipConfig(org, "editor", "admin")),
				ResourceName:      user,
				ImportState:       true,
				ImportStateKind:   resource.ImportBlockWithID,
				ImportStateIdFunc: func(s *terraform.State) (string, error) { return acctest.Attr(s, user, "id") },
			},
			{
				Config:            env.Config(testAccWorkspaceMembershipConfig(org, "editor", "admin")),
				ResourceName:      team,
				ImportState:       true,
				ImportStateKind:   resource.ImportBlockWithID,
				ImportStateIdFunc: func(s *terraform.State) (string, error) { return acctest.Attr(s, team, "id") },
			},
		},
	})
}

func TestAccWorkspaceMembership_disappears(t *testing.T) {
	env := acctest.NewEnv(t)
	addr := "flero_workspace_membership.user"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config:             env.Config(testAccWorkspaceMembershipConfig(acctest.RandomName("org"), "viewer", "viewer")),
				Check:              resource.ComposeTestCheckFunc(env.Exists(addr), env.Disappears(addr)),
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
			},
		},
	})
}

// TestAccWorkspaceMembership_userNotInOrganizationAtPlan: the user must belong to the
// workspace's organization; the plan refuses, nothing is created.
func TestAccWorkspaceMembership_userNotInOrganizationAtPlan(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	org := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("org")})
	ws, err := env.Admin.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "prod"})
	if err != nil {
		t.Fatal(err)
	}
	strangerID, _ := env.CreateUser("stranger@example.com")
	before, err := env.Admin.WorkspaceMemberships.List(ctx, ws.ID)
	if err != nil {
		t.Fatal(err)
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: env.Config(fmt.Sprintf(`
resource "flero_workspace_membership" "test" {
  workspace_id = %[1]q
  user_id      = %[2]q
  role         = "viewer"
}
`, ws.ID, strangerID)),
				PlanOnly:    true,
				ExpectError: errorMatching("User " + strangerID + " is not a member of organization"),
			},
		},
	})
	if _, err := env.Admin.WorkspaceMemberships.Get(ctx, ws.ID, client.PrincipalUser, strangerID); !client.IsNotFound(err) {
		t.Fatalf("the refused plan created a membership (err %v)", err)
	}
	after, err := env.Admin.WorkspaceMemberships.List(ctx, ws.ID)
	if err != nil || len(after) != len(before) {
		t.Fatalf("memberships before %d, after %d (%v)", len(before), len(after), err)
	}
}

// TestAccWorkspaceMembership_forbiddenAtPlan: a workspace viewer cannot manage the
// workspace's memberships.
func TestAccWorkspaceMembership_forbiddenAtPlan(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	org := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("org")})
	ws, err := env.Admin.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "prod"})
	if err != nil {
		t.Fatal(err)
	}
	viewerID, viewerToken := env.CreateUser("viewer@example.com")
	otherID, _ := env.CreateUser("other@example.com")
	for _, email := range []string{"viewer@example.com", "other@example.com"} {
		if _, err := env.Admin.OrganizationMemberships.Create(ctx, org.ID, api.CreateOrganizationMembershipRequest{Email: email, Role: "member"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := env.Admin.WorkspaceMemberships.Create(ctx, ws.ID, api.CreateWorkspaceMembershipRequest{UserID: viewerID, Role: "viewer"}); err != nil {
		t.Fatal(err)
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactoriesWithToken(viewerToken),
		Steps: []resource.TestStep{
			{
				Config: env.ProviderConfig() + fmt.Sprintf(`
resource "flero_workspace_membership" "test" {
  workspace_id = %[1]q
  user_id      = %[2]q
  role         = "editor"
}
`, ws.ID, otherID),
				PlanOnly:    true,
				ExpectError: errorMatching("Only workspace admins and owners (or organization admins) can manage workspace memberships;", "role in the workspace is viewer"),
			},
		},
	})
	if _, err := env.Admin.WorkspaceMemberships.Get(ctx, ws.ID, client.PrincipalUser, otherID); !client.IsNotFound(err) {
		t.Fatalf("the refused plan created a membership (err %v)", err)
	}
}

func TestAccWorkspaceMembership_exactlyOnePrincipal(t *testing.T) {
	env := acctest.NewEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: env.Config(`
resource "flero_workspace_membership" "test" {
  workspace_id = "ws_1"
  user_id      = "usr_1"
  team_id      = "team_1"
  role         = "viewer"
}
`),
				PlanOnly:    true,
				ExpectError: errorMatching("Invalid Attribute Combination", "user_id", "team_id"),
			},
			{
				Config: env.Config(`
resource "flero_workspace_membership" "test" {
  workspace_id = "ws_1"
  user_id      = "usr_1"
  role         = "superuser"
}
`),
				PlanOnly:    true,
				ExpectError: errorMatching(`role must be one of "viewer", "editor", "admin", "owner", got "superuser"`),
			},
		},
	})
}

func testAccWorkspaceMembershipConfig(org, userRole, teamRole string) string {
	return fmt.Sprintf(`
resource "flero_organization" "test" {
  name = %[1]q
}

resource "flero_workspace" "test" {
  organization_id = flero_organization.test.id
  name            = "prod"
}

resource "flero_team" "test" {
  organization_id = flero_organization.test.id
  name            = "platform"
}

resource "flero_organization_membership" "alice" {
  organization_id = flero_organization.test.id
  email           = "alice@example.com"
  role            = "member"
}

resource "flero_workspace_membership" "user" {
  workspace_id = flero_workspace.test.id
  user_id      = flero_organization_membership.alice.user_id
  role         = %[2]q
}

resource "flero_workspace_membership" "team" {
  workspace_id = flero_workspace.test.id
  team_id      = flero_team.test.id
  role         = %[3]q
}
`, org, userRole, teamRole)
}
