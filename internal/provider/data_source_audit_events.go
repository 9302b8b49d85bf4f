package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/framework"
)

var _ datasource.DataSourceWithConfigure = (*auditEventsDataSource)(nil)

// NewAuditEventsDataSource is the flero_audit_events data source.
func NewAuditEventsDataSource() datasource.DataSource { return &auditEventsDataSource{} }

type auditEventsDataSource struct {
	framework.DataSourceWithConfigure
}

type auditEventsModel struct {
	OrganizationID types.String      `tfsdk:"organization_id"`
	Email          types.String      `tfsdk:"email"`
	WorkspaceID    types.String      `tfsdk:"workspace_id"`
	Action         types.String      `tfsdk:"action"`
	EntityType     types.String      `tfsdk:"entity_type"`
	Since          types.String      `tfsdk:"since"`
	Events         []auditEventModel `tfsdk:"events"`
}

type auditEventModel struct {
	ID          types.String `tfsdk:"id"`
	Time        types.String `tfsdk:"time"`
	ActorID     types.String `tfsdk:"actor_id"`
	ActorEmail  types.String `tfsdk:"actor_email"`
	Action      types.String `tfsdk:"action"`
	EntityType  types.String `tfsdk:"entity_type"`
	EntityID    types.String `tfsdk:"entity_id"`
	WorkspaceID types.String `tfsdk:"workspace_id"`
	Details     types.Map    `tfsdk:"details"`
}

func (d *auditEventsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_audit_events"
}

func (d *auditEventsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	filter := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Description: desc, Optional: true}
	}
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Description: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		Description: "Reads an organization's activity log (organization admins), oldest first, with the filters of the " +
			"platform's Activity page: who (email), where (workspace), the log type (action) and the entity type. Every " +
			"page of the API is read. Details never hold a secret.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{Description: "The organization (org_…).", Required: true},
			"email":           filter("Only events by the person with this email (case-insensitive)."),
			"workspace_id":    filter("Only events in this workspace."),
			"action":          filter("Only events of this log type: created, updated, deleted, used, tested, deactivated, resent, …"),
			"entity_type":     filter("Only events about this entity type: organization, workspace, team, credential, organization_membership, …"),
			"since":           filter("Only events at or after this RFC 3339 time, such as 2026-01-02T15:04:05Z."),
			"events": schema.ListNestedAttribute{
				Description: "The matching events, oldest first.",
				Computed:    true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":           str("The event (evt_…)."),
					"time":         str("When, RFC 3339."),
					"actor_id":     str("Who (usr_…)."),
					"actor_email":  str("Their email."),
					"action":       str("The log type."),
					"entity_type":  str("The entity type."),
					"entity_id":    str("The entity's id."),
					"workspace_id": str("The workspace, empty for an organization-level event."),
					"details":      schema.MapAttribute{Description: "What changed (never a secret).", Computed: true, ElementType: types.StringType},
				}},
			},
		},
	}
}

func (d *auditEventsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg auditEventsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !d.Configured(&resp.Diagnostics) {
		return
	}
	opts := client.AuditListOptions{Email: cfg.Email.ValueString(), WorkspaceID: cfg.WorkspaceID.ValueString(),
		Action: cfg.Action.ValueString(), EntityType: cfg.EntityType.ValueString()}
	if s := cfg.Since.ValueString(); s != "" {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("since"), "Invalid time", "since must be an RFC 3339 time such as 2026-01-02T15:04:05Z.")
			return
		}
		opts.Since = t
	}
	cfg.Events = []auditEventModel{}
	for e, err := range d.Client().Audit.All(ctx, cfg.OrganizationID.ValueString(), opts) {
		if err != nil {
			framework.AddAPIError(&resp.Diagnostics, "read", "the audit events of organization "+cfg.OrganizationID.ValueString(), err)
			return
		}
		details, diags := types.MapValueFrom(ctx, types.StringType, e.Details)
		resp.Diagnostics.Append(diags...)
		cfg.Events = append(cfg.Events, auditEventModel{
			ID: types.StringValue(e.ID), Time: types.StringValue(e.Time.UTC().Format(time.RFC3339Nano)),
			ActorID: types.StringValue(e.ActorID), ActorEmail: types.StringValue(e.ActorEmail), Action: types.StringValue(e.Action),
			EntityType: types.StringValue(e.EntityType), EntityID: types.StringValue(e.EntityID),
			WorkspaceID: types.StringValue(e.WorkspaceID), Details: details,
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
}
