package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flero/terraform-provider-flero/internal/acctest"
)

// TestAccTenancy_wholeOrganizationInOneApply creates an organization, its workspaces,
// teams and all three membership kinds in a single apply, then checks that a refresh
// costs at most one request per managed object (the first object of a collection is
// a GET, the rest of the collection one list: planrun's listings) and that a
// no-change plan makes no plan-time look-up at all.
func TestAccTenancy_wholeOrganizationInOneApply(t *testing.T) {
	env := acctest.NewEnv(t)
	org := acctest.RandomName("acme")
	cfg := env.Config(testAccTenancyConfig(org))
	env.CreateUser("alice@example.com") // active already; bob is invited

	// The 13 managed objects of testAccTenancyConfig: 1 organization, 2 workspaces,
	// 2 teams, 2 organization memberships, 2 team memberships (one per team), 4
	// workspace memberships (two per workspace).
	const objects = 13
	// What one refresh of them requests, by route: a collection of one object is
	// its GET; a collection of more is the GET of the first and one list.
	wantGets := map[string]int64{
		"/v1/organizations/{organization_id}":                                       1,
		"/v1/workspaces/{workspace_id}":                                             1,
		"/v1/organizations/{organization_id}/workspaces":                            1,
		"/v1/teams/{team_id}":                                                       1,
		"/v1/organizations/{organization_id}/teams":                                 1,
		"/v1/organizations/{organization_id}/memberships/{user_id}":                 1,
		"/v1/organizations/{organization_id}/memberships":                           1,
		"/v1/teams/{team_id}/memberships/{user_id}":                                 2,
		"/v1/workspaces/{workspace_id}/memberships/{principal_type}/{principal_id}": 2,
		"/v1/workspaces/{workspace_id}/memberships":                                 2,
	}
	srv := env.Server

	// checkOneGetPerObject: the reads above, at most one request per managed
	// object, plus the one GET /v1/me of each provider configuration, and nothing
	// else.
	checkOneGetPerObject := func(what string, configures int64) error {
		var problems []string
		for route, want := range wantGets {
			if got := srv.Requests("GET", route); got != want {
				problems = append(problems, fmt.Sprintf("GET %s: %d, want %d", route, got, want))
			}
		}
		if me := srv.Requests("GET", "/v1/me"); me != configures {
			problems = append(problems, fmt.Sprintf("GET /v1/me: %d, want %d (one per provider configuration)", me, configures))
		}
		var reads int64
		for _, n := range wantGets {
			reads += n
		}
		if reads > objects {
			problems = append(problems, fmt.Sprintf("the test expects %d reads for %d objects", reads, objects))
		}
		if total := srv.TotalRequests(); total != reads+configures {
			problems = append(problems, fmt.Sprintf("total requests %d, want %d (%d reads of %d objects + %d configurations)", total, reads+configures, reads, objects, configures))
		}
		if len(problems) > 0 {
			return fmt.Errorf("%s:\n  %s", what, strings.Join(problems, "\n  "))
		}
		t.Logf("%s: %d managed objects, %d requests", what, objects, srv.TotalRequests())
		return nil
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("flero_organization.acme", tfjsonpath.New("plan"), knownvalue.StringExact("pro")),
					statecheck.ExpectKnownValue("flero_workspace.prod", tfjsonpath.New("custom_domain"), knownvalue.StringExact("flows.acme.example")),
					statecheck.ExpectKnownValue("flero_organization_membership.alice", tfjsonpath.New("status"), knownvalue.StringExact("active")),
					statecheck.ExpectKnownValue("flero_organization_membership.bob", tfjsonpath.New("status"), knownvalue.StringExact("invited")),
					statecheck.ExpectKnownValue("flero_workspace_membership.platform_prod", tfjsonpath.New("role"), knownvalue.StringExact("admin")),
				},
				Check: func(s *terraform.State) error {
					var n int64
					for _, rs := range s.RootModule().Resources {
						if strings.HasPrefix(rs.Type, "flero_") {
							n++
						}
					}
					if n != objects {
						return fmt.Errorf("state holds %d flero resources, the test expects %d", n, objects)
					}
					return nil
				},
			},
			{
				// A plan without changes: reads only (refresh=false then refresh=true,
				// two provider configurations), no plan-time look-up.
				PreConfig: srv.ResetCounters,
				Config:    cfg,
				PlanOnly:  true,
			},
			{
				PreConfig: func() {
					if err := checkOneGetPerObject("no-change plan", 2); err != nil {
						t.Error(err)
					}
					if n := srv.Requests("GET", "/v1/me/access"); n != 0 {
						t.Errorf("a no-change plan looked up access %d times", n)
					}
					srv.ResetCounters()
				},
				RefreshState: true,
				Check:        func(*terraform.State) error { return checkOneGetPerObject("refresh", 1) },
			},
		},
	})
}

func testAccTenancyConfig(org string) string {
	return fmt.Sprintf(`
resource "flero_organization" "acme" {
  name        = %[1]q
  description = "Acme Corp"
  plan        = "pro"
}

resource "flero_workspace" "prod" {
  organization_id = flero_organization.acme.id
  name            = "production"
  custom_domain   = "flows.acme.example"
}

resource "flero_workspace" "staging" {
  organization_id = flero_organization.acme.id
  name            = "staging"
}

resource "flero_team" "platform" {
  organization_id = flero_organization.acme.id
  name            = "platform"
}

resource "flero_team" "data" {
  organization_id = flero_organization.acme.id
  name            = "data"
  description     = "Data engineering"
}

resource "flero_organization_membership" "alice" {
  organization_id = flero_organization.acme.id
  email           = "alice@example.com"
  role            = "admin"
}

resource "flero_organization_membership" "bob" {
  organization_id = flero_organization.acme.id
  email           = "bob@example.com"
  role            = "member"
}

resource "flero_team_membership" "alice_platform" {
  team_id = flero_team.platform.id
  user_id = flero_organization_membership.alice.user_id
}

resource "flero_team_membership" "bob_data" {
  team_id = flero_team.data.id
  user_id = flero_organization_membership.bob.user_id
}

resource "flero_workspace_membership" "platform_prod" {
  workspace_id = flero_workspace.prod.id
  team_id      = flero_team.platform.id
  role         = "admin"
}

resource "flero_workspace_membership" "data_staging" {
  workspace_id = flero_workspace.staging.id
  team_id      = flero_team.data.id
  role         = "editor"
}

resource "flero_workspace_membership" "bob_prod" {
  workspace_id = flero_workspace.prod.id
  user_id      = flero_organization_membership.bob.user_id
  role         = "viewer"
}

resource "flero_workspace_membership" "alice_staging" {
  workspace_id = flero_workspace.staging.id
  user_id      = flero_organization_membership.alice.user_id
  role         = "owner"
}
`, org)
}
