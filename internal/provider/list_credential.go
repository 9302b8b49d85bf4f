package provider

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework-validators/listresourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/validators"
)

type credentialFilters struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	WorkspaceID    types.String `tfsdk:"workspace_id"`
	Scope          types.String `tfsdk:"scope"`
	NamePrefix     types.String `tfsdk:"name_prefix"`
}

// NewCredentialList lists the credentials of a workspace or of an organization:
// their metadata, never their secret.
func NewCredentialList() list.ListResource {
	return &lister[credentialFilters, api.Credential]{
		typeName: "_credential",
		description: "The credentials the provider's token sees in a workspace (their home) or in an organization: their metadata, never their secret. " +
			"Set exactly one of workspace_id and organization_id. A generated configuration leaves data and data_wo out, which keeps each secret as it is " +
			"on the platform; add data_wo with data_wo_version to rotate one.",
		filters: map[string]listschema.Attribute{
			"organization_id": filter("The credentials of every workspace of this organization (org_…)."),
			"workspace_id":    filter("The credentials whose home is this workspace (ws_…)."),
			"scope":           filter("Only credentials of this scope: personal, workspace or organization.", validators.OneOf(rules.Scopes...)),
			"name_prefix":     filter("Only credentials whose name starts with this."),
		},
		validators: []list.ConfigValidator{
			listresourcevalidator.ExactlyOneOf(path.MatchRoot("organization_id"), path.MatchRoot("workspace_id")),
		},
		identity: (&credentialResource{}).Identity(),
		items: func(ctx context.Context, c *client.Client, f credentialFilters) iter.Seq2[api.Credential, error] {
			if !f.WorkspaceID.IsNull() {
				return c.Credentials.All(ctx, f.WorkspaceID.ValueString())
			}
			return c.Credentials.AllByOrganization(ctx, f.OrganizationID.ValueString(), client.CredentialListOptions{Scope: f.Scope.ValueString()})
		},
		keep: func(f credentialFilters, cr api.Credential) bool {
			return matches(f.Scope, cr.Scope) && hasPrefix(f.NamePrefix, cr.Name)
		},
		model: func(cr api.Credential) any {
			return credentialFromAPI(&cr, credentialModel{Data: types.MapNull(types.StringType), DataWOVersion: types.Int64Null()})
		},
		display: func(cr api.Credential) string { return cr.Name + " (" + cr.Scope + ")" },
	}
}
