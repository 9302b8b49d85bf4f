package framework

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// Change is what a plan does to one resource instance.
type Change int

const (
	// NoChange: the plan equals the state; looked-up checks are skipped (a no-change
	// plan costs no request).
	NoChange Change = iota
	Create
	Update
	// Replace: destroy and re-create (an attribute requires replacement).
	Replace
	Delete
)

func (c Change) String() string {
	return [...]string{"no change", "create", "update", "replace", "delete"}[c]
}

// ChangeOf classifies the plan in a ModifyPlan call. Call it after the attribute plan
// modifiers ran (that is, in ModifyPlan): resp.RequiresReplace tells a replacement
// from an update.
func ChangeOf(req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) Change {
	switch {
	case req.Plan.Raw.IsNull():
		return Delete
	case req.State.Raw.IsNull():
		return Create
	case req.Plan.Raw.Equal(req.State.Raw):
		return NoChange
	case len(resp.RequiresReplace) > 0:
		return Replace
	}
	return Update
}

// WarnCheckedAtApply adds the warning of the third tier of plan-time validation for a
// rule that needs the attribute at, not known until apply (WarnDependsOn).
func WarnCheckedAtApply(diags *diag.Diagnostics, at path.Path, rule string) {
	WarnDependsOn(diags, at, rule, at.String())
}

// WarnDependsOn adds a warning of the third tier of plan-time validation: a rule whose
// outcome depends on a value not known until apply (dependsOn names it).
func WarnDependsOn(diags *diag.Diagnostics, at path.Path, rule, dependsOn string) {
	diags.AddAttributeWarning(at, "Rule will be checked at apply",
		fmt.Sprintf("Whether %s depends on %s, which is not known until apply. "+
			"The rule will be checked at apply: the Flero API refuses the change then if it is broken.",
			rule, dependsOn))
}

// Verdict is a rule's outcome for one object an unknown id may name at apply.
type Verdict struct {
	// Violation: the rule refuses the change for this object.
	Violation *rules.Violation
	// DependsOn: the outcome depends on a value not known until apply (in words:
	// "the plan of the organization planned as \"acme\""); "" when decided.
	DependsOn string
	// Times is how many candidates this verdict stands for (0 counts as 1): the
	// candidates that give the same verdict may be judged once, instead of once each
	// (a membership whose workspace and user are both new has workspaces × invited
	// users candidates, mostly of one organization).
	Times int
}

// count is how many candidates v stands for.
func (v Verdict) count() int { return max(v.Times, 1) }

// Unknown is a rule to decide at plan time for an id that is not known until apply
// (PLATFORM.md, the "Unknown" tier), from the objects planned in this run that the id
// may name (planrun's ledger).
type Unknown struct {
	// At is the attribute the rule concerns.
	At path.Path
	// What names the value not known until apply; "" when it is At.
	What string
	// Rule is the rule in words ("the token may create workspaces in the organization").
	Rule string
	// Verdicts has one entry per candidate: each object planned in this run the id may
	// name at apply.
	Verdicts []Verdict
	// MayPassElsewhere reports whether an object not planned in this run (an existing
	// one the token can see, which a data source read at apply may name) may pass the
	// rule. It is asked only when every candidate breaks the rule; nil means none can.
	MayPassElsewhere func() bool
}

// DecideUnknown decides u:
//
//   - every candidate breaks the rule, and no existing object could pass: an error on
//     u.At with the rule's refusals;
//   - every candidate passes: nothing is said;
//   - otherwise (candidates disagree, a verdict depends on a value not known until
//     apply, no candidate at all, or every candidate breaks the rule but an existing
//     object might pass): one warning that names the rule and what it depends on.
func DecideUnknown(diags *diag.Diagnostics, u Unknown) {
	what := u.What
	if what == "" {
		what = u.At.String()
	}
	if len(u.Verdicts) == 0 {
		WarnDependsOn(diags, u.At, u.Rule,
			fmt.Sprintf("what %s names: no object planned in this run can be it, so it comes from elsewhere "+
				"(a data source read at apply, or outside this configuration)", what))
		return
	}
	var broken []*rules.Violation
	var depends []string
	nBroken, total := 0, 0
	for _, v := range u.Verdicts {
		total += v.count()
		switch {
		case v.DependsOn != "":
			depends = appendNew(depends, v.DependsOn)
		case v.Violation != nil:
			broken = append(broken, v.Violation)
			nBroken += v.count()
		}
	}
	switch {
	case len(depends) > 0:
		WarnDependsOn(diags, u.At, u.Rule, strings.Join(depends, " and "))
	case nBroken == 0:
	case nBroken < total:
		WarnDependsOn(diags, u.At, u.Rule,
			fmt.Sprintf("which of the objects planned in this run %s names: %d of %d break the rule (%s), the others do not",
				what, nBroken, total, broken[0].Message))
	case u.MayPassElsewhere != nil && u.MayPassElsewhere():
		WarnDependsOn(diags, u.At, u.Rule,
			fmt.Sprintf("what %s names: every object planned in this run that it can name breaks the rule (%s), "+
				"but it may also name an existing object that passes it (read by a data source at apply)",
				what, refusals(broken)))
	default:
		v := *broken[0]
		v.Message = fmt.Sprintf("%s is not known until apply, and every object planned in this run that it can name "+
			"breaks the rule (no existing one the provider's token can see passes it): %s", what, refusals(broken))
		AddViolationAt(diags, &v, u.At)
	}
}

// refusals joins the distinct messages of vs.
func refusals(vs []*rules.Violation) string {
	var msgs []string
	for _, v := range vs {
		msgs = appendNew(msgs, v.Message)
	}
	return strings.Join(msgs, " ")
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// CheckManage reports at plan time whether the token may perform action in the
// organization (and, for workspace-level actions, the workspace): rules.CheckManage on
// the token's access, read once per run. A refusal or a failed look-up is an error on
// the attribute at.
func (r *ResourceWithConfigure) CheckManage(ctx context.Context, diags *diag.Diagnostics, action rules.ManageAction, orgID, workspaceID string, at path.Path) {
	r.checkManage(ctx, diags, action, orgID, workspaceID, at, false)
}

// CheckManageToRemove is CheckManage for a destroy: an organization or workspace that
// is already gone leaves nothing to check (Delete treats not-found as done).
func (r *ResourceWithConfigure) CheckManageToRemove(ctx context.Context, diags *diag.Diagnostics, action rules.ManageAction, orgID, workspaceID string, at path.Path) {
	r.checkManage(ctx, diags, action, orgID, workspaceID, at, true)
}

func (r *ResourceWithConfigure) checkManage(ctx context.Context, diags *diag.Diagnostics, action rules.ManageAction, orgID, workspaceID string, at path.Path, removing bool) {
	run := r.Run()
	if run == nil {
		return
	}
	actor, err := run.Actor(ctx, orgID, workspaceID)
	if removing && IsNotFound(err) {
		return
	}
	if err != nil {
		AddLookupError(diags, at, organizationOrWorkspace(orgID, workspaceID), err)
		return
	}
	if v := rules.CheckManage(actor, action); v != nil {
		AddViolationAt(diags, v, at)
	}
}

func organizationOrWorkspace(orgID, workspaceID string) string {
	if workspaceID != "" {
		return fmt.Sprintf("workspace %s", workspaceID)
	}
	return fmt.Sprintf("organization %s", orgID)
}

// AddLookupError reports a failed plan-time look-up of object on the attribute at:
// not-found says the object does not exist or is not visible to the token.
func AddLookupError(diags *diag.Diagnostics, at path.Path, object string, err error) {
	if errors.Is(err, client.ErrNotFound) {
		detail := fmt.Sprintf("%s does not exist, or the provider's token cannot see it.", object)
		var reach *planrun.OutOfReachError
		if errors.As(err, &reach) {
			detail += " " + reach.Note
		}
		diags.AddAttributeError(at, "Not found", detail)
		return
	}
	var d diag.Diagnostics
	AddAPIError(&d, "look up", object, err)
	for _, e := range d {
		diags.AddAttributeError(at, e.Summary(), e.Detail())
	}
}

// CheckUserInOrganization reports at plan time a user who is not a member of the
// organization (rules.CheckPrincipalInOrganization), as an error on the attribute at.
func (r *ResourceWithConfigure) CheckUserInOrganization(ctx context.Context, diags *diag.Diagnostics, orgID, userID string, at path.Path) {
	run := r.Run()
	if run == nil {
		return
	}
	org, err := run.Organization(ctx, orgID)
	if err != nil {
		AddLookupError(diags, at, "organization "+orgID, err)
		return
	}
	member, err := run.IsOrganizationMember(ctx, orgID, userID)
	if err != nil {
		AddLookupError(diags, at, fmt.Sprintf("the membership of user %s in organization %q", userID, org.Name), err)
		return
	}
	if v := rules.CheckPrincipalInOrganization(org.Name, userID, member); v != nil {
		AddViolationAt(diags, v, at)
	}
}

// DecodePlan reads a ModifyPlan call's plan and prior state into the models plan and
// state (pointers). The side that is null (the state on create, the plan on destroy)
// leaves its model at the zero value, whose attributes are null.
func DecodePlan(ctx context.Context, req resource.ModifyPlanRequest, plan, state any) diag.Diagnostics {
	var diags diag.Diagnostics
	if !req.Plan.Raw.IsNull() {
		diags.Append(req.Plan.Get(ctx, plan)...)
	}
	if !req.State.Raw.IsNull() {
		diags.Append(req.State.Get(ctx, state)...)
	}
	return diags
}
