package floorprovider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The resource's Terraform type: id, input and output (both dynamic).
var objType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
	"id":     tftypes.String,
	"input":  tftypes.DynamicPseudoType,
	"output": tftypes.DynamicPseudoType,
}}

var inputType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{"name": tftypes.String, "parent": tftypes.String}}

func input(name string, parent any) tftypes.Value {
	return tftypes.NewValue(inputType, map[string]tftypes.Value{
		"name":   tftypes.NewValue(tftypes.String, name),
		"parent": tftypes.NewValue(tftypes.String, parent),
	})
}

func object(id any, in, out tftypes.Value) tftypes.Value {
	return tftypes.NewValue(objType, map[string]tftypes.Value{
		"id":     tftypes.NewValue(tftypes.String, id),
		"input":  in,
		"output": out,
	})
}

var (
	nullDyn    = tftypes.NewValue(tftypes.DynamicPseudoType, nil)
	unknownDyn = tftypes.NewValue(tftypes.DynamicPseudoType, tftypes.UnknownValue)
)

func dv(t *testing.T, v tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	d, err := tfprotov6.NewDynamicValue(objType, v)
	if err != nil {
		t.Fatal(err)
	}
	return &d
}

func attrs(t *testing.T, d *tfprotov6.DynamicValue) map[string]tftypes.Value {
	t.Helper()
	if d == nil {
		t.Fatal("no value")
	}
	v, err := d.Unmarshal(objType)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]tftypes.Value{}
	if err := v.As(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func noDiags(t *testing.T, what string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		t.Errorf("%s: %s: %s", what, d.Summary, d.Detail)
	}
	if t.Failed() {
		t.FailNow()
	}
}

// TestPlansAsTerraformData drives the served provider through the protocol calls of
// a create, a no-change plan, an input change and a read, and checks the plans
// terraform_data makes: id and output unknown at create, output = input after apply,
// nothing planned when nothing changes, output unknown and id kept when the input
// changes.
func TestPlansAsTerraformData(t *testing.T) {
	ctx := context.Background()
	srv, err := providerserver.NewProtocol6WithError(New())()
	if err != nil {
		t.Fatal(err)
	}
	schemaResp, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	noDiags(t, "schema", schemaResp.Diagnostics)
	if len(schemaResp.ResourceSchemas) != 1 || schemaResp.ResourceSchemas[ResourceType] == nil {
		t.Fatalf("resource schemas: %v, want only %s", schemaResp.ResourceSchemas, ResourceType)
	}
	if _, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: dvOf(t, tftypes.Object{AttributeTypes: map[string]tftypes.Type{}}, tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{}}, map[string]tftypes.Value{}))}); err != nil {
		t.Fatal(err)
	}

	plan := func(prior, config tftypes.Value, proposed tftypes.Value) map[string]tftypes.Value {
		t.Helper()
		resp, err := srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: ResourceType, PriorState: dv(t, prior), Config: dv(t, config), ProposedNewState: dv(t, proposed),
		})
		if err != nil {
			t.Fatal(err)
		}
		noDiags(t, "plan", resp.Diagnostics)
		if len(resp.RequiresReplace) > 0 {
			t.Errorf("the plan requires replacement: %v", resp.RequiresReplace)
		}
		return attrs(t, resp.PlannedState)
	}
	apply := func(prior, config, planned tftypes.Value) map[string]tftypes.Value {
		t.Helper()
		resp, err := srv.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
			TypeName: ResourceType, PriorState: dv(t, prior), Config: dv(t, config), PlannedState: dv(t, planned),
		})
		if err != nil {
			t.Fatal(err)
		}
		noDiags(t, "apply", resp.Diagnostics)
		return attrs(t, resp.NewState)
	}

	// Create: the input refers to an object not created yet.
	null := tftypes.NewValue(objType, nil)
	config := object(nil, input("a", tftypes.UnknownValue), nullDyn)
	p := plan(null, config, config)
	if p["id"].IsKnown() || p["output"].IsKnown() {
		t.Errorf("create: planned id %v and output %v, want both unknown", p["id"], p["output"])
	}
	config = object(nil, input("a", "parent-id"), nullDyn)
	planned := object(tftypes.UnknownValue, input("a", "parent-id"), unknownDyn)
	s := apply(null, config, planned)
	var id string
	if err := s["id"].As(&id); err != nil || id == "" {
		t.Fatalf("create: id %v, want a string", s["id"])
	}
	if !s["output"].Equal(input("a", "parent-id")) {
		t.Errorf("create: output %v, want the input", s["output"])
	}
	state := object(id, input("a", "parent-id"), input("a", "parent-id"))

	// Another create gets another id.
	if s2 := apply(null, config, planned); s2["id"].Equal(s["id"]) {
		t.Errorf("two creates got the same id %v", s["id"])
	}

	// No change: the plan is the state.
	proposed := object(id, input("a", "parent-id"), input("a", "parent-id"))
	if p := plan(state, config, proposed); !tftypes.NewValue(objType, p).Equal(state) {
		t.Errorf("no-change plan: %v, want the state %v", p, state)
	}

	// Read returns the state as it is.
	read, err := srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: ResourceType, CurrentState: dv(t, state)})
	if err != nil {
		t.Fatal(err)
	}
	noDiags(t, "read", read.Diagnostics)
	if got := attrs(t, read.NewState); !tftypes.NewValue(objType, got).Equal(state) {
		t.Errorf("read: %v, want the state %v", got, state)
	}

	// The input changes: an update in place, the id kept, the output unknown, then
	// the new input.
	config = object(nil, input("b", "parent-id"), nullDyn)
	proposed = object(id, input("b", "parent-id"), input("a", "parent-id"))
	p = plan(state, config, proposed)
	if !p["id"].Equal(tftypes.NewValue(tftypes.String, id)) || p["output"].IsKnown() {
		t.Errorf("input change: planned id %v and output %v, want %q and unknown", p["id"], p["output"], id)
	}
	s = apply(state, config, tftypes.NewValue(objType, p))
	if !s["id"].Equal(tftypes.NewValue(tftypes.String, id)) || !s["output"].Equal(input("b", "parent-id")) {
		t.Errorf("update: id %v output %v, want %q and the new input", s["id"], s["output"], id)
	}

	// Destroy.
	del, err := srv.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: ResourceType, PriorState: dv(t, state), Config: dv(t, null), PlannedState: dv(t, null),
	})
	if err != nil {
		t.Fatal(err)
	}
	noDiags(t, "destroy", del.Diagnostics)
	if v, err := del.NewState.Unmarshal(objType); err != nil || !v.IsNull() {
		t.Errorf("destroy: new state %v (%v), want null", v, err)
	}
}

func dvOf(t *testing.T, typ tftypes.Type, v tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	d, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		t.Fatal(err)
	}
	return &d
}
