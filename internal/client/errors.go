package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// Sentinels for errors.Is. An *APIError matches them by HTTP status, never by its
// text:
//
//	ErrUnauthorized        401
//	ErrForbidden           403
//	ErrNotFound            404 (also another tenant's object)
//	ErrConflict            409 (a name taken, or a rule of kind conflict such as
//	                       last_organization_admin, organization_not_empty)
//	ErrPreconditionFailed  412 (If-Match was stale: the object changed since it was read)
//	ErrValidation          400 and 422 (bad input, or a rule of kind invalid such as
//	                       scope_requires_enterprise)
//	ErrRateLimited         429 (still limited after every retry)
//
// A 412 is deliberately not ErrConflict: ErrConflict means "the platform's state
// refuses this change", ErrPreconditionFailed means "read again and re-plan".
var (
	ErrUnauthorized       = errors.New("flero: unauthorized")
	ErrForbidden          = errors.New("flero: forbidden")
	ErrNotFound           = errors.New("flero: not found")
	ErrConflict           = errors.New("flero: conflict")
	ErrPreconditionFailed = errors.New("flero: precondition failed")
	ErrValidation         = errors.New("flero: validation failed")
	ErrRateLimited        = errors.New("flero: rate limited")
)

// APIError is every error answer of the platform, decoded from api.ErrorResponse.
// When the body is not that shape (a proxy's HTML page, an empty 502), Code is empty
// and Message holds the status text and the start of the body.
type APIError struct {
	Status    int              // HTTP status
	Code      string           // machine code (api.Code* or a rules.Code*), "" when the body had none
	Message   string           // human message from the server
	RequestID string           // X-Request-Id or the body's request_id
	Fields    []api.FieldError // offending field paths, for validation and rule errors

	Method string // request method, for context in Error()
	Path   string // request path without query string

	// IfMatch is the version the request sent in If-Match (0 when none); it makes
	// a 412 say which version was stale.
	IfMatch int64
	// RetryAfter is the server's Retry-After on a 429 or 503 (0 when none).
	RetryAfter time.Duration
}

// Error reads as one line: what was asked, what the server said, and how to find it
// in the server's logs.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("flero: ")
	if e.Method != "" {
		fmt.Fprintf(&b, "%s %s: ", e.Method, e.Path)
	}
	if e.Status == http.StatusPreconditionFailed {
		b.WriteString("the object changed since it was read (")
		if e.IfMatch > 0 {
			fmt.Fprintf(&b, "expected version %d", e.IfMatch)
		} else {
			b.WriteString("version mismatch")
		}
		if e.Message != "" {
			fmt.Fprintf(&b, "; server: %s", strings.TrimSuffix(e.Message, "."))
		}
		b.WriteString("); run terraform plan again")
	} else {
		fmt.Fprintf(&b, "%d %s", e.Status, http.StatusText(e.Status))
		if e.Code != "" {
			fmt.Fprintf(&b, " (%s)", e.Code)
		}
		if e.Message != "" {
			b.WriteString(": ")
			b.WriteString(e.Message)
		}
		for _, f := range e.Fields {
			if f.Path == "" {
				continue
			}
			fmt.Fprintf(&b, "; %s: %s", f.Path, f.Message)
		}
		if e.RetryAfter > 0 {
			fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
		}
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request id %s]", e.RequestID)
	}
	return b.String()
}

// Is matches the package sentinels by status.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized
	case ErrForbidden:
		return e.Status == http.StatusForbidden
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrConflict:
		return e.Status == http.StatusConflict
	case ErrPreconditionFailed:
		return e.Status == http.StatusPreconditionFailed
	case ErrValidation:
		return e.Status == http.StatusBadRequest || e.Status == http.StatusUnprocessableEntity
	case ErrRateLimited:
		return e.Status == http.StatusTooManyRequests
	}
	return false
}

// AsAPIError returns the *APIError in err's chain, if any.
func AsAPIError(err error) (*APIError, bool) {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae, true
	}
	return nil, false
}

// HasCode reports whether err is an *APIError with the given machine code, e.g.
// HasCode(err, rules.CodeLastAdmin).
func HasCode(err error, code string) bool {
	ae, ok := AsAPIError(err)
	return ok && ae.Code == code
}

// IsNotFound is errors.Is(err, ErrNotFound), for brevity at call sites.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// maxErrorText bounds how much of a body that is not the error shape goes into
// an APIError.
const maxErrorText = 256

// maxRequestID bounds a request id. Like a body, it comes from whatever answered (a
// proxy may set X-Request-Id too): it is made printable UTF-8, since the error's text
// ends up in Terraform diagnostics, which cannot carry invalid UTF-8.
const maxRequestID = 128

// newAPIError decodes an error answer. It never fails: a body that is not
// api.ErrorResponse still gives the status and the start of the text.
func newAPIError(resp *http.Response, body []byte, method, path string, ifMatch int64) *APIError {
	e := &APIError{
		Status:    resp.StatusCode,
		Method:    method,
		Path:      path,
		IfMatch:   ifMatch,
		RequestID: printable([]byte(resp.Header.Get(api.HeaderRequestID)), maxRequestID),
	}
	if d, ok := parseRetryAfter(resp.Header.Get(api.HeaderRetryAfter), time.Now()); ok {
		e.RetryAfter = d
	}
	var er api.ErrorResponse
	if err := json.Unmarshal(body, &er); err == nil && (er.Error.Code != "" || er.Error.Message != "") {
		e.Code = er.Error.Code
		e.Message = er.Error.Message
		e.Fields = er.Error.Fields
		if er.Error.RequestID != "" {
			e.RequestID = printable([]byte(er.Error.RequestID), maxRequestID)
		}
		return e
	}
	text := printable(body, maxErrorText)
	if text == "" {
		e.Message = "the server answered with an empty body"
	} else {
		e.Message = fmt.Sprintf("unexpected response body: %q", text)
	}
	return e
}

// printable returns at most n bytes of b as valid UTF-8 with control characters
// replaced by spaces and runs of space collapsed, "…" marking a cut.
func printable(b []byte, n int) string {
	var out strings.Builder
	cut := false
	if len(b) > n {
		b, cut = b[:n], true
	}
	space := false
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if r == utf8.RuneError && size <= 1 {
			if len(b) == 0 && cut { // a rune split by the cut
				break
			}
			r = '?'
		}
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			if !space && out.Len() > 0 {
				out.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		out.WriteRune(r)
	}
	s := strings.TrimSpace(out.String())
	if cut {
		s += "…"
	}
	return s
}
