package provider_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/flero/terraform-provider-flero/internal/acctest"
)

// identityTerraform: resource identity and import by identity need Terraform >= 1.12.
var identityTerraform = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

// identityChecks are the expected identities of testAccIdentityConfig's resources.
func identityChecks() []statecheck.StateCheck {
	id := func(addr string, attrs map[string]knownvalue.Check) []statecheck.StateCheck {
		checks := []statecheck.StateCheck{statecheck.ExpectIdentity(addr, attrs)}
		for name, c := range attrs {
			if c != nil && c.String() != "<null>" {
				checks = append(checks, statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New(name)))
			}
		}
		return checks
	}
	var all []statecheck.StateCheck
	for _, c := range [][]statecheck.StateCheck{
		id("flero_organization.test", map[string]knownvalue.Check{"id": knownvalue.StringRegexp(orgIDRegexp)}),
		id("flero_workspace.test", map[string]knownvalue.Check{"organization_id": knownvalue.StringRegexp(orgIDRegexp), "id": knownvalue.StringRegexp(wsIDRegexp)}),
		id("flero_team.test", map[string]knownvalue.Check{"organization_id": knownvalue.StringRegexp(orgIDRegexp), "id": knownvalue.StringRegexp(teamIDRegexp)}),
		id("flero_organization_membership.alice", map[string]knownvalue.Check{"organization_id": knownvalue.StringRegexp(orgIDRegexp), "user_id": knownvalue.StringRegexp(userIDRegexp)}),
		id("flero_team_membership.alice", map[string]knownvalue.Check{"team_id": knownvalue.StringRegexp(teamIDRegexp), "user_id": knownvalue.StringRegexp(userIDRegexp)}),
		id("flero_workspace_membership.alice", map[string]knownvalue.Check{"workspace_id": knownvalue.StringRegexp(wsIDRegexp), "user_id": knownvalue.StringRegexp(userIDRegexp), "team_id": knownvalue.Null()}),
		id("flero_workspace_membership.team", map[string]knownvalue.Check{"workspace_id": knownvalue.StringRegexp(wsIDRegexp), "user_id": knownvalue.Null(), "team_id": knownvalue.StringRegexp(teamIDRegexp)}),
		id("flero_credential.test", map[string]knownvalue.Check{"workspace_id": knownvalue.StringRegexp(wsIDRegexp), "id": knownvalue.StringRegexp(credIDRegexp)}),
	} {
		all = append(all, c...)
	}
	return all
}

// TestAccIdentity_everyResource: every resource has its identity after create, and
// each is imported by identity (an import block with identity = {…}) to a no-op plan.
// The credential's secret is not readable, so its import plans the update that sends
// data_wo again (data_wo_version is not in the imported state).
func TestAccIdentity_everyResource(t *testing.T) {
	env := acctest.NewEnv(t)
	env.CreateUser("alice@example.com")
	cfg := env.Config(testAccIdentityConfig(acctest.RandomName("org")))

	steps := []resource.TestStep{{
		Config:            cfg,
		ConfigStateChecks: identityChecks(),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}}
	for _, addr := range []string{
		"flero_organization.test", "flero_workspace.test", "flero_team.test",
		"flero_organization_membership.alice", "flero_team_membership.alice",
		"flero_workspace_membership.alice", "flero_workspace_membership.team",
	} {
		steps = append(steps, resource.TestStep{
			Config:          cfg,
			ResourceName:    addr,
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithResourceIdentity,
		})
	}
	steps = append(steps, resource.TestStep{
		Config:             cfg,
		ResourceName:       "flero_credential.test",
		ImportState:        true,
		ImportStateKind:    resource.ImportBlockWithResourceIdentity,
		ExpectNonEmptyPlan: true,
		ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction("flero_credential.test", plancheck.ResourceActionUpdate),
		}},
	})

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   identityTerraform,
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps:                    steps,
	})
}

// TestAccIdentity_upgradedFromStateWithout: a state written by a provider without
// identities (the same provider with its identity schemas hidden) gets its identities
// on the next refresh, with no error and an empty plan.
func TestAccIdentity_upgradedFromStateWithout(t *testing.T) {
	env := acctest.NewEnv(t)
	env.CreateUser("alice@example.com")
	cfg := env.Config(testAccIdentityConfig(acctest.RandomName("org")))

	withoutIdentity := map[string]func() (tfprotov6.ProviderServer, error){}
	for name, f := range env.ProviderFactories() {
		withoutIdentity[name] = func() (tfprotov6.ProviderServer, error) {
			s, err := f()
			return noIdentityServer{s}, err
		}
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:               func() { acctest.PreCheck(t) },
		TerraformVersionChecks: identityTerraform,
		CheckDestroy:           env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: withoutIdentity,
				Config:                   cfg,
			},
			{
				ProtoV6ProviderFactories: env.ProviderFactories(),
				Config:                   cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: identityChecks(),
			},
		},
	})
}

// noIdentityServer serves the provider as a provider without identities: no identity
// schemas, and no identity in any answer.
type noIdentityServer struct{ tfprotov6.ProviderServer }

func (s noIdentityServer) GetResourceIdentitySchemas(context.Context, *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return &tfprotov6.GetResourceIdentitySchemasResponse{IdentitySchemas: map[string]*tfprotov6.ResourceIdentitySchema{}}, nil
}

func (s noIdentityServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	resp, err := s.ProviderServer.ReadResource(ctx, req)
	if resp != nil {
		resp.NewIdentity = nil
	}
	return resp, err
}

func (s noIdentityServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := s.ProviderServer.PlanResourceChange(ctx, req)
	if resp != nil {
		resp.PlannedIdentity = nil
	}
	return resp, err
}

func (s noIdentityServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := s.ProviderServer.ApplyResourceChange(ctx, req)
	if resp != nil {
		resp.NewIdentity = nil
	}
	return resp, err
}

func testAccIdentityConfig(org string) string {
	return importNames{org: org, workspace: "payments", team: "sre", credential: "slack-bot", email: "alice@example.com"}.config()
}
