package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/framework"
)

var _ datasource.DataSourceWithConfigure = (*currentUserDataSource)(nil)

// NewCurrentUserDataSource is the flero_current_user data source.
func NewCurrentUserDataSource() datasource.DataSource { return &currentUserDataSource{} }

type currentUserDataSource struct {
	framework.DataSourceWithConfigure
}

type currentUserModel struct {
	ID            types.String `tfsdk:"id"`
	Email         types.String `tfsdk:"email"`
	Name          types.String `tfsdk:"name"`
	Status        types.String `tfsdk:"status"`
	PlatformAdmin types.Bool   `tfsdk:"platform_admin"`
}

func (d *currentUserDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_current_user"
}

func (d *currentUserDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "The user the provider's token belongs to.",
		Attributes: map[string]schema.Attribute{
			"id":             schema.StringAttribute{Description: "The user's id (usr_…).", Computed: true},
			"email":          schema.StringAttribute{Description: "The user's email.", Computed: true},
			"name":           schema.StringAttribute{Description: "The user's name (empty when none).", Computed: true},
			"status":         schema.StringAttribute{Description: "invited or active.", Computed: true},
			"platform_admin": schema.BoolAttribute{Description: "Whether the user is a platform administrator.", Computed: true},
		},
	}
}

// Read answers from the run's cache: the provider read GET /v1/me when it was configured.
func (d *currentUserDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	if !d.Configured(&resp.Diagnostics) {
		return
	}
	me, err := d.Run().Me(ctx)
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "read", "the token's user", err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, currentUserModel{
		ID:            types.StringValue(me.ID),
		Email:         types.StringValue(me.Email),
		Name:          types.StringValue(me.Name),
		Status:        types.StringValue(me.Status),
		PlatformAdmin: types.BoolValue(me.PlatformAdmin),
	})...)
}
