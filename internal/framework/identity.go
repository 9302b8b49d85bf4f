package framework

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A resource's identity (Terraform >= 1.12) is the projection of its state onto the
// attributes that name the object for life: its id, and for a membership the ids of its
// two ends. Every identity attribute is a string attribute of the resource's schema with
// the same name, so the identity is always derived from the state, in one place
// (IdentityFrom): set after every Create, Read and Update, upgraded on the first Read of
// a state written before identities existed, and turned back into an import stub when
// Terraform imports by identity (an import block with identity = {…}).

// Identity declares a resource's identity.
type Identity struct {
	// Attributes are the identity's attributes, in the order the docs list them.
	Attributes []IdentityAttribute
	// ExactlyOneOf names optional attributes of which an import must give exactly one
	// (a workspace membership is a user's or a team's).
	ExactlyOneOf []string
}

// IdentityAttribute is one attribute of an identity.
type IdentityAttribute struct {
	Name        string
	Description string
	// Optional: an import by identity may leave it out (see Identity.ExactlyOneOf).
	Optional bool
}

// Identified is implemented by a resource that has an identity; WithIdentity serves it.
type Identified interface {
	resource.Resource
	Identity() Identity
}

// attributeGetter is a state, a plan or a listed resource.
type attributeGetter interface {
	GetAttribute(ctx context.Context, p path.Path, target any) diag.Diagnostics
}

// Schema is the identity's schema.
func (id Identity) Schema() identityschema.Schema {
	attrs := make(map[string]identityschema.Attribute, len(id.Attributes))
	for _, a := range id.Attributes {
		attrs[a.Name] = identityschema.StringAttribute{
			Description:       a.Description,
			RequiredForImport: !a.Optional,
			OptionalForImport: a.Optional,
		}
	}
	return identityschema.Schema{Attributes: attrs}
}

// IdentityFrom sets identity to the identity of the object whose attributes from holds.
func (id Identity) IdentityFrom(ctx context.Context, from attributeGetter, identity *tfsdk.ResourceIdentity) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, a := range id.Attributes {
		var v types.String
		diags.Append(from.GetAttribute(ctx, path.Root(a.Name), &v)...)
		diags.Append(identity.SetAttribute(ctx, path.Root(a.Name), v)...)
	}
	return diags
}

// importStub is the state an import by identity starts from: the identity's
// attributes, the rest null until the Read that follows the import fills it in.
func (id Identity) importStub(ctx context.Context, identity tfsdk.ResourceIdentity, state *tfsdk.State) diag.Diagnostics {
	var diags diag.Diagnostics
	given := map[string]bool{}
	for _, a := range id.Attributes {
		var v types.String
		diags.Append(identity.GetAttribute(ctx, path.Root(a.Name), &v)...)
		if diags.HasError() {
			return diags
		}
		if v.IsNull() || v.IsUnknown() || strings.TrimSpace(v.ValueString()) == "" {
			if !a.Optional {
				diags.AddAttributeError(path.Root(a.Name), "Invalid import identity",
					fmt.Sprintf("The identity's %s must be given (%s).", a.Name, a.Description))
			}
			continue
		}
		given[a.Name] = true
		diags.Append(state.SetAttribute(ctx, path.Root(a.Name), v)...)
	}
	if len(id.ExactlyOneOf) > 0 {
		n := 0
		for _, name := range id.ExactlyOneOf {
			if given[name] {
				n++
			}
		}
		if n != 1 {
			diags.AddError("Invalid import identity",
				fmt.Sprintf("Give exactly one of %s in the identity, got %d.", strings.Join(id.ExactlyOneOf, ", "), n))
		}
	}
	return diags
}

// WithIdentity serves the resource that f makes with its identity: the resource
// declares it (Identified) and keeps its own Create, Read, Update and ImportState; the
// identity is derived from the state they leave. A resource without Identity is
// returned as it is.
func WithIdentity(f func() resource.Resource) func() resource.Resource {
	return func() resource.Resource {
		r := f()
		ided, ok := r.(Identified)
		if !ok {
			return r
		}
		return &identifiedResource{Identified: ided, identity: ided.Identity()}
	}
}

var (
	_ resource.ResourceWithIdentity         = (*identifiedResource)(nil)
	_ resource.ResourceWithConfigure        = (*identifiedResource)(nil)
	_ resource.ResourceWithImportState      = (*identifiedResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*identifiedResource)(nil)
	_ resource.ResourceWithConfigValidators = (*identifiedResource)(nil)
	_ resource.ResourceWithValidateConfig   = (*identifiedResource)(nil)
)

// identifiedResource forwards every optional interface a resource of this provider
// implements (TestWithIdentityForwards checks that none is lost).
type identifiedResource struct {
	Identified
	identity Identity
}

// Unwrap is the resource served.
func (r *identifiedResource) Unwrap() resource.Resource { return r.Identified }

func (r *identifiedResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = r.identity.Schema()
}

func (r *identifiedResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.Identified.Create(ctx, req, resp)
	r.setIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

// Read sets the identity from the state read, which also gives one to a state written
// before identities existed. An object gone keeps the identity of the state it had.
func (r *identifiedResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	r.Identified.Read(ctx, req, resp)
	if resp.State.Raw.IsNull() {
		r.setIdentity(ctx, req.State, resp.Identity, &resp.Diagnostics)
		return
	}
	r.setIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *identifiedResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.Identified.Update(ctx, req, resp)
	r.setIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *identifiedResource) setIdentity(ctx context.Context, state tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	if identity == nil || diags.HasError() || state.Raw.IsNull() {
		return
	}
	diags.Append(r.identity.IdentityFrom(ctx, state, identity)...)
}

// ImportState imports by identity (an import block with identity = {…}), or by id
// through the resource's own ImportState.
func (r *identifiedResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		resp.Diagnostics.Append(r.identity.importStub(ctx, *req.Identity, &resp.State)...)
		return
	}
	imp, ok := r.Identified.(resource.ResourceWithImportState)
	if !ok {
		resp.Diagnostics.AddError("Import not supported", "This resource cannot be imported.")
		return
	}
	imp.ImportState(ctx, req, resp)
	if !resp.State.Raw.IsNull() && resp.Identity != nil && !resp.Diagnostics.HasError() && r.stateHoldsIdentity(ctx, resp.State) {
		resp.Diagnostics.Append(r.identity.IdentityFrom(ctx, resp.State, resp.Identity)...)
	}
}

// stateHoldsIdentity reports whether an import stub already holds every required
// identity attribute (an import by name that read the object); otherwise the Read
// that follows the import sets the identity.
func (r *identifiedResource) stateHoldsIdentity(ctx context.Context, state tfsdk.State) bool {
	for _, a := range r.identity.Attributes {
		var v types.String
		if state.GetAttribute(ctx, path.Root(a.Name), &v).HasError() || (!a.Optional && (v.IsNull() || v.IsUnknown())) {
			return false
		}
	}
	return true
}

func (r *identifiedResource) Configure(ctx context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if c, ok := r.Identified.(resource.ResourceWithConfigure); ok {
		c.Configure(ctx, req, resp)
	}
}

func (r *identifiedResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if m, ok := r.Identified.(resource.ResourceWithModifyPlan); ok {
		m.ModifyPlan(ctx, req, resp)
	}
}

func (r *identifiedResource) ConfigValidators(ctx context.Context) []resource.ConfigValidator {
	if v, ok := r.Identified.(resource.ResourceWithConfigValidators); ok {
		return v.ConfigValidators(ctx)
	}
	return nil
}

func (r *identifiedResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if v, ok := r.Identified.(resource.ResourceWithValidateConfig); ok {
		v.ValidateConfig(ctx, req, resp)
	}
}
