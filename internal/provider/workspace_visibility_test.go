package provider_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
)

// TestAccWorkspaceVisibility_unassignedIsNotFound is rule 10 as a member's token meets
// it: a workspace it is not assigned to is a clear not-found in a data source and at
// plan time for a resource planned in it; the workspace it is assigned to reads.
func TestAccWorkspaceVisibility_unassignedIsNotFound(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	org := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("org")})
	mine, err := env.Admin.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "mine"})
	if err != nil {
		t.Fatal(err)
	}
	hidden, err := env.Admin.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "hidden"})
	if err != nil {
		t.Fatal(err)
	}
	memberID, memberToken := env.CreateUser("assigned-member@example.com")
	if _, err := env.Admin.OrganizationMemberships.Create(ctx, org.ID, api.CreateOrganizationMembershipRequest{Email: "assigned-member@example.com", Role: "member"}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Admin.WorkspaceMemberships.Create(ctx, mine.ID, api.CreateWorkspaceMembershipRequest{UserID: memberID, Role: "admin"}); err != nil {
		t.Fatal(err)
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactoriesWithToken(memberToken),
		Steps: []resource.TestStep{
			{
				Config: env.ProviderConfig() + fmt.Sprintf(`
data "flero_workspace" "mine" {
  id = %[1]q
}
`, mine.ID),
				Check: resource.TestCheckResourceAttr("data.flero_workspace.mine", "name", "mine"),
			},
			{
				Config: env.ProviderConfig() + fmt.Sprintf(`
data "flero_workspace" "hidden" {
  id = %[1]q
}
`, hidden.ID),
				ExpectError: errorMatching("Workspace not found", "not assigned to it"),
			},
			{
				Config: env.ProviderConfig() + fmt.Sprintf(`
data "flero_workspace" "hidden" {
  organization_id = %[1]q
  name            = "hidden"
}
`, org.ID),
				ExpectError: errorMatching("Workspace not found", `workspace "hidden"`),
			},
			{
				Config: env.ProviderConfig() + fmt.Sprintf(`
resource "flero_workspace_membership" "test" {
  workspace_id = %[1]q
  user_id      = %[2]q
  role         = "viewer"
}
`, hidden.ID, memberID),
				PlanOnly:    true,
				ExpectError: errorMatching("Not found", "workspace "+hidden.ID+" does not exist, or the provider's token cannot see it"),
			},
		},
	})
}
