package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// A create whose unique value (rules.NameKind: a name, a custom domain) another object
// already holds is refused by the API (rules.CheckNameFree). The plan reports it when
// the parent is known (checkNameFree), and a create refused at apply for the same
// reason names the holder too (addCreateError): both give the import command that
// adopts the existing object instead.

// holder is an existing object that holds a unique value, or another conflicting
// object (a membership that already exists).
type holder struct {
	Object       string // `workspace "prod" (ws_…)`
	ResourceType string // the Terraform type that manages it: flero_workspace
	ImportID     string
}

// uniqueValue is a value of a create that must be unique: kind, the id of the parent
// it is unique in (organization or workspace; "" for the platform) and the value.
type uniqueValue struct {
	Kind   rules.NameKind
	Parent string
	Value  string
}

// findHolder returns the object that holds the unique value v, among those the token
// sees (nil when none does: the value is free, or held by an object the token cannot
// see). A custom domain is looked for in the organization Parent.
func findHolder(ctx context.Context, c *client.Client, v uniqueValue) (*holder, error) {
	var h *holder
	var err error
	switch v.Kind {
	case rules.NameOrganization:
		o, e := c.Organizations.GetByName(ctx, v.Value)
		if err = e; e == nil {
			h = &holder{Object: fmt.Sprintf("organization %q (%s)", o.Name, o.ID), ResourceType: "flero_organization", ImportID: o.ID}
		}
	case rules.NameWorkspace:
		w, e := c.Workspaces.GetByName(ctx, v.Parent, v.Value)
		if err = e; e == nil {
			h = &holder{Object: fmt.Sprintf("workspace %q (%s)", w.Name, w.ID), ResourceType: "flero_workspace", ImportID: w.ID}
		}
	case rules.NameTeam:
		t, e := c.Teams.GetByName(ctx, v.Parent, v.Value)
		if err = e; e == nil {
			h = &holder{Object: fmt.Sprintf("team %q (%s)", t.Name, t.ID), ResourceType: "flero_team", ImportID: t.ID}
		}
	case rules.NameCredential:
		creds, e := c.Credentials.List(ctx, v.Parent)
		err = e
		for _, cr := range creds {
			if rules.SameName(cr.Name, v.Value) {
				h = &holder{Object: fmt.Sprintf("credential %q (%s)", cr.Name, cr.ID), ResourceType: "flero_credential", ImportID: cr.ID}
				break
			}
		}
	case rules.NameCustomDomain:
		wss, e := c.Workspaces.List(ctx, v.Parent)
		err = e
		for _, w := range wss {
			if w.CustomDomain != "" && rules.SameName(w.CustomDomain, v.Value) {
				h = &holder{Object: fmt.Sprintf("workspace %q (%s)", w.Name, w.ID), ResourceType: "flero_workspace", ImportID: w.ID}
				break
			}
		}
	}
	if client.IsNotFound(err) {
		return nil, nil
	}
	return h, err
}

// checkNameFree reports at plan time a create whose unique value another object holds:
// an error on the attribute naming the holder and the import command. self is the id
// of the object this plan replaces ("" for a create): it holds the value only until
// it is destroyed. A holder this run plans to delete is no conflict (Terraform orders
// or races them; plan does not refuse what apply may accept). A failed look-up says
// nothing: the API still checks the name at apply.
func checkNameFree(ctx context.Context, diags *diag.Diagnostics, c *client.Client, run *planrun.Run, v uniqueValue, self string) {
	if c == nil || v.Value == "" {
		return
	}
	h, err := findHolder(ctx, c, v)
	if err != nil || h == nil || h.ImportID == self || (run != nil && run.PlannedDeletion(h.ImportID)) {
		return
	}
	viol := rules.CheckNameFree(v.Kind, v.Value, true)
	diags.AddAttributeError(path.Root(v.Kind.Field()), "Name already taken", viol.Message+" "+h.heldBy())
}

// heldBy says which object holds a value, and how to import it.
func (h *holder) heldBy() string {
	return fmt.Sprintf("It is held by %s.\n\n%s", h.Object, rules.ImportHint(h.ResourceType, h.ImportID))
}

// exists says that the object exists, and how to import it.
func (h *holder) exists() string {
	return fmt.Sprintf("%s already exists.\n\n%s", h.Object, rules.ImportHint(h.ResourceType, h.ImportID))
}

// addCreateError reports a create the API refused. A conflict (the API's generic
// conflict code, not a rule's) on one of the unique values (on its attribute) names
// the object that holds it and the import command, when the token can see it; a
// conflict with a known import id (a membership that already exists) gives that id.
// Anything else is framework.AddAPIError.
func addCreateError(ctx context.Context, diags *diag.Diagnostics, c *client.Client, object string, err error, values []uniqueValue, existing *holder, paths ...framework.PathFunc) {
	var d diag.Diagnostics
	framework.AddAPIError(&d, "create", object, err, paths...)
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != api.CodeConflict {
		diags.Append(d...)
		return
	}
	for _, e := range d {
		at := path.Empty()
		if p, ok := e.(diag.DiagnosticWithPath); ok {
			at = p.Path()
		}
		hint := conflictHint(ctx, c, at, values, existing)
		switch {
		case hint == "":
			diags.Append(e)
		case at.Equal(path.Empty()):
			diags.AddError(e.Summary(), e.Detail()+"\n\n"+hint)
		default:
			diags.AddAttributeError(at, e.Summary(), e.Detail()+"\n\n"+hint)
		}
	}
}

// conflictHint is the next step for a conflict on the attribute at: the holder of the
// unique value that attribute carries, or the existing object.
func conflictHint(ctx context.Context, c *client.Client, at path.Path, values []uniqueValue, existing *holder) string {
	for _, v := range values {
		if !at.Equal(path.Root(v.Kind.Field())) {
			continue
		}
		h, err := findHolder(ctx, c, v)
		if err != nil || h == nil {
			return fmt.Sprintf("The object that holds it is not visible to the provider's token: choose another %s.", v.Kind.Field())
		}
		return h.heldBy()
	}
	if existing != nil {
		return existing.exists()
	}
	return ""
}

// checkAbsent reports at plan time a create of an object that already exists (a
// membership: the API refuses a second one with a 409): an error on the attribute at
// with the existing object's import command. exists reads it; a failed look-up says
// nothing (the API checks at apply).
func checkAbsent(ctx context.Context, diags *diag.Diagnostics, c *client.Client, at path.Path, existing *holder, exists func(context.Context, *client.Client) error) {
	if c == nil || diags.HasError() || exists(ctx, c) != nil {
		return
	}
	diags.AddAttributeError(at, "Already exists", existing.exists())
}

// The memberships a create would duplicate, and their import ids.

func workspaceMembershipHolder(m workspaceMembershipModel) *holder {
	principalType, principalID := m.principal()
	return &holder{Object: m.describe(), ResourceType: "flero_workspace_membership",
		ImportID: m.WorkspaceID.ValueString() + "/" + principalType + "/" + principalID}
}

func teamMembershipHolder(m teamMembershipModel) *holder {
	return &holder{Object: teamMembershipName(m.TeamID.ValueString(), m.UserID.ValueString()), ResourceType: "flero_team_membership",
		ImportID: m.TeamID.ValueString() + "/" + m.UserID.ValueString()}
}

func organizationMembershipHolder(m organizationMembershipModel) *holder {
	return &holder{Object: organizationMembershipName(m.Email.ValueString()), ResourceType: "flero_organization_membership",
		ImportID: m.OrganizationID.ValueString() + "/" + m.Email.ValueString()}
}
