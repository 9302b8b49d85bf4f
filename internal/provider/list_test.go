package provider_test

import (
	"strconv"
	"strings"
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

// TestAccList_everyTypeWithAndWithoutFilters runs terraform query over every list
// resource, with and without filters, with a page size of 2 so that every listing
// crosses pages; include_resource returns whole objects (a credential without its
// secret).
func TestAccList_everyTypeWithAndWithoutFilters(t *testing.T) {
	env := acctest.NewEnv(t)
	tn := acctest.SeedTenancy(t, env.Server, env.Admin, acctest.RandomName("acme"))
	for _, name := range []string{"zeta-1", "zeta-2"} {
		env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName(name)})
	}
	org, payments, sre := tn.Org.ID, tn.Workspaces["payments"].ID, tn.Teams["sre"].ID

	q := strconv.Quote
	lb := acctest.ListBlock
	query := env.Config(strings.Join([]string{
		lb("flero_organization", "all", false),
		lb("flero_organization", "acme", false, "name_prefix", q(tn.Org.Name[:len(tn.Org.Name)-2])),
		lb("flero_workspace", "all", true, "organization_id", q(org)),
		lb("flero_workspace", "pay", false, "organization_id", q(org), "name_prefix", q("pay")),
		lb("flero_team", "all", false, "organization_id", q(org)),
		lb("flero_team", "sre", false, "organization_id", q(org), "name_prefix", q("sr")),
		lb("flero_organization_membership", "all", false, "organization_id", q(org)),
		lb("flero_organization_membership", "admins", false, "organization_id", q(org), "role", q("admin")),
		lb("flero_team_membership", "all", false, "organization_id", q(org)),
		lb("flero_team_membership", "sre", false, "team_id", q(sre)),
		lb("flero_workspace_membership", "all", false, "organization_id", q(org)),
		lb("flero_workspace_membership", "payments", false, "workspace_id", q(payments)),
		lb("flero_workspace_membership", "sre", false, "organization_id", q(org), "team_id", q(sre)),
		lb("flero_workspace_membership", "editors", false, "organization_id", q(org), "role", q("editor")),
		lb("flero_credential", "all", true, "organization_id", q(org)),
		lb("flero_credential", "payments", false, "workspace_id", q(payments)),
		lb("flero_credential", "shared", false, "organization_id", q(org), "scope", q("organization")),
		lb("flero_credential", "named", false, "workspace_id", q(payments), "name_prefix", q("s")),
		// Terraform's limit stops the listing: 4 of the 6, across pages of 2.
		strings.Replace(lb("flero_credential", "limited", false, "organization_id", q(org)), "  config {", "  limit = 4\n  config {", 1),
	}, "\n"))

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
				querycheck.ExpectIdentity("flero_organization_membership.admins", map[string]knownvalue.Check{"organization_id": id(org), "user_id": id(tn.Users["alice@example.com"])}),
				querycheck.ExpectLength("flero_team_membership.all", 3),
				querycheck.ExpectLength("flero_team_membership.sre", 2),
				querycheck.ExpectIdentity("flero_team_membership.sre", map[string]knownvalue.Check{"team_id": id(sre), "user_id": id(tn.Users["bob@example.com"])}),
				querycheck.ExpectLength("flero_workspace_membership.all", 5),
				querycheck.ExpectLength("flero_workspace_membership.payments", 2),
				querycheck.ExpectLength("flero_workspace_membership.sre", 1),
				querycheck.ExpectIdentity("flero_workspace_membership.sre", map[string]knownvalue.Check{"workspace_id": id(payments), "user_id": knownvalue.Null(), "team_id": id(sre)}),
				querycheck.ExpectLength("flero_workspace_membership.editors", 2),
				querycheck.ExpectLength("flero_credential.all", 6),
				querycheck.ExpectLength("flero_credential.payments", 3),
				querycheck.ExpectLength("flero_credential.shared", 2),
				querycheck.ExpectLength("flero_credential.named", 2), // slack-bot, stripe-key
				querycheck.ExpectLength("flero_credential.limited", 4),
				querycheck.ExpectIdentity("flero_credential.shared", map[string]knownvalue.Check{"workspace_id": id(payments), "id": id(tn.Credentials["stripe-key"].ID)}),
				querycheck.ExpectResourceKnownValues("flero_credential.all", queryfilter.ByDisplayName(id("pager (personal)")), []querycheck.KnownValueCheck{
					{Path: tfjsonpath.New("scope"), KnownValue: id("personal")},
					{Path: tfjsonpath.New("workspace_id"), KnownValue: id(tn.Workspaces["ops"].ID)},
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
