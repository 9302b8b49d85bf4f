package framework

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseImportID(t *testing.T) {
	cases := []struct {
		id, format string
		want       []string
		wantErr    bool
	}{
		{"org_1/alice@example.com", "<organization_id>/<email>", []string{"org_1", "alice@example.com"}, false},
		{"team_1/usr_2", "<team_id>/<user_id>", []string{"team_1", "usr_2"}, false},
		{"ws_1/user/usr_2", "<workspace_id>/<user|team>/<id>", []string{"ws_1", "user", "usr_2"}, false},
		// The last part keeps further slashes (an email may hold one).
		{"org_1/a/b@example.com", "<organization_id>/<email>", []string{"org_1", "a/b@example.com"}, false},
		{"org_1", "<organization_id>/<email>", nil, true},
		{"org_1/", "<organization_id>/<email>", nil, true},
		{"/alice@example.com", "<organization_id>/<email>", nil, true},
		{"ws_1/user", "<workspace_id>/<user|team>/<id>", nil, true},
		{"ws_1/ /usr_2", "<workspace_id>/<user|team>/<id>", nil, true},
		{"", "<id>", nil, true},
		{"x", "<id>", []string{"x"}, false},
	}
	for _, tc := range cases {
		got, err := ParseImportID(tc.id, tc.format)
		if tc.wantErr {
			if err == nil {
				t.Errorf("ParseImportID(%q, %q) = %q, want an error", tc.id, tc.format, got)
			} else if !strings.Contains(err.Error(), tc.format) {
				t.Errorf("error %q does not repeat the format %q", err, tc.format)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseImportID(%q, %q) = %q, %v; want %q", tc.id, tc.format, got, err, tc.want)
		}
	}
}
