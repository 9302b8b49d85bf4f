package validators

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/rules"
)

// CredentialData checks a credential's secret data map (rules.ValidateCredentialData).
// The map must hold strings. It is skipped while any element is unknown; its messages
// never echo a value.
func CredentialData() validator.Map { return credentialData{} }

type credentialData struct{}

func (credentialData) Description(context.Context) string {
	return "1 to 64 keys (identifiers), values at most 16 KiB"
}
func (v credentialData) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (credentialData) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	data := make(map[string]string, len(req.ConfigValue.Elements()))
	for k, e := range req.ConfigValue.Elements() {
		s, ok := e.(types.String)
		if !ok || s.IsUnknown() {
			return
		}
		data[k] = s.ValueString()
	}
	if violation := rules.ValidateCredentialData(fieldName(req.Path), data); violation != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid value", violation.Message)
	}
}
