package framework

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// IsNotFound reports whether err is the API's not-found (the object is gone, or the
// token cannot see it).
func IsNotFound(err error) bool { return errors.Is(err, client.ErrNotFound) }

// codeSummaries are the diagnostic summaries of the platform's machine codes.
var codeSummaries = map[string]string{
	rules.CodeScopeRequiresEnterprise: "Organization scope requires the Enterprise plan",
	rules.CodeDowngradeBlocked:        "Organization cannot leave the Enterprise plan",
	rules.CodeCredentialForbidden:     "Not allowed to change this credential",
	rules.CodeManageForbidden:         "Not allowed",
	rules.CodeLastAdmin:               "Organization must keep an admin",
	rules.CodeSSOManaged:              "Membership is managed by single sign-on",
	rules.CodeNotOrganizationMember:   "Not a member of the organization",
	rules.CodeOrganizationNotEmpty:    "Organization is not empty",
	rules.CodeWorkspaceNotEmpty:       "Workspace is not empty",
	rules.CodeInvalidValue:            "Invalid value",
	api.CodeUnauthorized:              "Token not accepted",
	api.CodeConflict:                  "Conflict",
	api.CodeIdempotencyReused:         "Idempotency key reused",
	api.CodeValidation:                "Invalid value",
	api.CodeBadRequest:                "Request refused",
	api.CodeRateLimited:               "Rate limited",
	api.CodeUnavailable:               "Flero API unavailable",
	api.CodeInternal:                  "Flero API error",
}

// PathFunc maps an API field path ("role", "data.token") to an attribute path. It
// returns false to report the error on the resource as a whole.
type PathFunc func(field string) (path.Path, bool)

// DefaultPath maps "a" to the attribute a and "a.b" to key b of the map attribute a.
func DefaultPath(field string) (path.Path, bool) {
	if field == "" {
		return path.Empty(), false
	}
	head, rest, nested := strings.Cut(field, ".")
	p := path.Root(head)
	if nested {
		p = p.AtMapKey(rest)
	}
	return p, true
}

// AddAPIError adds err, returned by the client while doing op ("create", "read",
// "update", "delete", "import", "look up") on object (`workspace "prod"`), as
// diagnostics. Field errors land on their attributes (paths, when given, maps the API's
// field names; DefaultPath otherwise); rule codes get a clear summary; a stale If-Match
// becomes a conflict that names the object.
func AddAPIError(diags *diag.Diagnostics, op, object string, err error, paths ...PathFunc) {
	mapPath := DefaultPath
	if len(paths) > 0 && paths[0] != nil {
		mapPath = paths[0]
	}

	var apiErr *client.APIError
	if !errors.As(err, &apiErr) {
		diags.AddError(fmt.Sprintf("Could not %s %s", op, object), transportDetail(err))
		return
	}

	switch {
	case errors.Is(err, client.ErrPreconditionFailed):
		diags.AddError(fmt.Sprintf("Conflict: %s changed since the plan was made", object),
			fmt.Sprintf("Could not %s %s: it was changed outside Terraform after this plan read it "+
				"(its version no longer matches), so the provider refused to overwrite that change. "+
				"Run terraform plan again to review the current state, then apply.%s", op, object, requestID(apiErr)))
		return
	case errors.Is(err, client.ErrUnauthorized):
		// The provider checked the token when it was configured: it was revoked since.
		diags.AddError("Token not accepted",
			fmt.Sprintf("The Flero API did not accept the provider's token while trying to %s %s: %s%s", op, object, apiErr.Message, requestID(apiErr)))
		return
	}

	summary := codeSummaries[apiErr.Code]
	if summary == "" {
		summary = fmt.Sprintf("Could not %s %s", op, object)
	} else {
		summary = fmt.Sprintf("%s (%s %s)", summary, op, object)
	}
	detail := apiErr.Message
	if detail == "" {
		detail = fmt.Sprintf("The Flero API answered HTTP %d.", apiErr.Status)
	}
	reported := false
	for _, f := range apiErr.Fields {
		msg := f.Message
		if msg == "" {
			msg = detail
		}
		if p, ok := mapPath(f.Path); ok {
			diags.AddAttributeError(p, summary, msg+requestID(apiErr))
			reported = true
		}
	}
	if !reported {
		diags.AddError(summary, detail+requestID(apiErr))
	}
}

func requestID(e *client.APIError) string {
	if e.RequestID == "" {
		return ""
	}
	return fmt.Sprintf("\n\n(request id %s)", e.RequestID)
}

func transportDetail(err error) string {
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "The request timed out (provider attribute request_timeout). " + err.Error()
	case errors.As(err, &netErr):
		return "The Flero API could not be reached: " + err.Error()
	}
	return err.Error()
}

// AddViolation adds a rule's refusal found at plan time: an error on the attribute the
// rule names (Violation.Field, mapped by paths when given), or on the resource when it
// names none.
func AddViolation(diags *diag.Diagnostics, v *rules.Violation, paths ...PathFunc) {
	if v == nil {
		return
	}
	mapPath := DefaultPath
	if len(paths) > 0 && paths[0] != nil {
		mapPath = paths[0]
	}
	summary := codeSummaries[v.Code]
	if summary == "" {
		summary = "Refused by the platform's rules"
	}
	if p, ok := mapPath(v.Field); ok {
		diags.AddAttributeError(p, summary, v.Message)
		return
	}
	diags.AddError(summary, v.Message)
}

// AddViolationAt adds a rule's refusal on the given attribute, whatever field the rule
// names (for rules whose field differs from the resource's attribute).
func AddViolationAt(diags *diag.Diagnostics, v *rules.Violation, at path.Path) {
	AddViolation(diags, v, func(string) (path.Path, bool) { return at, true })
}
