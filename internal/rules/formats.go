package rules

import (
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Formats of the platform's fields. The server validates every request with these and
// the provider's static validators call the same functions, so a value the plan
// accepts is a value the API accepts.

// Limits on field sizes.
const (
	MaxNameLength        = 100
	MaxDescriptionLength = 1000
	MaxURLLength         = 2048
	MaxDomainLength      = 253
	MaxEmailLength       = 254
	MaxDataKeys          = 64
	MaxDataValueBytes    = 16 * 1024
	MaxWorkflowLength    = 200
)

var (
	credentialTypeRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
	dataKeyRe        = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]{0,127}$`)
	domainLabelRe    = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
)

func invalid(field, format string, args ...any) *Violation {
	return violation(CodeInvalidValue, KindInvalid, field, format, args...)
}

// Required refuses a request that leaves out a required field.
func Required(field string) *Violation {
	return invalid(field, "%s is required.", field)
}

// ValidateName checks the name of an organization, workspace, team or credential:
// 1–100 characters, no leading or trailing space, no control characters.
func ValidateName(field, v string) *Violation {
	switch {
	case v == "":
		return invalid(field, "%s must not be empty.", field)
	case !utf8.ValidString(v):
		return invalid(field, "%s must be valid UTF-8.", field)
	case utf8.RuneCountInString(v) > MaxNameLength:
		return invalid(field, "%s must be at most %d characters long.", field, MaxNameLength)
	case strings.TrimSpace(v) != v:
		return invalid(field, "%s must not start or end with white space.", field)
	}
	for _, r := range v {
		if unicode.IsControl(r) {
			return invalid(field, "%s must not contain control characters.", field)
		}
	}
	return nil
}

// ValidateDescription checks a free-text description: at most 1000 characters, no
// control characters other than line breaks and tabs.
func ValidateDescription(field, v string) *Violation {
	if !utf8.ValidString(v) {
		return invalid(field, "%s must be valid UTF-8.", field)
	}
	if utf8.RuneCountInString(v) > MaxDescriptionLength {
		return invalid(field, "%s must be at most %d characters long.", field, MaxDescriptionLength)
	}
	for _, r := range v {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return invalid(field, "%s must not contain control characters other than line breaks and tabs (found U+%04X).", field, r)
		}
	}
	return nil
}

// NameKey is the form in which names are compared: Unicode normalization form C, so
// that two names that look the same and differ only in how their accents are encoded
// ("é" as one code point, or "e" and a combining accent) are one name. Names are kept
// as given; uniqueness and look-ups by name compare their keys.
func NameKey(name string) string { return norm.NFC.String(name) }

// SameName reports whether two names are one name (NameKey).
func SameName(a, b string) bool { return a == b || NameKey(a) == NameKey(b) }

// ValidateEmail checks an email address (a bare address, no display name).
func ValidateEmail(field, v string) *Violation {
	if v == "" || len(v) > MaxEmailLength {
		return invalid(field, "%s must be an email address of at most %d characters.", field, MaxEmailLength)
	}
	addr, err := mail.ParseAddress(v)
	if err != nil || addr.Address != v || addr.Name != "" {
		return invalid(field, "%s must be a plain email address such as name@example.com, got %q.", field, v)
	}
	at := strings.LastIndexByte(v, '@')
	if at < 1 || !strings.Contains(v[at+1:], ".") {
		return invalid(field, "%s must be a plain email address such as name@example.com, got %q.", field, v)
	}
	return nil
}

// NormalizeEmail is the canonical form of an email: emails are unique case-insensitively.
func NormalizeEmail(v string) string { return strings.ToLower(strings.TrimSpace(v)) }

// ValidateHTTPSURL checks an avatar URL: an absolute https:// URL with a host.
func ValidateHTTPSURL(field, v string) *Violation {
	if len(v) > MaxURLLength {
		return invalid(field, "%s must be at most %d characters long.", field, MaxURLLength)
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || strings.ContainsAny(v, " \t\r\n") {
		return invalid(field, "%s must be an absolute https:// URL, got %q.", field, v)
	}
	return nil
}

// ValidateDomain checks a custom domain: a lower-case host name with at least two
// labels, such as flows.example.com.
func ValidateDomain(field, v string) *Violation {
	if v == "" || len(v) > MaxDomainLength {
		return invalid(field, "%s must be a domain name of at most %d characters.", field, MaxDomainLength)
	}
	labels := strings.Split(v, ".")
	if len(labels) < 2 {
		return invalid(field, "%s must be a fully qualified domain name such as flows.example.com, got %q.", field, v)
	}
	for _, l := range labels {
		if !domainLabelRe.MatchString(l) {
			return invalid(field, "%s must be a lower-case domain name such as flows.example.com, got %q.", field, v)
		}
	}
	if tld := labels[len(labels)-1]; tld[0] >= '0' && tld[0] <= '9' {
		return invalid(field, "%s must be a domain name, not an IP address, got %q.", field, v)
	}
	return nil
}

// ValidateCredentialType checks a credential type: a lower-case identifier such as
// "slack" or "openai_api".
func ValidateCredentialType(field, v string) *Violation {
	if !credentialTypeRe.MatchString(v) {
		return invalid(field, "%s must be a lower-case identifier (letters, digits, underscores; starting with a letter; at most 64 characters) such as \"slack_bot\", got %q.", field, v)
	}
	return nil
}

// ValidateCredentialData checks a credential's secret data. It never echoes a value.
func ValidateCredentialData(field string, data map[string]string) *Violation {
	if len(data) == 0 {
		return invalid(field, "%s must hold at least one key.", field)
	}
	if len(data) > MaxDataKeys {
		return invalid(field, "%s must hold at most %d keys.", field, MaxDataKeys)
	}
	for k, v := range data {
		if !dataKeyRe.MatchString(k) {
			return invalid(field, "%s has an invalid key %q: keys are identifiers of letters, digits, '_', '.' and '-'.", field, k)
		}
		if len(v) > MaxDataValueBytes {
			return invalid(field, "%s[%q] is longer than %d bytes.", field, k, MaxDataValueBytes)
		}
	}
	return nil
}

// ValidateWorkflow checks the name of a workflow recorded as using a credential:
// 1–200 characters of valid UTF-8, no control characters.
func ValidateWorkflow(field, v string) *Violation {
	switch {
	case !utf8.ValidString(v):
		return invalid(field, "%s must be valid UTF-8.", field)
	case v == "" || utf8.RuneCountInString(v) > MaxWorkflowLength:
		return invalid(field, "%s must be 1 to %d characters long.", field, MaxWorkflowLength)
	}
	for _, r := range v {
		if unicode.IsControl(r) {
			return invalid(field, "%s must not contain control characters.", field)
		}
	}
	return nil
}
