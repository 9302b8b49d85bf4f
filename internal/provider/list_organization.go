package provider

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
)

type organizationListFilters struct {
	NamePrefix types.String `tfsdk:"name_prefix"`
}

// NewOrganizationList lists the organizations the token's user belongs to.
func NewOrganizationList() list.ListResource {
	return &lister[organizationListFilters, api.Organization]{
		typeName:    "_organization",
		description: "The organizations the provider's token belongs to.",
		filters: map[string]listschema.Attribute{
			"name_prefix": filter("Only organizations whose name starts with this."),
		},
		identity: (&organizationResource{}).Identity(),
		items: func(ctx context.Context, c *client.Client, _ organizationListFilters) iter.Seq2[api.Organization, error] {
			return c.Organizations.All(ctx)
		},
		keep:    func(f organizationListFilters, o api.Organization) bool { return hasPrefix(f.NamePrefix, o.Name) },
		model:   func(o api.Organization) any { return organizationFromAPI(&o) },
		display: func(o api.Organization) string { return o.Name },
	}
}
