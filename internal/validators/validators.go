// Package validators holds the provider's static (plan-time, no I/O) attribute
// validators. Each is a thin adapter: the rule itself lives in package rules, so a value
// the plan accepts is a value the API accepts.
package validators

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/flero/terraform-provider-flero/internal/rules"
)

// ruleFunc is the shape of the format checks in package rules.
type ruleFunc func(field, v string) *rules.Violation

// stringRule adapts a rules check to a validator.String.
type stringRule struct {
	desc string
	fn   ruleFunc
}

func (v stringRule) Description(context.Context) string         { return v.desc }
func (v stringRule) MarkdownDescription(context.Context) string { return v.desc }

func (v stringRule) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if violation := v.fn(fieldName(req.Path), req.ConfigValue.ValueString()); violation != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid value", violation.Message)
	}
}

// fieldName is the attribute's name as the rules word it ("name", "avatar_url").
func fieldName(p path.Path) string {
	steps := p.Steps()
	if len(steps) == 0 {
		return "value"
	}
	if name, ok := steps[len(steps)-1].(path.PathStepAttributeName); ok {
		return string(name)
	}
	return p.String()
}

// Name checks the name of an organization, workspace, team or credential (rules.ValidateName).
func Name() validator.String {
	return stringRule{desc: "1 to 100 characters, no leading or trailing white space, no control characters", fn: rules.ValidateName}
}

// Description checks a free-text description (rules.ValidateDescription).
func Description() validator.String {
	return stringRule{desc: "at most 1000 characters", fn: rules.ValidateDescription}
}

// Email checks a plain email address (rules.ValidateEmail).
func Email() validator.String {
	return stringRule{desc: "a plain email address such as name@example.com", fn: rules.ValidateEmail}
}

// HTTPSURL checks an absolute https:// URL (rules.ValidateHTTPSURL).
func HTTPSURL() validator.String {
	return stringRule{desc: "an absolute https:// URL", fn: rules.ValidateHTTPSURL}
}

// Domain checks a lower-case fully qualified domain name (rules.ValidateDomain).
func Domain() validator.String {
	return stringRule{desc: "a lower-case domain name such as flows.example.com", fn: rules.ValidateDomain}
}

// CredentialType checks a credential type identifier (rules.ValidateCredentialType).
func CredentialType() validator.String {
	return stringRule{desc: "a lower-case identifier such as \"slack_bot\"", fn: rules.ValidateCredentialType}
}

// OneOf checks that the value is one of allowed (rules.OneOf).
func OneOf(allowed ...string) validator.String {
	return stringRule{
		desc: fmt.Sprintf("one of %q", allowed),
		fn:   func(field, v string) *rules.Violation { return rules.OneOf(field, v, allowed) },
	}
}

// EmptyOr accepts the empty string (which means "none" for the provider's optional
// string attributes) and otherwise applies inner.
func EmptyOr(inner validator.String) validator.String { return emptyOr{inner} }

type emptyOr struct{ inner validator.String }

func (v emptyOr) Description(ctx context.Context) string {
	return "empty, or " + v.inner.Description(ctx)
}
func (v emptyOr) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v emptyOr) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !req.ConfigValue.IsNull() && !req.ConfigValue.IsUnknown() && req.ConfigValue.ValueString() == "" {
		return
	}
	v.inner.ValidateString(ctx, req, resp)
}

// ---------------------------------------------------------------------------
// Provider-configuration formats (not platform rules: they describe how to reach the
// API, not what the API accepts).

// Endpoint checks the provider endpoint: an absolute http:// or https:// URL with a host
// and no credentials, query or fragment.
func Endpoint() validator.String {
	return stringRule{desc: "an absolute http:// or https:// URL", fn: validateEndpoint}
}

func validateEndpoint(field, v string) *rules.Violation {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return &rules.Violation{Code: rules.CodeInvalidValue, Kind: rules.KindInvalid, Field: field,
			Message: fmt.Sprintf("%s must be an absolute http:// or https:// URL such as https://api.flero.example, got %q.", field, v)}
	}
	return nil
}

// Duration checks a positive Go duration string such as "30s" or "2m".
func Duration() validator.String {
	return stringRule{desc: "a positive duration such as \"30s\" or \"2m\"", fn: validateDuration}
}

func validateDuration(field, v string) *rules.Violation {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return &rules.Violation{Code: rules.CodeInvalidValue, Kind: rules.KindInvalid, Field: field,
			Message: fmt.Sprintf("%s must be a positive duration such as \"30s\" or \"2m\", got %q.", field, v)}
	}
	return nil
}
