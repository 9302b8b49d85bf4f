package framework

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/client"
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

// IDRef is an id attribute a looked-up check depends on.
type IDRef struct {
	Path  path.Path
	Value types.String
}

// ID names an id attribute for a looked-up check.
func ID(attr string, v types.String) IDRef { return IDRef{Path: path.Root(attr), Value: v} }

// Known reports whether every id is known. For each id that is not (it comes from
// an object created in this same apply), it adds a warning on that attribute saying
// the rule is checked at apply.
func Known(diags *diag.Diagnostics, rule string, ids ...IDRef) bool {
	ok := true
	for _, id := range ids {
		if id.Value.IsUnknown() {
			WarnCheckedAtApply(diags, id.Path, rule)
			ok = false
		} else if id.Value.IsNull() {
			ok = false
		}
	}
	return ok
}

// WarnCheckedAtApply adds the warning of the third tier of plan-time validation: a
// rule that needs an id known only after apply.
func WarnCheckedAtApply(diags *diag.Diagnostics, at path.Path, rule string) {
	diags.AddAttributeWarning(at, "Rule will be checked at apply",
		fmt.Sprintf("%s is not known until apply, so the provider cannot check at plan time that %s. "+
			"The rule will be checked at apply: the Flero API refuses the change then if it is broken.",
			at, rule))
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
		diags.AddAttributeError(at, "Not found",
			fmt.Sprintf("%s does not exist, or the provider's token cannot see it.", object))
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
