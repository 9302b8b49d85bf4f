package planrun

import (
	"context"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// Run is one run's memory: the read-through Cache and the Ledger of what the run plans,
// each with its own methods, and the questions that need both (below, planned.go,
// admins.go).
type Run struct {
	*Cache
	*Ledger
	// Activity is how busy Terraform's walk is (await.go); nil: always quiet.
	Activity *Activity
}

// OrganizationAfterApply is the organization as it will be after this apply: the
// current organization with the planned plan and SSO setting laid over it. unknownPlan
// is true when this run changes the plan to a value not known until apply.
func (r *Run) OrganizationAfterApply(ctx context.Context, id string) (org *api.Organization, unknownPlan bool, err error) {
	cur, err := r.Organization(ctx, id)
	if err != nil {
		return nil, false, err
	}
	out := *cur
	if p, ok := r.PlannedOrganization(id); ok {
		if p.Plan == "" {
			unknownPlan = true
		} else {
			out.Plan = p.Plan
		}
		if p.SSOEnabled != nil {
			out.SSOEnabled = *p.SSOEnabled
		}
	}
	return &out, unknownPlan, nil
}
