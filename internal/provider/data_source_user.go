package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/validators"
)

var _ datasource.DataSourceWithConfigure = (*userDataSource)(nil)

// NewUserDataSource is the flero_user data source.
func NewUserDataSource() datasource.DataSource { return &userDataSource{} }

type userDataSource struct {
	framework.DataSourceWithConfigure
}

type userModel struct {
	ID     types.String `tfsdk:"id"`
	Email  types.String `tfsdk:"email"`
	Name   types.String `tfsdk:"name"`
	Status types.String `tfsdk:"status"`
}

func (d *userDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user"
}

func (d *userDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Looks up a user by email (case-insensitive) among the users who share an organization with the token's user.",
		Attributes: map[string]schema.Attribute{
			"email": schema.StringAttribute{
				Description: "The user's email. Compared case-insensitively; the configured spelling is kept.",
				Required:    true,
				Validators:  []validator.String{validators.Email()},
			},
			"id":     schema.StringAttribute{Description: "The user's id (usr_…).", Computed: true},
			"name":   schema.StringAttribute{Description: "The user's name (empty when none).", Computed: true},
			"status": schema.StringAttribute{Description: "invited or active.", Computed: true},
		},
	}
}

func (d *userDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg userModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !d.Configured(&resp.Diagnostics) {
		return
	}

	u, err := d.Client().Users.GetByEmail(ctx, cfg.Email.ValueString())
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "read", "user "+cfg.Email.String(), err)
		return
	}
	out := userFromAPI(u)
	out.Email = cfg.Email // the configured spelling (the platform matched it case-insensitively)
	resp.Diagnostics.Append(resp.State.Set(ctx, out)...)
}

func userFromAPI(u *api.User) userModel {
	return userModel{
		ID:     types.StringValue(u.ID),
		Email:  types.StringValue(u.Email),
		Name:   types.StringValue(u.Name),
		Status: types.StringValue(u.Status),
	}
}
