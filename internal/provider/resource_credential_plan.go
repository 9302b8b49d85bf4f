package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// ModifyPlan reports at plan time what the API would refuse at apply, through the same
// functions of package rules the server calls:
//
//   - the token's right to create, edit, rotate, re-scope or delete the credential
//     (rules.CheckCredentialAction, rules.CheckRescope) from its access to the home
//     workspace;
//   - organization scope on an organization that is not on the Enterprise plan
//     (rules.CheckScopeAllowed), with the plan the organization will have after this
//     apply: an upgrade planned in the same run counts;
//   - when the workspace is not known yet (created in the same run), the same rules for
//     every workspace this run creates (planCreateInUnknownWorkspace): an error when
//     all of them break a rule, one warning only when the outcome depends on a value
//     not known until apply.
//
// A change of scope is an in-place update reviewed by a warning on scope (who loses or
// gains the credential). An inactive credential gets a warning that says why.
func (r *credentialResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	run := r.Run()
	if run == nil {
		return
	}
	change := framework.ChangeOf(req, resp)
	var plan, state credentialModel
	resp.Diagnostics.Append(framework.DecodePlan(ctx, req, &plan, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if change != framework.Delete && state.Status.ValueString() == string(rules.CredentialInactive) {
		// Rule 8: status is computed, so this is no diff; say why the credential is unusable.
		resp.Diagnostics.AddAttributeWarning(path.Root("status"), "Credential is inactive", rules.InactiveReason(state.Name.ValueString()))
	}

	if change == framework.NoChange || change == framework.Update {
		run.RecordKept(state.ID.ValueString())
	}
	switch change {
	case framework.Create:
		r.planCreate(ctx, run, &resp.Diagnostics, &plan, "")
		if !resp.Diagnostics.HasError() {
			resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		}
	case framework.Replace:
		// Terraform plans the replacement again as a create (and keeps only that call's
		// errors), so the create is checked here as well, warnings included.
		run.RecordDeletion(state.ID.ValueString())
		r.checkAction(ctx, run, &resp.Diagnostics, state, rules.ActionDelete, path.Root("workspace_id"))
		r.planCreate(ctx, run, &resp.Diagnostics, &plan, state.ID.ValueString())
	case framework.Update:
		r.planUpdate(ctx, run, &resp.Diagnostics, state, plan)
	case framework.Delete:
		// Recorded first, before any look-up: an organization leaving enterprise, or a
		// workspace deleted, in the same run does not count it (Terraform applies this
		// deletion first); their plans wait for it (planrun.AwaitFates).
		run.RecordDeletion(state.ID.ValueString())
		r.checkAction(ctx, run, &resp.Diagnostics, state, rules.ActionDelete, path.Root("id"))
		if !resp.Diagnostics.HasError() {
			reviewDeletion(ctx, &resp.Diagnostics, r.Client(), run, state)
		}
		framework.PlanDeleteVersion(ctx, &resp.Diagnostics, resp.Private, credentialName(state.Name.ValueString()), func(ctx context.Context) (int64, error) {
			cred, err := r.Run().ReadCredential(ctx, state.OrganizationID.ValueString(), state.ID.ValueString())
			if err != nil {
				return 0, err
			}
			return cred.Version, nil
		})
	}
}

// planCreate checks a new credential: the token's right to create it in its workspace,
// the scope allowed by the organization's plan and its name, unique in the workspace
// (self is the id of the credential it replaces, "" for a create). When they are known it fills in
// the computed organization_id, owner_id and status.
func (r *credentialResource) planCreate(ctx context.Context, run *planrun.Run, diags *diag.Diagnostics, plan *credentialModel, self string) {
	scope := rules.Scope(plan.Scope.ValueString())
	if plan.WorkspaceID.IsUnknown() {
		r.planCreateInUnknownWorkspace(ctx, run, diags, plan)
		return
	}
	wsID := plan.WorkspaceID.ValueString()
	ws, err := run.Workspace(ctx, wsID)
	if err != nil {
		framework.AddLookupError(diags, path.Root("workspace_id"), "workspace "+wsID, err)
		return
	}
	actor, err := run.Actor(ctx, ws.OrganizationID, wsID)
	if err != nil {
		framework.AddLookupError(diags, path.Root("workspace_id"), fmt.Sprintf("your access to workspace %q", ws.Name), err)
		return
	}
	if plan.Scope.IsUnknown() {
		framework.WarnDependsOn(diags, path.Root("scope"), createRulesWords(plan.Scope), "the scope")
	} else {
		cred := rules.Credential{Name: plan.Name.ValueString(), Scope: scope, OwnerID: actor.UserID}
		framework.AddViolationAt(diags, rules.CheckCredentialAction(actor, rules.ActionCreate, cred), path.Root("workspace_id"))
		r.checkScopeAllowed(ctx, run, diags, ws.OrganizationID, scope)
	}
	checkNameFree(ctx, diags, r.Client(), run, credentialUnique(*plan), self)
	plan.OrganizationID = types.StringValue(ws.OrganizationID)
	plan.OwnerID = types.StringValue(ownerAtPlan(ctx, run, ws.OrganizationID, wsID, actor))
	plan.Status = types.StringValue(string(rules.CredentialActive))
}

// planCreateInUnknownWorkspace decides a new credential whose workspace is not known
// until apply by the workspaces this run creates (the third tier): the token's right to
// create it there (it is admin of an organization it creates; a new workspace gives it
// no role of its own) and the scope allowed by each one's organization's plan.
func (r *credentialResource) planCreateInUnknownWorkspace(ctx context.Context, run *planrun.Run, diags *diag.Diagnostics, plan *credentialModel) {
	if plan.Scope.IsUnknown() {
		framework.WarnDependsOn(diags, path.Root("scope"), createRulesWords(plan.Scope), "the scope")
		return
	}
	scope := rules.Scope(plan.Scope.ValueString())
	decideInContainer(ctx, run, diags, path.Root("workspace_id"), planrun.KindWorkspace, createRulesWords(plan.Scope),
		func(ws planrun.Container) framework.Verdict {
			cred := rules.Credential{Name: plan.Name.ValueString(), Scope: scope, OwnerID: ws.Org.Actor.UserID}
			if v := rules.CheckCredentialAction(ws.Org.Actor, rules.ActionCreate, cred); v != nil {
				return framework.Verdict{Violation: v}
			}
			if scope == rules.ScopeOrganization && ws.Org.Plan == "" {
				return framework.Verdict{DependsOn: "the plan of " + plannedOrgWords(ws.Org)}
			}
			return framework.Verdict{Violation: rules.CheckScopeAllowed(ws.Org.Name, ws.Org.Plan, scope)}
		})
}

// planUpdate checks an in-place change against the credential as it is: editing its
// name or description, rotating its secret, changing its scope (which the review
// describes).
func (r *credentialResource) planUpdate(ctx context.Context, run *planrun.Run, diags *diag.Diagnostics, state, plan credentialModel) {
	update := rules.ClassifyCredentialUpdate(rules.CredentialUpdate{
		Profile: changed(plan.Name, state.Name) || changed(plan.Description, state.Description),
		Data:    rotates(plan, state),
		Scope:   changed(plan.Scope, state.Scope),
	})
	rotate, rescope := update.Rotate, update.Rescope
	if update.Edit {
		at := path.Root("name")
		if !changed(plan.Name, state.Name) {
			at = path.Root("description")
		}
		r.checkAction(ctx, run, diags, state, rules.ActionEdit, at)
	}
	if changed(plan.Name, state.Name) {
		checkNameFree(ctx, diags, r.Client(), run, credentialUnique(plan), state.ID.ValueString())
	}
	if rotate {
		at := path.Root("data_wo_version")
		if !plan.Data.IsNull() {
			at = path.Root("data")
		}
		r.checkAction(ctx, run, diags, state, rules.ActionRotate, at)
	}
	if !rescope {
		return
	}
	if plan.Scope.IsUnknown() {
		framework.WarnDependsOn(diags, path.Root("scope"),
			"the token may re-scope the credential and the new scope is allowed by the organization's plan ("+rules.ScopeRequiresEnterpriseRule+")", "the new scope")
		return
	}
	to := rules.Scope(plan.Scope.ValueString())
	actor, ok := r.actor(ctx, run, diags, state, path.Root("scope"))
	if !ok {
		return
	}
	before := diags.ErrorsCount()
	framework.AddViolation(diags, rules.CheckRescope(actor, credentialRule(state), to))
	r.checkScopeAllowed(ctx, run, diags, state.OrganizationID.ValueString(), to)
	if diags.ErrorsCount() > before {
		return // refused: nothing to review
	}
	reviewScopeChange(ctx, diags, r.Client(), run, scopeChange{
		CredentialID:   state.ID.ValueString(),
		CredentialName: plan.Name.ValueString(),
		From:           rules.Scope(state.Scope.ValueString()),
		To:             to,
		OrganizationID: state.OrganizationID.ValueString(),
		WorkspaceID:    state.WorkspaceID.ValueString(),
		OwnerID:        state.OwnerID.ValueString(),
	})
}

// checkScopeAllowed applies rule 1 with the organization's plan after this apply (a
// flero_organization planned in this run counts). A plan not known until apply is a
// warning.
func (r *credentialResource) checkScopeAllowed(ctx context.Context, run *planrun.Run, diags *diag.Diagnostics, orgID string, scope rules.Scope) {
	if scope != rules.ScopeOrganization {
		return
	}
	org, unknownPlan, err := run.OrganizationAfterApply(ctx, orgID)
	if err != nil {
		framework.AddLookupError(diags, path.Root("scope"), "organization "+orgID, err)
		return
	}
	if unknownPlan {
		framework.WarnDependsOn(diags, path.Root("scope"),
			fmt.Sprintf("organization %q will be on the Enterprise plan (%s)", org.Name, rules.ScopeRequiresEnterpriseRule), "its planned plan")
		return
	}
	framework.AddViolation(diags, rules.CheckScopeAllowed(org.Name, rules.Plan(org.Plan), scope))
}

// checkAction applies rule 5 to an action on the credential as the state holds it.
func (r *credentialResource) checkAction(ctx context.Context, run *planrun.Run, diags *diag.Diagnostics, state credentialModel, action rules.CredentialAction, at path.Path) {
	actor, ok := r.actor(ctx, run, diags, state, at)
	if !ok {
		return
	}
	framework.AddViolationAt(diags, rules.CheckCredentialAction(actor, action, credentialRule(state)), at)
}

// actor is the token's access to the credential's home workspace (read once per run).
func (r *credentialResource) actor(ctx context.Context, run *planrun.Run, diags *diag.Diagnostics, state credentialModel, at path.Path) (rules.Actor, bool) {
	orgID, wsID := state.OrganizationID.ValueString(), state.WorkspaceID.ValueString()
	if orgID == "" {
		ws, err := run.Workspace(ctx, wsID)
		if err != nil {
			framework.AddLookupError(diags, at, "workspace "+wsID, err)
			return rules.Actor{}, false
		}
		orgID = ws.OrganizationID
	}
	actor, err := run.Actor(ctx, orgID, wsID)
	if err != nil {
		framework.AddLookupError(diags, at, "your access to workspace "+wsID, err)
		return rules.Actor{}, false
	}
	return actor, true
}

// createRulesWords names the rules a create is checked against at apply, in the words
// of their refusals.
func createRulesWords(scope types.String) string {
	if scope.IsUnknown() {
		return fmt.Sprintf("the token may create the credential in its workspace (%s) and its scope is allowed (%s)",
			rules.CreateCredentialRule(rules.ScopeWorkspace), rules.ScopeRequiresEnterpriseRule)
	}
	s := rules.Scope(scope.ValueString())
	words := fmt.Sprintf("the token may create the credential in its workspace (%s)", rules.CreateCredentialRule(s))
	if s == rules.ScopeOrganization {
		words += fmt.Sprintf(" and its organization is on the Enterprise plan (%s)", rules.ScopeRequiresEnterpriseRule)
	}
	return words
}

// credentialUnique is a credential's name, unique in its workspace.
func credentialUnique(m credentialModel) uniqueValue {
	return uniqueValue{Kind: rules.NameCredential, Parent: m.WorkspaceID.ValueString(), Value: m.Name.ValueString()}
}

func credentialRule(m credentialModel) rules.Credential {
	return rules.Credential{Name: m.Name.ValueString(), Scope: rules.Scope(m.Scope.ValueString()), OwnerID: m.OwnerID.ValueString(),
		WorkspaceID: m.WorkspaceID.ValueString()}
}

// changed reports whether the plan changes a string attribute (unknown counts).
func changed(plan, state types.String) bool { return !plan.Equal(state) }
