package framework

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestParseImportID(t *testing.T) {
	cases := []struct {
		id, format string
		want       []string
		wantErr    bool
	}{
		{"org_1/alice@example.com", "<organization_id>/<email>", []string{"org_1", "alice@example.com"}, false},
		{"team_1/usr_2", "<team_id>/<user_id>", []string{"team_1", "usr_2"}, false},
		{"ws_1/user/usr_2", "<workspace_id>/<user|team>/<id>", []string{"ws_1", "user", "usr_2"}, false},
		// The last part keeps further slashes (an email may hold one).
		{"org_1/a/b@example.com", "<organization_id>/<email>", []string{"org_1", "a/b@example.com"}, false},
		{"org_1", "<organization_id>/<email>", nil, true},
		{"org_1/", "<organization_id>/<email>", nil, true},
		{"/alice@example.com", "<organization_id>/<email>", nil, true},
		{"ws_1/user", "<workspace_id>/<user|team>/<id>", nil, true},
		{"ws_1/ /usr_2", "<workspace_id>/<user|team>/<id>", nil, true},
		{"", "<id>", nil, true},
		{"x", "<id>", []string{"x"}, false},
	}
	for _, tc := range cases {
		got, err := ParseImportID(tc.id, tc.format)
		if tc.wantErr {
			if err == nil {
				t.Errorf("ParseImportID(%q, %q) = %q, want an error", tc.id, tc.format, got)
			} else if !strings.Contains(err.Error(), tc.format) {
				t.Errorf("error %q does not repeat the format %q", err, tc.format)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseImportID(%q, %q) = %q, %v; want %q", tc.id, tc.format, got, err, tc.want)
		}
	}
}

func TestImportByPrefixedIDSaysWhatAnIDLooksLike(t *testing.T) {
	w := WithImportByPrefixedID{Kind: "credential", Prefix: "cred_", Example: "cred_3f9a2c41d7e85b06a1c4f932", Where: "Find it in the API"}
	for _, id := range []string{"cred_3f9a2c41d7e85b06a1c4f932", "cred_x"} {
		if p := w.IDProblem(id); p != "" {
			t.Errorf("IDProblem(%q) = %q, want none", id, p)
		}
	}
	for _, id := range []string{"stripe-live", "", "cred_", "ws_3bN8pLq2Vt/stripe-live", "cred_1/2", "cred_a b", "CRED_3f9a2c41d7e85b06a1c4f932"} {
		p := w.IDProblem(id)
		for _, want := range []string{`"cred_" followed by 24 hexadecimal characters`, "cred_3f9a2c41d7e85b06a1c4f932", fmt.Sprintf("(got %q)", id), "Find it in the API."} {
			if !strings.Contains(p, want) {
				t.Errorf("IDProblem(%q) = %q, lacks %q", id, p, want)
			}
		}
	}
}

func TestImportByPrefixedIDImportState(t *testing.T) {
	w := WithImportByPrefixedID{Kind: "credential", Prefix: "cred_", Example: "cred_3f9a2c41d7e85b06a1c4f932", Where: "Find it in the API"}
	s := rschema.Schema{Attributes: map[string]rschema.Attribute{"id": rschema.StringAttribute{Computed: true}}}
	for _, tc := range []struct {
		id     string
		wantOK bool
	}{{"cred_3f9a2c41d7e85b06a1c4f932", true}, {"stripe-live", false}} {
		resp := &resource.ImportStateResponse{State: tfsdk.State{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(context.Background()), nil)}}
		w.ImportState(context.Background(), resource.ImportStateRequest{ID: tc.id}, resp)
		if resp.Diagnostics.HasError() == tc.wantOK {
			t.Errorf("import %q: diagnostics %v", tc.id, resp.Diagnostics)
			continue
		}
		if !tc.wantOK {
			if d := resp.Diagnostics.Errors()[0]; d.Summary() != "Invalid import id" || !strings.Contains(d.Detail(), "cred_3f9a2c41d7e85b06a1c4f932") {
				t.Errorf("import %q: %s: %s", tc.id, d.Summary(), d.Detail())
			}
			continue
		}
		var got types.String
		resp.Diagnostics.Append(resp.State.GetAttribute(context.Background(), path.Root("id"), &got)...)
		if got.ValueString() != tc.id {
			t.Errorf("import %q set id %q (%v)", tc.id, got, resp.Diagnostics)
		}
	}
}
