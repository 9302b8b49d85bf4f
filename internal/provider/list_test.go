package provider_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
)

// queryTerraform: list resources and terraform query need Terraform >= 1.14.
var queryTerraform = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}

// tenancy is an existing organization, made through the API (not by Terraform): 3
// workspaces, 2 teams, 12 memberships (4 of the organization besides its creator's,
// 3 of teams, 5 of workspaces: users and teams) and 6 credentials (2 of each scope),
// each holding secrets[i] as its secret.
type tenancy struct {
	org        *api.Organization
	workspaces map[string]*api.Workspace
	teams      map[string]*api.Team
	users      map[string]string // email → user id
	creds      map[string]*api.Credential
	secrets    []string
}

func seedTenancy(t *testing.T, env *acctest.Env, orgName string) *tenancy {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	tn := &tenancy{workspaces: map[string]*api.Workspace{}, teams: map[string]*api.Team{}, users: map[string]string{}, creds: map[string]*api.Credential{}}
	tn.org = env.Organization(api.CreateOrganizationRequest{Name: orgName, Plan: "enterprise"})
	for _, name := range []string{"payments", "web", "ops"} {
		ws, err := env.Admin.Workspaces.Create(ctx, tn.org.ID, api.CreateWorkspaceRequest{Name: name, Description: "the " + name + " workspace"})
		must(err)
		tn.workspaces[name] = ws
	}
	for _, name := range []string{"sre", "devs"} {
		team, err := env.Admin.Teams.Create(ctx, tn.org.ID, api.CreateTeamRequest{Name: name})
		must(err)
		tn.teams[name] = team
	}
	for email, role := range map[string]string{"alice@example.com": "admin", "bob@example.com": "member", "carol+ops@example.com": "member", "dave@example.com": "member"} {
		env.CreateUser(email)
		m, err := env.Admin.OrganizationMemberships.Create(ctx, tn.org.ID, api.CreateOrganizationMembershipRequest{Email: email, Role: role})
		must(err)
		tn.users[email] = m.UserID
	}
	for team, emails := range map[string][]string{"sre": {"alice@example.com", "bob@example.com"}, "devs": {"carol+ops@example.com"}} {
		for _, email := range emails {
			_, err := env.Admin.TeamMemberships.Create(ctx, tn.teams[team].ID, api.CreateTeamMembershipRequest{UserID: tn.users[email]})
			must(err)
		}
	}
	for _, m := range []struct{ ws, user, team, role string }{
		{ws: "payments", user: "bob@example.com", role: "viewer"},
		{ws: "payments", team: "sre", role: "editor"},
		{ws: "web", user: "carol+ops@example.com", role: "editor"},
		{ws: "web", team: "devs", role: "viewer"},
		{ws: "ops", user: "dave@example.com", role: "admin"},
	} {
		req := api.CreateWorkspaceMembershipRequest{Role: m.role}
		if m.user != "" {
			req.UserID = tn.users[m.user]
		} else {
			req.TeamID = tn.teams[m.team].ID
		}
		_, err := env.Admin.WorkspaceMemberships.Create(ctx, tn.workspaces[m.ws].ID, req)
		must(err)
	}
	for _, c := range []struct{ ws, name, scope string }{
		{"payments", "slack-bot", "workspace"}, {"payments", "stripe-key", "organization"}, {"payments", "my-token", "personal"},
		{"web", "web-hook", "workspace"}, {"web", "cdn-key", "organization"}, {"ops", "pager", "personal"},
	} {
		secret := randomSecret(t)
		cred, err := env.Admin.Credentials.Create(ctx, tn.workspaces[c.ws].ID, api.CreateCredentialRequest{
			Name: c.name, Type: "api_key", Scope: c.scope, Description: c.scope + " credential", Data: map[string]string{"token": secret},
		})
		must(err)
		tn.creds[c.name] = cred
		tn.secrets = append(tn.secrets, secret)
	}
	return tn
}

// TestAccList_everyTypeWithAndWithoutFilters runs terraform query over every list
// resource, with and without filters, with a page size of 2 so that every listing
// crosses pages; include_resource returns whole objects (a credential without its
// secret).
func TestAccList_everyTypeWithAndWithoutFilters(t *testing.T) {
	env := acctest.NewEnv(t)
	tn := seedTenancy(t, env, acctest.RandomName("acme"))
	for _, name := range []string{"zeta-1", "zeta-2"} {
		env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName(name)})
	}
	org, payments, sre := tn.org.ID, tn.workspaces["payments"].ID, tn.teams["sre"].ID

	query := env.Config(fmt.Sprintf(`
list "flero_organization" "all" {
  provider = flero
}
list "flero_organization" "acme" {
  provider = flero
  config {
    name_prefix = %[1]q
  }
}
list "flero_workspace" "all" {
  provider         = flero
  include_resource = true
  config {
    organization_id = %[2]q
  }
}
list "flero_workspace" "pay" {
  provider = flero
  config {
    organization_id = %[2]q
    name_prefix     = "pay"
  }
}
list "flero_team" "all" {
  provider = flero
  config {
    organization_id = %[2]q
  }
}
list "flero_team" "sre" {
  provider = flero
  config {
    organization_id = %[2]q
    name_prefix     = "sr"
  }
}
list "flero_organization_membership" "all" {
  provider = flero
  config {
    organization_id = %[2]q
  }
}
list "flero_organization_membership" "admins" {
  provider = flero
  config {
    organization_id = %[2]q
    role            = "admin"
  }
}
list "flero_team_membership" "all" {
  provider = flero
  config {
    organization_id = %[2]q
  }
}
list "flero_team_membership" "sre" {
  provider = flero
  config {
    team_id = %[4]q
  }
}
list "flero_workspace_membership" "all" {
  provider = flero
  config {
    organization_id = %[2]q
  }
}
list "flero_workspace_membership" "payments" {
  provider = flero
  config {
    workspace_id = %[3]q
  }
}
list "flero_workspace_membership" "sre" {
  provider = flero
  config {
    organization_id = %[2]q
    team_id         = %[4]q
  }
}
list "flero_workspace_membership" "editors" {
  provider = flero
  config {
    organization_id = %[2]q
    role            = "editor"
  }
}
list "flero_credential" "all" {
  provider         = flero
  include_resource = true
  config {
    organization_id = %[2]q
  }
}
list "flero_credential" "payments" {
  provider = flero
  config {
    workspace_id = %[3]q
  }
}
list "flero_credential" "shared" {
  provider = flero
  config {
    organization_id = %[2]q
    scope           = "organization"
  }
}
list "flero_credential" "named" {
  provider = flero
  config {
    workspace_id = %[3]q
    name_prefix  = "s"
  }
}
`, tn.org.Name[:len(tn.org.Name)-2], org, payments, sre))

	id := knownvalue.StringExact
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   queryTerraform,
		ProtoV6ProviderFactories: env.ProviderFactoriesWithPageSize(2),
		Steps: []resource.TestStep{{
			Query:  true,
			Config: query,
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("flero_organization.all", 3),
				querycheck.ExpectLength("flero_organization.acme", 1),
				querycheck.ExpectIdentity("flero_organization.acme", map[string]knownvalue.Check{"id": id(org)}),
				querycheck.ExpectLength("flero_workspace.all", 3),
				querycheck.ExpectLength("flero_workspace.pay", 1),
				querycheck.ExpectIdentity("flero_workspace.pay", map[string]knownvalue.Check{"organization_id": id(org), "id": id(payments)}),
				querycheck.ExpectResourceKnownValues("flero_workspace.all", queryfilter.ByDisplayName(id("web")), []querycheck.KnownValueCheck{
					{Path: tfjsonpath.New("description"), KnownValue: id("the web workspace")},
					{Path: tfjsonpath.New("organization_id"), KnownValue: id(org)},
				}),
				querycheck.ExpectLength("flero_team.all", 2),
				querycheck.ExpectLength("flero_team.sre", 1),
				querycheck.ExpectIdentity("flero_team.sre", map[string]knownvalue.Check{"organization_id": id(org), "id": id(sre)}),
				querycheck.ExpectLength("flero_organization_membership.all", 5), // the four and the creator (admin)
				querycheck.ExpectLength("flero_organization_membership.admins", 2),
				querycheck.ExpectIdentity("flero_organization_membership.admins", map[string]knownvalue.Check{"organization_id": id(org), "user_id": id(tn.users["alice@example.com"])}),
				querycheck.ExpectLength("flero_team_membership.all", 3),
				querycheck.ExpectLength("flero_team_membership.sre", 2),
				querycheck.ExpectIdentity("flero_team_membership.sre", map[string]knownvalue.Check{"team_id": id(sre), "user_id": id(tn.users["bob@example.com"])}),
				querycheck.ExpectLength("flero_workspace_membership.all", 5),
				querycheck.ExpectLength("flero_workspace_membership.payments", 2),
				querycheck.ExpectLength("flero_workspace_membership.sre", 1),
				querycheck.ExpectIdentity("flero_workspace_membership.sre", map[string]knownvalue.Check{"workspace_id": id(payments), "user_id": knownvalue.Null(), "team_id": id(sre)}),
				querycheck.ExpectLength("flero_workspace_membership.editors", 2),
				querycheck.ExpectLength("flero_credential.all", 6),
				querycheck.ExpectLength("flero_credential.payments", 3),
				querycheck.ExpectLength("flero_credential.shared", 2),
				querycheck.ExpectLength("flero_credential.named", 2), // slack-bot, stripe-key
				querycheck.ExpectIdentity("flero_credential.shared", map[string]knownvalue.Check{"workspace_id": id(payments), "id": id(tn.creds["stripe-key"].ID)}),
				querycheck.ExpectResourceKnownValues("flero_credential.all", queryfilter.ByDisplayName(id("pager (personal)")), []querycheck.KnownValueCheck{
					{Path: tfjsonpath.New("scope"), KnownValue: id("personal")},
					{Path: tfjsonpath.New("workspace_id"), KnownValue: id(tn.workspaces["ops"].ID)},
					{Path: tfjsonpath.New("data"), KnownValue: knownvalue.Null()},
					{Path: tfjsonpath.New("data_wo_version"), KnownValue: knownvalue.Null()},
				}),
			},
		}},
	})

	// Every listing crossed pages: with 2 objects a page, 3 workspaces are 2 requests
	// (and the organization-wide membership listing lists the workspaces again).
	if n := env.Server.Requests("GET", "/v1/organizations/{organization_id}/workspaces"); n < 2 {
		t.Errorf("the workspaces were listed in %d requests, want at least 2 (pages of 2)", n)
	}
	if n := env.Server.Requests("GET", "/v1/organizations/{organization_id}/credentials"); n < 3 {
		t.Errorf("the credentials were listed in %d requests, want at least 3 (6 in pages of 2)", n)
	}
}
