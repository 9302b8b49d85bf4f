package rules

import (
	"strings"
	"testing"
)

func TestFormats(t *testing.T) {
	type check func(field, v string) *Violation
	cases := []struct {
		name string
		fn   check
		good []string
		bad  []string
	}{
		{"name", ValidateName,
			[]string{"acme", "Payments EU", "a", strings.Repeat("x", 100), "ünïcode"},
			[]string{"", " lead", "trail ", strings.Repeat("x", 101), "tab\there", "bad\x00"}},
		{"description", ValidateDescription,
			[]string{"", "anything goes", strings.Repeat("d", 1000)},
			[]string{strings.Repeat("d", 1001), "\xff"}},
		{"email", ValidateEmail,
			[]string{"a@example.com", "first.last+tag@sub.example.org"},
			[]string{"", "plain", "a@b", "Name <a@example.com>", "a@@example.com", " a@example.com"}},
		{"avatar_url", ValidateHTTPSURL,
			[]string{"https://cdn.example.com/a.png", "https://example.com"},
			[]string{"http://example.com/a.png", "ftp://x", "https://", "not a url", "https://user:pw@example.com/x", "https://exa mple.com"}},
		{"custom_domain", ValidateDomain,
			[]string{"flows.example.com", "a-b.example.co.uk", "x.io"},
			[]string{"", "localhost", "Flows.Example.com", "-bad.example.com", "bad-.example.com", "a..b.com", "1.2.3.4", "https://x.com", strings.Repeat("a", 64) + ".com"}},
		{"type", ValidateCredentialType,
			[]string{"slack", "openai_api", "s3"},
			[]string{"", "Slack", "1password", "has-dash", strings.Repeat("a", 65)}},
		{"workflow", ValidateWorkflow,
			[]string{"nightly-sync"},
			[]string{"", strings.Repeat("w", 201)}},
	}
	for _, tc := range cases {
		for _, v := range tc.good {
			if got := tc.fn(tc.name, v); got != nil {
				t.Errorf("%s: %q refused: %v", tc.name, v, got)
			}
		}
		for _, v := range tc.bad {
			got := tc.fn(tc.name, v)
			if got == nil {
				t.Errorf("%s: %q accepted", tc.name, v)
				continue
			}
			if got.Field != tc.name || got.Code != CodeInvalidValue || got.Kind != KindInvalid {
				t.Errorf("%s: %q: violation %+v", tc.name, v, got)
			}
		}
	}
}

func TestValidateCredentialDataNeverEchoesValues(t *testing.T) {
	secret := strings.Repeat("s3cr3t", 3000) // longer than MaxDataValueBytes
	v := ValidateCredentialData("data", map[string]string{"token": secret})
	if v == nil {
		t.Fatal("oversized value accepted")
	}
	if strings.Contains(v.Message, "s3cr3t") {
		t.Fatalf("message echoes the secret: %s", v.Message)
	}
	if v := ValidateCredentialData("data", map[string]string{"bad key": "x"}); v == nil {
		t.Error("invalid key accepted")
	}
	if v := ValidateCredentialData("data", nil); v == nil {
		t.Error("empty data accepted")
	}
	if v := ValidateCredentialData("data", map[string]string{"api_key": "k", "region": "eu"}); v != nil {
		t.Errorf("good data refused: %v", v)
	}
}

func TestNormalizeEmail(t *testing.T) {
	if got := NormalizeEmail(" Ada@Example.COM "); got != "ada@example.com" {
		t.Errorf("got %q", got)
	}
}
