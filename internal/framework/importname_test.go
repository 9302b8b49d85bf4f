package framework

import (
	"strings"
	"testing"
)

func TestImportForms_Split(t *testing.T) {
	forms := ImportForms{{Format: "<organization>/<workspace_name>", Example: "acme/payments"}, {Format: "<workspace_id>", Example: "ws_1"}}
	cases := []struct {
		id      string
		want    []string
		wantErr string
	}{
		{id: "acme/payments", want: []string{"acme", "payments"}},
		{id: "acme%2Feu/pay%2Fments", want: []string{"acme/eu", "pay/ments"}},
		{id: "acme/alice+ops@example.com", want: []string{"acme", "alice+ops@example.com"}},
		{id: "acme/alice%2Bops@example.com", want: []string{"acme", "alice+ops@example.com"}},
		{id: "acme/100%25", want: []string{"acme", "100%"}},
		{id: "acme/100%", wantErr: `part 2 ("100%") is not valid percent-encoding`},
		{id: "acme//x", wantErr: "part 2 is empty"},
		{id: "acme/%20", wantErr: "part 2 is empty"},
		{id: "", wantErr: "it is empty"},
	}
	for _, tc := range cases {
		segs, err := forms.Split("workspace", tc.id)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: want an error saying %q, got %v", tc.id, tc.wantErr, err)
				continue
			}
			for _, f := range forms {
				if !strings.Contains(err.Error(), f.Format) || !strings.Contains(err.Error(), f.Example) {
					t.Errorf("%q: the error does not show the form %s with its example %s:\n%s", tc.id, f.Format, f.Example, err)
				}
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.id, err)
			continue
		}
		var got []string
		for _, s := range segs {
			got = append(got, s.Value)
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%q: got %q, want %q", tc.id, got, tc.want)
		}
	}
}

func TestEscapeImportSegment_roundTrips(t *testing.T) {
	forms := ImportForms{{Format: "<a>/<b>", Example: "x/y"}}
	for _, name := range []string{"plain", "pay/ments", "100%", "%2F literally", "a+b", "a/b%c/d", "ünïcode/名前"} {
		segs, err := forms.Split("x", "org/"+EscapeImportSegment(name))
		if err != nil || len(segs) != 2 || segs[1].Value != name {
			t.Errorf("%q escaped as %q reads back as %+v, %v", name, EscapeImportSegment(name), segs, err)
		}
	}
}

func TestLooksLikeID(t *testing.T) {
	for s, want := range map[string]bool{"org_0a1b": true, "org_": false, "acme": false, "org_a b": false, "ws_1": false, "organization": false} {
		if got := LooksLikeID("org", s); got != want {
			t.Errorf("LooksLikeID(org, %q) = %v, want %v", s, got, want)
		}
	}
}
