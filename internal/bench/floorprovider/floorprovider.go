// Package floorprovider is flero-bench's protocol floor: a minimal provider built with
// terraform-plugin-framework, served over protocol 6 as the flero provider is, that
// reimplements Terraform's built-in terraform_data. Its one resource type,
// benchfloor_data, holds an input and copies it to its output, with no I/O, no
// validator and no logging of its own. Run against the same objects as the
// terraform_data floor, it measures what the plugin protocol and the framework cost
// any provider, apart from the flero provider's own code.
package floorprovider

import (
	"context"
	"crypto/rand"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Address is the provider's address; flero-bench's CLI configuration overrides
// flero/benchfloor with a dev_overrides directory.
const (
	Address = "registry.terraform.io/flero/benchfloor"
	Type    = "benchfloor"
	// ResourceType is the one resource type, the counterpart of terraform_data.
	ResourceType = Type + "_data"
)

// New returns the provider.
func New() provider.Provider { return &floorProvider{} }

type floorProvider struct{}

func (*floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = Type
}

func (*floorProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (*floorProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (*floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return dataResource{} }}
}

func (*floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// dataResource is benchfloor_data: terraform_data without triggers_replace (the
// floor configuration does not use it). The framework plans output as unknown
// whenever the input changes (a computed attribute with no configuration and no
// plan modifier), and id keeps its value (UseStateForUnknown), as terraform_data
// plans them.
type dataResource struct{}

type dataModel struct {
	ID     types.String  `tfsdk:"id"`
	Input  types.Dynamic `tfsdk:"input"`
	Output types.Dynamic `tfsdk:"output"`
}

func (dataResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = ResourceType
}

func (dataResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"input":  schema.DynamicAttribute{Optional: true},
			"output": schema.DynamicAttribute{Computed: true},
		},
	}
}

func (dataResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m dataModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.ID = types.StringValue(rand.Text())
	m.Output = m.Input
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Read returns the state as it is (the framework fills the response with it).
func (dataResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (dataResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m dataModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.Output = m.Input
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Delete has nothing to delete: the framework removes the state.
func (dataResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
