package planrun_test

import (
	"context"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

func ledgerCache() *planrun.Run {
	return planrun.NewWithFetchers(planrun.Fetchers{
		Me: func(context.Context) (*api.Me, error) { return &api.Me{User: api.User{ID: "usr_me"}}, nil },
		Access: func(_ context.Context, org, ws string) (*api.Access, error) {
			return &api.Access{UserID: "usr_me", OrganizationID: org, OrgRole: "member"}, nil
		},
		Organization: func(_ context.Context, id string) (*api.Organization, error) {
			return &api.Organization{ID: id, Name: "existing", Plan: "enterprise"}, nil
		},
		Workspace: func(_ context.Context, id string) (*api.Workspace, error) {
			return &api.Workspace{ID: id, OrganizationID: "org_1", Name: "prod"}, nil
		},
	})
}

// TestLedger_candidates: the organizations and workspaces planned with an unknown id
// are the candidates of an unknown id, with their planned attributes; the token is
// admin of the organizations it creates; a known id is the object itself; a
// replacement planned again replaces its entry.
func TestLedger_candidates(t *testing.T) {
	ctx := context.Background()
	c := ledgerCache()
	if orgs, err := c.OrganizationCandidates(ctx, ""); err != nil || len(orgs) != 0 {
		t.Fatalf("an empty ledger names organizations: %v %v", orgs, err)
	}
	no := false
	c.RecordPlanned(planrun.Planned{Kind: planrun.KindOrganization, Name: "acme", Plan: "free", SSOEnabled: &no})
	c.RecordPlanned(planrun.Planned{Kind: planrun.KindOrganization, Name: "beta"}) // plan and SSO unknown
	c.RecordPlanned(planrun.Planned{Kind: planrun.KindWorkspace, Name: "payments"})
	c.RecordPlanned(planrun.Planned{Kind: planrun.KindWorkspace, Name: "payments"}) // planned again
	c.RecordPlanned(planrun.Planned{Kind: planrun.KindWorkspace, Name: "old", OrganizationID: "org_1"})

	orgs, err := c.OrganizationCandidates(ctx, "")
	if err != nil || len(orgs) != 2 {
		t.Fatalf("organization candidates %v, %v; want acme and beta", orgs, err)
	}
	if orgs[0].Name != "acme" || orgs[0].Plan != rules.PlanFree || orgs[0].SSOEnabled == nil || *orgs[0].SSOEnabled ||
		orgs[0].Actor.OrgRole != rules.OrgRoleAdmin || orgs[0].Actor.UserID != "usr_me" || !orgs[0].New {
		t.Errorf("acme: %+v", orgs[0])
	}
	if orgs[1].Plan != "" || orgs[1].SSOEnabled != nil {
		t.Errorf("beta's unknown plan and SSO are known: %+v", orgs[1])
	}
	if orgs[0].Same(orgs[1]) || !orgs[0].Same(orgs[0]) {
		t.Errorf("Same: acme/beta %v, acme/acme %v", orgs[0].Same(orgs[1]), orgs[0].Same(orgs[0]))
	}

	ws, err := c.ContainerCandidates(ctx, planrun.KindWorkspace, "")
	if err != nil {
		t.Fatal(err)
	}
	// payments (organization unknown) is in acme or beta; old is in org_1.
	if len(ws) != 3 {
		t.Fatalf("workspace candidates %+v, want payments×2 and old", ws)
	}
	if ws[0].Name != "payments" || ws[0].Org.Name != "acme" || ws[1].Org.Name != "beta" {
		t.Errorf("payments: %+v %+v", ws[0], ws[1])
	}
	if ws[2].Name != "old" || ws[2].Org.New || ws[2].Org.ID != "org_1" || ws[2].Org.Actor.OrgRole != rules.OrgRoleMember ||
		ws[2].Org.Plan != rules.PlanEnterprise {
		t.Errorf("old: %+v", ws[2])
	}

	known, err := c.ContainerCandidates(ctx, planrun.KindWorkspace, "ws_1")
	if err != nil || len(known) != 1 || known[0].ID != "ws_1" || known[0].Org.ID != "org_1" {
		t.Errorf("a known workspace: %+v, %v", known, err)
	}
	if ws[2].Org.Same(orgs[0]) || !ws[2].Org.Same(known[0].Org) {
		t.Errorf("an existing organization is the same as itself only")
	}
}

// TestLedger_plannedPlanOverlaysExisting: a known organization whose plan this run
// changes to a value not known until apply has no plan among the candidates.
func TestLedger_plannedPlanOverlaysExisting(t *testing.T) {
	c := ledgerCache()
	c.RecordPlannedOrganization("org_1", planrun.PlannedOrganization{})
	orgs, err := c.OrganizationCandidates(context.Background(), "org_1")
	if err != nil || len(orgs) != 1 || orgs[0].Plan != "" || orgs[0].SSOEnabled != nil {
		t.Fatalf("%+v, %v", orgs, err)
	}
	c.RecordPlannedOrganization("org_1", planrun.PlannedOrganization{Plan: "pro"})
	if orgs, _ = c.OrganizationCandidates(context.Background(), "org_1"); orgs[0].Plan != rules.PlanPro {
		t.Fatalf("%+v", orgs)
	}
}

// TestLastAdminLeftToOrganizationDelete: whichever of the membership's and the
// organization's plans comes second sees the other: a destroy left to the organization
// is settled by its plan (deleted: nothing; kept: the emails to refuse); an
// organization planned first answers at once; without mayWait, an unknown fate is no.
func TestLastAdminLeftToOrganizationDelete(t *testing.T) {
	c := ledgerCache()
	if !c.LeaveToOrganizationDelete("org_1", "a@example.com", true) {
		t.Fatal("an organization not planned yet: not left to it")
	}
	if left := c.RecordOrganizationFate("org_1", false); len(left) != 1 || left[0] != "a@example.com" {
		t.Fatalf("the kept organization does not name the membership left to it: %v", left)
	}
	if c.LeaveToOrganizationDelete("org_1", "b@example.com", true) {
		t.Error("left to an organization this run keeps")
	}
	c.RecordOrganizationFate("org_2", true)
	if !c.LeaveToOrganizationDelete("org_2", "a@example.com", false) {
		t.Error("not left to an organization this run deletes")
	}
	if c.LeaveToOrganizationDelete("org_3", "a@example.com", false) {
		t.Error("left to an organization whose fate is unknown, without mayWait")
	}
}
