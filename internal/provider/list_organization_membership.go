package provider

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/validators"
)

type organizationMembershipFilters struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	Role           types.String `tfsdk:"role"`
}

// NewOrganizationMembershipList lists an organization's memberships.
func NewOrganizationMembershipList() list.ListResource {
	return &lister[organizationMembershipFilters, api.OrganizationMembership]{
		typeName:    "_organization_membership",
		description: "An organization's memberships (its members and the invited).",
		filters: map[string]listschema.Attribute{
			"organization_id": requiredFilter("The organization (org_…)."),
			"role":            filter("Only memberships with this role: admin or member.", validators.OneOf(rules.OrgRoles...)),
		},
		identity: (&organizationMembershipResource{}).Identity(),
		items: func(ctx context.Context, c *client.Client, f organizationMembershipFilters) iter.Seq2[api.OrganizationMembership, error] {
			return c.OrganizationMemberships.All(ctx, f.OrganizationID.ValueString())
		},
		keep: func(f organizationMembershipFilters, m api.OrganizationMembership) bool {
			return matches(f.Role, m.Role)
		},
		model: func(m api.OrganizationMembership) any {
			return withInvitation(organizationMembershipFromAPI(&m, types.StringNull()), &m, types.BoolNull())
		},
		display: func(m api.OrganizationMembership) string { return m.Email + " (" + m.Role + ")" },
	}
}
