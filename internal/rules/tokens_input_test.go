package rules

import (
	"strings"
	"testing"
	"time"
)

func TestValidateTokenSecret(t *testing.T) {
	for _, c := range []struct {
		v  string
		ok bool
	}{
		{strings.Repeat("a", 31), false},
		{strings.Repeat("a", 32), true},
		{"flr_" + strings.Repeat("0123456789", 4), true},
		{strings.Repeat("a", 31) + " b", false},
		{strings.Repeat("é", 20), false},
	} {
		v := ValidateTokenSecret("--token", c.v)
		if (v == nil) != c.ok {
			t.Errorf("ValidateTokenSecret(%d chars) = %v, want ok %v", len(c.v), v, c.ok)
		}
		if v != nil && strings.Contains(v.Message, c.v) {
			t.Errorf("the refusal echoes the token: %s", v.Message)
		}
	}
}

func TestTokenExpiry(t *testing.T) {
	now := time.Unix(1000, 0)
	if TokenExpired(time.Time{}, now) || TokenExpired(now.Add(time.Second), now) || !TokenExpired(now, now) || !TokenExpired(now.Add(-time.Second), now) {
		t.Error("TokenExpired: never, before, at and after the expiry")
	}
	past, future := now.Add(-time.Minute), now.Add(time.Minute)
	if ValidateTokenExpiry("expires_at", &past, now) == nil || ValidateTokenExpiry("expires_at", &future, now) != nil || ValidateTokenExpiry("expires_at", nil, now) != nil {
		t.Error("ValidateTokenExpiry: only a future expiry (or none) is accepted")
	}
	if !CanManageToken("usr_a", false, "usr_a") || CanManageToken("usr_a", false, "usr_b") || !CanManageToken("usr_a", true, "usr_b") || CanManageToken("", false, "") {
		t.Error("CanManageToken: the token's user, or a platform admin")
	}
}

func TestNamesAndFreeText(t *testing.T) {
	if !SameName("Caf\u00e9", "Cafe\u0301") || SameName("Cafe", "Caf\u00e9") || SameName("a", "A") {
		t.Error("SameName compares after NFC, and only that")
	}
	for _, c := range []struct {
		v  string
		ok bool
	}{
		{"line one\nline two\ttab\r\n", true},
		{"bell\a", false},
		{"nul\x00", false},
		{"c1\u0085", false},
		{"del\x7f", false},
	} {
		if got := ValidateDescription("description", c.v) == nil; got != c.ok {
			t.Errorf("ValidateDescription(%q) ok = %v, want %v", c.v, got, c.ok)
		}
	}
	for _, c := range []struct {
		v  string
		ok bool
	}{
		{"nightly-sync", true},
		{"night\nly", false},
		{"tab\t", false},
		{"bad\xff", false},
		{"", false},
		{strings.Repeat("w", MaxWorkflowLength+1), false},
	} {
		if got := ValidateWorkflow("workflow", c.v) == nil; got != c.ok {
			t.Errorf("ValidateWorkflow(%q) ok = %v, want %v", c.v, got, c.ok)
		}
	}
}
