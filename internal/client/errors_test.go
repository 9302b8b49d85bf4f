package client

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

func resp(status int, h map[string]string) *http.Response {
	r := &http.Response{StatusCode: status, Header: http.Header{}}
	for k, v := range h {
		r.Header.Set(k, v)
	}
	return r
}

func TestAPIErrorSentinels(t *testing.T) {
	all := []error{ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrPreconditionFailed, ErrValidation, ErrRateLimited}
	cases := []struct {
		status int
		code   string
		want   error // nil: matches no sentinel
	}{
		{401, api.CodeUnauthorized, ErrUnauthorized},
		{403, api.CodeForbidden, ErrForbidden},
		{403, rules.CodeCredentialForbidden, ErrForbidden},
		{404, api.CodeNotFound, ErrNotFound},
		{409, api.CodeConflict, ErrConflict},
		{409, rules.CodeLastAdmin, ErrConflict},
		{409, rules.CodeOrganizationNotEmpty, ErrConflict},
		{412, api.CodePreconditionFailed, ErrPreconditionFailed},
		{400, api.CodeBadRequest, ErrValidation},
		{422, api.CodeValidation, ErrValidation},
		{422, rules.CodeScopeRequiresEnterprise, ErrValidation},
		{422, api.CodeIdempotencyReused, ErrValidation},
		{429, api.CodeRateLimited, ErrRateLimited},
		{500, api.CodeInternal, nil},
		{503, api.CodeUnavailable, nil},
	}
	for _, tc := range cases {
		body := `{"error":{"code":"` + tc.code + `","message":"m."}}`
		err := error(newAPIError(resp(tc.status, nil), []byte(body), "GET", "/v1/x", 0))
		for _, s := range all {
			if got, want := errors.Is(err, s), s == tc.want; got != want {
				t.Errorf("%d %s: errors.Is(%v) = %v, want %v", tc.status, tc.code, s, got, want)
			}
		}
		if !HasCode(err, tc.code) {
			t.Errorf("%d: HasCode(%q) is false", tc.status, tc.code)
		}
	}
}

func TestAPIErrorDecodesEnvelope(t *testing.T) {
	body := `{"error":{"code":"scope_requires_enterprise","message":"Organization scope needs the enterprise plan.","fields":[{"path":"scope","message":"not allowed on plan free"}],"request_id":"req_1"}}`
	err := newAPIError(resp(422, map[string]string{api.HeaderRequestID: "hdr"}), []byte(body), "PATCH", "/v1/credentials/cred_1", 0)
	if err.Code != rules.CodeScopeRequiresEnterprise || err.Status != 422 || err.RequestID != "req_1" {
		t.Fatalf("decoded %+v", err)
	}
	if len(err.Fields) != 1 || err.Fields[0].Path != "scope" {
		t.Fatalf("fields %+v", err.Fields)
	}
	msg := err.Error()
	for _, want := range []string{"PATCH /v1/credentials/cred_1", "422", "scope_requires_enterprise", "enterprise plan", "scope: not allowed", "req_1"} {
		if !strings.Contains(msg, want) {
			t.Errorf("Error() = %q lacks %q", msg, want)
		}
	}
}

func TestAPIErrorNonEnvelopeBody(t *testing.T) {
	html := "<html>\n<body>" + strings.Repeat("Bad gateway from the proxy. ", 40) + "</body></html>"
	err := newAPIError(resp(502, map[string]string{api.HeaderRequestID: "req_9"}), []byte(html), "GET", "/v1/me", 0)
	if err.Status != 502 || err.Code != "" || err.RequestID != "req_9" {
		t.Fatalf("decoded %+v", err)
	}
	if !strings.Contains(err.Message, "Bad gateway from the proxy") || !strings.Contains(err.Message, "…") {
		t.Errorf("message %q does not show the start of the body, cut", err.Message)
	}
	if len(err.Message) > maxErrorText+64 {
		t.Errorf("message is %d bytes, not truncated", len(err.Message))
	}
	if strings.Contains(err.Message, "\n") {
		t.Errorf("message keeps control characters: %q", err.Message)
	}
	if !strings.Contains(err.Error(), "502 Bad Gateway") {
		t.Errorf("Error() = %q", err.Error())
	}

	empty := newAPIError(resp(504, nil), nil, "GET", "/v1/me", 0)
	if empty.Status != 504 || !strings.Contains(empty.Error(), "empty body") {
		t.Errorf("empty body: %q", empty.Error())
	}
	// A JSON body that is not the envelope is shown as text too.
	other := newAPIError(resp(500, nil), []byte(`{"oops":true}`), "GET", "/v1/me", 0)
	if other.Code != "" || !strings.Contains(other.Message, "oops") {
		t.Errorf("other JSON: %+v", other)
	}
}

func TestAPIErrorPreconditionReadsAsConflict(t *testing.T) {
	body := `{"error":{"code":"precondition_failed","message":"Version 4 is current."}}`
	err := newAPIError(resp(412, nil), []byte(body), "PATCH", "/v1/workspaces/ws_1", 3)
	got := err.Error()
	for _, want := range []string{"the object changed since it was read", "expected version 3", "Version 4 is current", "run terraform plan again"} {
		if !strings.Contains(got, want) {
			t.Errorf("Error() = %q lacks %q", got, want)
		}
	}
	if !errors.Is(err, ErrPreconditionFailed) || errors.Is(err, ErrConflict) {
		t.Errorf("412 sentinels wrong")
	}
}

func TestAPIErrorRetryAfter(t *testing.T) {
	err := newAPIError(resp(429, map[string]string{api.HeaderRetryAfter: "7"}), []byte(`{"error":{"code":"rate_limited","message":"slow down"}}`), "GET", "/v1/me", 0)
	if err.RetryAfter.Seconds() != 7 {
		t.Fatalf("RetryAfter = %v", err.RetryAfter)
	}
	if !strings.Contains(err.Error(), "retry after 7s") {
		t.Errorf("Error() = %q", err.Error())
	}
}

func TestPrintableCutsRunesCleanly(t *testing.T) {
	s := printable([]byte(strings.Repeat("é", 200)), 11) // 11 bytes cut a 2-byte rune
	if strings.ContainsRune(s, '\uFFFD') || strings.Contains(s, "?") {
		t.Errorf("printable left a broken rune: %q", s)
	}
	if s != strings.Repeat("é", 5)+"…" {
		t.Errorf("printable = %q", s)
	}
}
