package rules

import (
	"strings"
	"testing"
)

func TestCheckNameFree(t *testing.T) {
	for _, k := range []NameKind{NameOrganization, NameWorkspace, NameTeam, NameCredential, NameCustomDomain} {
		if v := CheckNameFree(k, "prod", false); v != nil {
			t.Errorf("%s: a free value refused: %v", k, v)
		}
		v := CheckNameFree(k, "prod", true)
		if v == nil || v.Kind != KindConflict || v.Code != CodeNameTaken || v.Field != k.Field() {
			t.Fatalf("%s: a taken value: got %+v", k, v)
		}
		if want := k.Words() + ` "prod" is already taken.`; v.Message != want {
			t.Errorf("%s: message %q, want %q", k, v.Message, want)
		}
	}
}

func TestNameKindWhere(t *testing.T) {
	cases := map[NameKind][2]string{
		NameOrganization: {"platform", "name"},
		NameWorkspace:    {"organization", "name"},
		NameTeam:         {"organization", "name"},
		NameCredential:   {"workspace", "name"},
		NameCustomDomain: {"platform", "custom_domain"},
	}
	for k, want := range cases {
		if got := [2]string{k.UniqueIn(), k.Field()}; got != want {
			t.Errorf("%s: unique in %q on %q, want %v", k, got[0], got[1], want)
		}
	}
	if !SameName("prod", "prod") || SameName("prod", "Prod") || SameName("prod", "prod ") {
		t.Error("names compare exactly")
	}
}

func TestImportHint(t *testing.T) {
	h := ImportHint("flero_workspace", "ws_0123456789abcdef01234567")
	for _, want := range []string{
		"terraform import flero_workspace.<name> ws_0123456789abcdef01234567",
		"to = flero_workspace.<name>",
		`id = "ws_0123456789abcdef01234567"`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("hint lacks %q:\n%s", want, h)
		}
	}
}
