package provider

import (
	"context"
	"iter"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/framework"
)

// List resources (Terraform >= 1.14: list blocks in .tfquery.hcl files, terraform
// query) find the objects of a resource type that already exist on the platform, for
// adopting them: each result carries the resource's identity and, with
// include_resource, the whole object as the resource would read it, so that
// `terraform query -generate-config-out` writes a configuration and import blocks that
// plan with no change. One list resource per resource type, named after it
// (list "flero_workspace"), its filters named after the attributes they match; each
// pages through the API. A credential's secret is never listed (the API never returns
// it): the generated configuration leaves data and data_wo out, which keeps the secret
// as it is on the platform (see resource_credential_adopt.go).

// lister is a list resource: F is its filter block (tfsdk-tagged), T the API object.
type lister[F, T any] struct {
	framework.ResourceWithConfigure

	typeName    string // "_workspace"
	description string
	filters     map[string]listschema.Attribute
	validators  []list.ConfigValidator
	identity    framework.Identity
	// items iterates the objects the filters select, paging through the API.
	items func(ctx context.Context, c *client.Client, f F) iter.Seq2[T, error]
	// keep applies the filters the API cannot (nil keeps everything items yields).
	keep func(f F, item T) bool
	// model is the object as the resource's state.
	model   func(item T) any
	display func(item T) string
}

var (
	_ list.ListResourceWithConfigure        = (*lister[struct{}, struct{}])(nil)
	_ list.ListResourceWithConfigValidators = (*lister[struct{}, struct{}])(nil)
)

func (l *lister[F, T]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + l.typeName
}

func (l *lister[F, T]) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{Description: l.description, Attributes: l.filters}
}

func (l *lister[F, T]) ListResourceConfigValidators(context.Context) []list.ConfigValidator {
	return l.validators
}

// List streams the results, up to req.Limit; an API failure ends the stream with an
// error.
func (l *lister[F, T]) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var f F
	diags := req.Config.Get(ctx, &f)
	if diags.HasError() || !l.Configured(&diags) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	c := l.Client()
	stream.Results = func(push func(list.ListResult) bool) {
		var n int64
		for item, err := range l.items(ctx, c, f) {
			if err != nil {
				result := list.ListResult{}
				framework.AddAPIError(&result.Diagnostics, "list", strings.TrimPrefix(l.typeName, "_")+" objects", err)
				push(result)
				return
			}
			if l.keep != nil && !l.keep(f, item) {
				continue
			}
			result := req.NewListResult(ctx)
			result.DisplayName = l.display(item)
			result.Diagnostics.Append(result.Resource.Set(ctx, l.model(item))...)
			result.Diagnostics.Append(l.identity.IdentityFrom(ctx, result.Resource, result.Identity)...)
			if !req.IncludeResource {
				result.Resource = nil
			}
			if !push(result) {
				return
			}
			if n++; req.Limit > 0 && n >= req.Limit {
				return
			}
		}
	}
}

// filter is an optional string filter of a list block.
func filter(description string, validators ...validator.String) listschema.StringAttribute {
	return listschema.StringAttribute{Description: description, Optional: true, Validators: validators}
}

// requiredFilter is a string filter a list block must set.
func requiredFilter(description string) listschema.StringAttribute {
	return listschema.StringAttribute{Description: description, Required: true}
}

// matches reports whether a filter keeps value: an unset filter keeps everything.
func matches(f types.String, value string) bool {
	return f.IsNull() || f.ValueString() == value
}

// hasPrefix reports whether a name_prefix filter keeps name.
func hasPrefix(f types.String, name string) bool {
	return f.IsNull() || strings.HasPrefix(name, f.ValueString())
}

// concat iterates each parent's children in turn: the memberships of every team of an
// organization, for example.
func concat[P, T any](parents iter.Seq2[P, error], children func(P) iter.Seq2[T, error]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for p, err := range parents {
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for c, err := range children(p) {
				if !yield(c, err) || err != nil {
					return
				}
			}
		}
	}
}

// organizationFilters are the filters of an organization's named objects.
type organizationFilters struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	NamePrefix     types.String `tfsdk:"name_prefix"`
}

// namedInOrganization is the list resource of an organization's named objects
// (workspaces, teams): organization_id, and name_prefix.
func namedInOrganization[T any](typeName, plural, description string, identity framework.Identity,
	all func(ctx context.Context, c *client.Client, orgID string) iter.Seq2[T, error], name func(T) string, model func(T) any,
) list.ListResource {
	return &lister[organizationFilters, T]{
		typeName:    typeName,
		description: description,
		filters: map[string]listschema.Attribute{
			"organization_id": requiredFilter("The organization (org_…)."),
			"name_prefix":     filter("Only " + plural + " whose name starts with this."),
		},
		identity: identity,
		items: func(ctx context.Context, c *client.Client, f organizationFilters) iter.Seq2[T, error] {
			return all(ctx, c, f.OrganizationID.ValueString())
		},
		keep:    func(f organizationFilters, item T) bool { return hasPrefix(f.NamePrefix, name(item)) },
		model:   model,
		display: name,
	}
}
