package framework

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/flero/terraform-provider-flero/internal/client"
)

type testModel struct {
	ID   types.String `tfsdk:"id"`
	Name types.String `tfsdk:"name"`
}

var testSchema = schema.Schema{Attributes: map[string]schema.Attribute{
	"id":   schema.StringAttribute{Computed: true},
	"name": schema.StringAttribute{Required: true},
}}

// readResponse is a Read's response holding a prior state of one object.
func readResponse(t *testing.T) *resource.ReadResponse {
	t.Helper()
	typ := testSchema.Type().TerraformType(context.Background())
	raw := tftypes.NewValue(typ, map[string]tftypes.Value{
		"id":   tftypes.NewValue(tftypes.String, "ws_1"),
		"name": tftypes.NewValue(tftypes.String, "old"),
	})
	resp := &resource.ReadResponse{State: tfsdk.State{Schema: testSchema, Raw: raw}}
	// The framework gives every Read an initialised private state of a type internal
	// to it: make one the same way (its zero value is ready to use).
	f := reflect.ValueOf(resp).Elem().FieldByName("Private")
	f.Set(reflect.New(f.Type().Elem()))
	return resp
}

func TestReadState(t *testing.T) {
	ctx := context.Background()
	notFound := &client.APIError{Status: http.StatusNotFound, Code: "not_found", Message: "no such workspace"}
	model := func() (any, int64) {
		return testModel{ID: types.StringValue("ws_1"), Name: types.StringValue("new")}, 7
	}

	t.Run("found: the object becomes the state, its version is kept", func(t *testing.T) {
		resp := readResponse(t)
		ReadState(ctx, resp, `workspace "old"`, nil, model)
		if resp.Diagnostics.HasError() {
			t.Fatal(resp.Diagnostics)
		}
		var got testModel
		resp.Diagnostics.Append(resp.State.Get(ctx, &got)...)
		if got.Name.ValueString() != "new" {
			t.Errorf("state name %q, want new", got.Name.ValueString())
		}
		opts, _ := WriteOptions(ctx, resp.Private)
		if opts.IfMatch != 7 {
			t.Errorf("If-Match %d, want the version kept, 7", opts.IfMatch)
		}
	})

	t.Run("not found: removed from state, no error, model not called", func(t *testing.T) {
		resp := readResponse(t)
		ReadState(ctx, resp, `workspace "old"`, notFound, func() (any, int64) {
			t.Fatal("model called for an object not found")
			return nil, 0
		})
		if resp.Diagnostics.HasError() {
			t.Fatal(resp.Diagnostics)
		}
		if !resp.State.Raw.IsNull() {
			t.Errorf("state %v, want removed (null)", resp.State.Raw)
		}
	})

	t.Run("other failure: an error naming the object, state untouched", func(t *testing.T) {
		resp := readResponse(t)
		ReadState(ctx, resp, `workspace "old"`, &client.APIError{Status: http.StatusForbidden, Message: "no"}, model)
		if !resp.Diagnostics.HasError() {
			t.Fatal("no error")
		}
		if d := resp.Diagnostics.Errors()[0]; !strings.Contains(d.Summary()+d.Detail(), `workspace "old"`) {
			t.Errorf("error %q / %q does not name the object", d.Summary(), d.Detail())
		}
		if resp.State.Raw.IsNull() {
			t.Error("state removed on a failure that is not a 404")
		}
	})
}

func TestAddDeleteError(t *testing.T) {
	for _, tc := range []struct {
		name    string
		err     error
		wantErr bool
	}{
		{"deleted", nil, false},
		{"already gone", &client.APIError{Status: http.StatusNotFound}, false},
		{"refused", &client.APIError{Status: http.StatusConflict, Code: "organization_not_empty", Message: "not empty"}, true},
		{"transport", errors.New("connection refused"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			AddDeleteError(&diags, `team "core"`, tc.err)
			if diags.HasError() != tc.wantErr {
				t.Fatalf("error = %v, want %v: %v", diags.HasError(), tc.wantErr, diags)
			}
			if tc.wantErr && !strings.Contains(diags.Errors()[0].Summary()+diags.Errors()[0].Detail(), `team "core"`) {
				t.Errorf("error does not name the object: %v", diags)
			}
		})
	}
}
