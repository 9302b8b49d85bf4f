package provider_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	fleroprovider "github.com/flero/terraform-provider-flero/internal/provider"
)

// TestResources_identityServedWithoutLosingAnInterface: every resource is served with
// an identity schema, and the wrapper that serves it forwards every optional interface
// the resource implements (a ModifyPlan or an UpgradeState the wrapper dropped would be
// silently ignored by the framework).
func TestResources_identityServedWithoutLosingAnInterface(t *testing.T) {
	optional := []reflect.Type{
		reflect.TypeFor[resource.ResourceWithConfigure](),
		reflect.TypeFor[resource.ResourceWithImportState](),
		reflect.TypeFor[resource.ResourceWithModifyPlan](),
		reflect.TypeFor[resource.ResourceWithConfigValidators](),
		reflect.TypeFor[resource.ResourceWithValidateConfig](),
		reflect.TypeFor[resource.ResourceWithUpgradeState](),
		reflect.TypeFor[resource.ResourceWithMoveState](),
		reflect.TypeFor[resource.ResourceWithUpgradeIdentity](),
	}
	ctx := context.Background()
	p := fleroprovider.New("test")()
	for _, f := range p.Resources(ctx) {
		served := f()
		var md resource.MetadataResponse
		served.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "flero"}, &md)
		withID, ok := served.(resource.ResourceWithIdentity)
		if !ok {
			t.Errorf("%s: served without identity", md.TypeName)
			continue
		}
		var schema resource.IdentitySchemaResponse
		withID.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &schema)
		if len(schema.IdentitySchema.Attributes) == 0 {
			t.Errorf("%s: empty identity schema", md.TypeName)
		}
		inner := served.(interface{ Unwrap() resource.Resource }).Unwrap()
		for _, iface := range optional {
			if reflect.TypeOf(inner).Implements(iface) && !reflect.TypeOf(served).Implements(iface) {
				t.Errorf("%s implements %s, but the resource served with its identity does not", md.TypeName, iface)
			}
		}
	}
}
