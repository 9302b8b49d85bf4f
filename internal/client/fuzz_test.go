package client

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// Fuzz target of the client's error decoding. `go test` runs the seed corpus as an
// ordinary test; make test-long fuzzes it for 60 s:
//
//	go test -run '^$' -fuzz '^FuzzAPIError$' -fuzztime 60s ./internal/client

// FuzzAPIError: whatever the status, body and headers of an error answer, newAPIError
// returns an error that keeps the status, matches exactly the sentinel of that status,
// reads as valid UTF-8, quotes a body that is not the error shape in bounded, printable
// form, and never has a negative Retry-After.
func FuzzAPIError(f *testing.F) {
	for _, s := range []struct {
		status             int
		body, retry, reqID string
		ifMatch            int64
	}{
		{404, `{"error":{"code":"not_found","message":"No workspace ws_1."}}`, "", "req_1", 0},
		{412, `{"error":{"code":"precondition_failed","message":"stale"}}`, "", "", 3},
		{422, `{"error":{"code":"validation_failed","message":"bad","fields":[{"path":"data.token","message":"too long"}]}}`, "", "", 0},
		{429, `{"error":{"code":"rate_limited","message":"slow down"}}`, "2", "", 0},
		{503, `{"error":{"code":"unavailable","message":"retry"}}`, "Wed, 21 Oct 2015 07:28:00 GMT", "", 0},
		{502, "<html><body>Bad gateway\n\t\x00</body></html>", "", "", 0},
		{500, "", "-1", "", 0},
		{400, "\xff\xfe\xfd" + strings.Repeat("é", 300), "1e308", "", 0},
		{409, `{"error":{}}`, "NaN", "", 0},
		{401, `{"error":{"message":"line one\nline two"}}`, "", "req\nx", 0},
		{418, `[1,2,3]`, "", "", 0},
	} {
		f.Add(s.status, []byte(s.body), s.retry, s.reqID, s.ifMatch)
	}
	sentinels := map[error]func(int) bool{
		ErrUnauthorized:       func(s int) bool { return s == 401 },
		ErrForbidden:          func(s int) bool { return s == 403 },
		ErrNotFound:           func(s int) bool { return s == 404 },
		ErrConflict:           func(s int) bool { return s == 409 },
		ErrPreconditionFailed: func(s int) bool { return s == 412 },
		ErrValidation:         func(s int) bool { return s == 400 || s == 422 },
		ErrRateLimited:        func(s int) bool { return s == 429 },
	}
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter, requestID string, ifMatch int64) {
		h := http.Header{}
		h.Set(api.HeaderRetryAfter, retryAfter)
		h.Set(api.HeaderRequestID, requestID)
		e := newAPIError(&http.Response{StatusCode: status, Header: h}, body, "PATCH", "/v1/workspaces/ws_1", ifMatch)
		if e.Status != status {
			t.Fatalf("status %d became %d", status, e.Status)
		}
		for s, want := range sentinels {
			if errors.Is(e, s) != want(status) {
				t.Fatalf("status %d: errors.Is(%v) = %v", status, s, !want(status))
			}
		}
		if e.RetryAfter < 0 {
			t.Fatalf("Retry-After %q gave %s", retryAfter, e.RetryAfter)
		}
		msg := e.Error()
		if !utf8.ValidString(msg) || !utf8.ValidString(e.Message) {
			t.Fatalf("error is not valid UTF-8: %q", msg)
		}
		var er api.ErrorResponse
		if json.Unmarshal(body, &er) != nil || (er.Error.Code == "" && er.Error.Message == "") {
			// Not the error shape: a bounded, printable quote of the body.
			if len(e.Message) > 8*maxErrorText+64 {
				t.Fatalf("quoted %d bytes of a %d-byte body", len(e.Message), len(body))
			}
			if strings.ContainsFunc(e.Message, func(r rune) bool { return r != ' ' && unicode.IsControl(r) }) {
				t.Fatalf("control character in %q", e.Message)
			}
		}
	})
}

// FuzzParseRetryAfter: a Retry-After is never read as a negative wait.
func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"", "0", "1", "1.5", "-1", "1e400", "NaN", "+Inf", "Wed, 21 Oct 2015 07:28:00 GMT", "Mon, 02 Jan 2106 15:04:05 GMT"} {
		f.Add(s)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		if d, ok := parseRetryAfter(v, now); ok && d < 0 {
			t.Fatalf("parseRetryAfter(%q) = %s", v, d)
		}
	})
}

// TestAPIErrorRequestIDIsPrintable: a request id from a header or a body that is not
// printable UTF-8 (a proxy's) is made so: the error's text goes into Terraform
// diagnostics, whose strings must be valid UTF-8 (found by FuzzAPIError).
func TestAPIErrorRequestIDIsPrintable(t *testing.T) {
	for _, tc := range []struct{ header, body string }{
		{"\x9a\xff", `{"error":{"code":"x","message":"m"}}`},
		{"", `{"error":{"code":"x","message":"m","request_id":"req\n\u0000id"}}`},
	} {
		h := http.Header{}
		h.Set(api.HeaderRequestID, tc.header)
		e := newAPIError(&http.Response{StatusCode: 500, Header: h}, []byte(tc.body), "GET", "/v1/me", 0)
		if msg := e.Error(); !utf8.ValidString(msg) || strings.ContainsAny(msg, "\n\x00") {
			t.Errorf("request id %q / %q gave %q", tc.header, tc.body, msg)
		}
	}
}
