package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/framework"
)

var _ datasource.DataSourceWithConfigure = (*credentialUsageDataSource)(nil)

// NewCredentialUsageDataSource is the flero_credential_usage data source.
func NewCredentialUsageDataSource() datasource.DataSource { return &credentialUsageDataSource{} }

type credentialUsageDataSource struct {
	framework.DataSourceWithConfigure
}

type credentialUsageModel struct {
	CredentialID types.String         `tfsdk:"credential_id"`
	SinceDays    types.Int64          `tfsdk:"since_days"`
	TotalUses    types.Int64          `tfsdk:"total_uses"`
	Uses         []credentialUseModel `tfsdk:"uses"`
}

type credentialUseModel struct {
	WorkspaceID   types.String `tfsdk:"workspace_id"`
	WorkspaceName types.String `tfsdk:"workspace_name"`
	Workflow      types.String `tfsdk:"workflow"`
	RunID         types.String `tfsdk:"run_id"`
	UserID        types.String `tfsdk:"user_id"`
	Uses          types.Int64  `tfsdk:"uses"`
	LastUsedAt    types.String `tfsdk:"last_used_at"`
}

func (d *credentialUsageDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_credential_usage"
}

func (d *credentialUsageDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Description: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		Description: "Reads who used a credential recently, by workspace, workflow and run, as the platform's audit log " +
			"records every use. Meant for check blocks: assert, for example, that no workflow of a workspace used a " +
			"credential before narrowing its scope away from that workspace.",
		Attributes: map[string]schema.Attribute{
			"credential_id": schema.StringAttribute{Description: "The credential (cred_…).", Required: true},
			"since_days": schema.Int64Attribute{Description: "How many days back to look, 1 to 3650. Default 30.", Optional: true,
				Validators: []validator.Int64{int64validator.Between(1, 3650)}},
			"total_uses": schema.Int64Attribute{Description: "All the uses in the window.", Computed: true},
			"uses": schema.ListNestedAttribute{
				Description: "The uses, one element per workspace, workflow, run and user, sorted by workspace name, workflow and run.",
				Computed:    true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"workspace_id":   str("The workspace the workflow ran in."),
					"workspace_name": str("Its name (empty if it was deleted)."),
					"workflow":       str("The workflow."),
					"run_id":         str("The workflow's run (empty when the use was recorded without one)."),
					"user_id":        str("The user the workflow ran as."),
					"uses":           schema.Int64Attribute{Description: "How many times.", Computed: true},
					"last_used_at":   str("The last use, RFC 3339."),
				}},
			},
		},
	}
}

func (d *credentialUsageDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg credentialUsageModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !d.Configured(&resp.Diagnostics) {
		return
	}
	usage, err := d.Client().Credentials.UsageByRun(ctx, cfg.CredentialID.ValueString(), int(cfg.SinceDays.ValueInt64()))
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "read", "the usage of credential "+cfg.CredentialID.ValueString(), err)
		return
	}
	cfg.Uses = make([]credentialUseModel, 0, len(usage.Items))
	total := 0
	for _, u := range usage.Items {
		total += u.Uses
		cfg.Uses = append(cfg.Uses, credentialUseModel{
			WorkspaceID: types.StringValue(u.WorkspaceID), WorkspaceName: types.StringValue(u.WorkspaceName),
			Workflow: types.StringValue(u.Workflow), RunID: types.StringValue(u.RunID), UserID: types.StringValue(u.UserID),
			Uses: types.Int64Value(int64(u.Uses)), LastUsedAt: types.StringValue(u.LastUsedAt.UTC().Format(time.RFC3339Nano)),
		})
	}
	cfg.TotalUses = types.Int64Value(int64(total))
	resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
}
