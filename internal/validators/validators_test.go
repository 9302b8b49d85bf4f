package validators

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func validate(v validator.String, attrName string, value types.String) (errs []string) {
	var resp validator.StringResponse
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root(attrName), ConfigValue: value}, &resp)
	for _, d := range resp.Diagnostics.Errors() {
		errs = append(errs, d.Detail())
	}
	return errs
}

func TestStringValidators(t *testing.T) {
	long := strings.Repeat("x", 101)
	cases := []struct {
		name      string
		v         validator.String
		attr      string
		value     types.String
		wantError string // "" means valid
	}{
		{"name ok", Name(), "name", types.StringValue("Platform team"), ""},
		{"name empty", Name(), "name", types.StringValue(""), "name must not be empty"},
		{"name padded", Name(), "name", types.StringValue(" x"), "white space"},
		{"name too long", Name(), "name", types.StringValue(long), "at most 100"},
		{"name null skipped", Name(), "name", types.StringNull(), ""},
		{"name unknown skipped", Name(), "name", types.StringUnknown(), ""},
		{"description long", Description(), "description", types.StringValue(strings.Repeat("d", 1001)), "at most 1000"},
		{"email ok", Email(), "email", types.StringValue("Alice@Example.com"), ""},
		{"email display name", Email(), "email", types.StringValue("Alice <alice@example.com>"), "plain email"},
		{"email no domain dot", Email(), "email", types.StringValue("alice@localhost"), "plain email"},
		{"url ok", HTTPSURL(), "avatar_url", types.StringValue("https://cdn.example.com/a.png"), ""},
		{"url http", HTTPSURL(), "avatar_url", types.StringValue("http://cdn.example.com/a.png"), "avatar_url must be an absolute https:// URL"},
		{"url empty refused", HTTPSURL(), "avatar_url", types.StringValue(""), "https://"},
		{"url empty allowed by EmptyOr", EmptyOr(HTTPSURL()), "avatar_url", types.StringValue(""), ""},
		{"EmptyOr still checks", EmptyOr(HTTPSURL()), "avatar_url", types.StringValue("ftp://x"), "https://"},
		{"domain ok", Domain(), "custom_domain", types.StringValue("flows.example.com"), ""},
		{"domain upper", Domain(), "custom_domain", types.StringValue("Flows.example.com"), "lower-case"},
		{"domain single label", Domain(), "custom_domain", types.StringValue("localhost"), "fully qualified"},
		{"domain ip", Domain(), "custom_domain", types.StringValue("10.0.0.1"), "not an IP"},
		{"one of ok", OneOf("viewer", "editor"), "role", types.StringValue("editor"), ""},
		{"one of bad", OneOf("viewer", "editor"), "role", types.StringValue("Editor"), `role must be one of "viewer", "editor", got "Editor"`},
		{"credential type", CredentialType(), "type", types.StringValue("Slack"), "lower-case identifier"},
		{"endpoint ok", Endpoint(), "endpoint", types.StringValue("http://127.0.0.1:8080"), ""},
		{"endpoint no scheme", Endpoint(), "endpoint", types.StringValue("api.flero.example"), "absolute http"},
		{"endpoint creds", Endpoint(), "endpoint", types.StringValue("https://u:p@api.flero.example"), "absolute http"},
		{"duration ok", Duration(), "request_timeout", types.StringValue("1m30s"), ""},
		{"duration negative", Duration(), "request_timeout", types.StringValue("-1s"), "positive duration"},
		{"duration bare number", Duration(), "request_timeout", types.StringValue("30"), "positive duration"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			errs := validate(tc.v, tc.attr, tc.value)
			if tc.wantError == "" {
				if len(errs) != 0 {
					t.Fatalf("want valid, got %q", errs)
				}
				return
			}
			if len(errs) != 1 || !strings.Contains(errs[0], tc.wantError) {
				t.Fatalf("want one error containing %q, got %q", tc.wantError, errs)
			}
		})
	}
}

func TestValidatorDescriptions(t *testing.T) {
	for _, v := range []validator.String{Name(), Description(), Email(), HTTPSURL(), Domain(), OneOf("a"), EmptyOr(Domain()), Endpoint(), Duration()} {
		if v.Description(context.Background()) == "" || v.MarkdownDescription(context.Background()) == "" {
			t.Errorf("%T has no description", v)
		}
	}
}

func TestCredentialData(t *testing.T) {
	mk := func(m map[string]attr.Value) types.Map { return types.MapValueMust(types.StringType, m) }
	cases := []struct {
		name    string
		value   types.Map
		wantErr string
	}{
		{"ok", mk(map[string]attr.Value{"token": types.StringValue("s3cr3t")}), ""},
		{"empty", mk(map[string]attr.Value{}), "at least one key"},
		{"bad key", mk(map[string]attr.Value{"bad key": types.StringValue("s3cr3t")}), "invalid key"},
		{"unknown element skipped", mk(map[string]attr.Value{"bad key": types.StringUnknown()}), ""},
		{"null skipped", types.MapNull(types.StringType), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var resp validator.MapResponse
			CredentialData().ValidateMap(context.Background(), validator.MapRequest{Path: path.Root("data"), ConfigValue: tc.value}, &resp)
			errs := resp.Diagnostics.Errors()
			if tc.wantErr == "" {
				if len(errs) != 0 {
					t.Fatalf("want valid, got %v", errs)
				}
				return
			}
			if len(errs) != 1 || !strings.Contains(errs[0].Detail(), tc.wantErr) {
				t.Fatalf("want one error containing %q, got %v", tc.wantErr, errs)
			}
			if strings.Contains(errs[0].Detail(), "s3cr3t") {
				t.Fatalf("the error echoes a secret value: %s", errs[0].Detail())
			}
		})
	}
}
