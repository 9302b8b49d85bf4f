package provider

import (
	"strings"
	"testing"
)

func TestParseWorkspaceMembershipRef(t *testing.T) {
	cases := []struct {
		id        string
		workspace []string
		typ       string
		principal string
		byID      bool
		wantErr   string
	}{
		{id: "ws_1/user/usr_2", workspace: []string{"ws_1"}, typ: "user", principal: "usr_2", byID: true},
		{id: "ws_1/team/team_3", workspace: []string{"ws_1"}, typ: "team", principal: "team_3", byID: true},
		{id: "ws_1/alice@example.com", workspace: []string{"ws_1"}, typ: "user", principal: "alice@example.com"},
		{id: "acme/payments/alice@example.com", workspace: []string{"acme", "payments"}, typ: "user", principal: "alice@example.com"},
		{id: "acme/payments/alice+ops@example.com", workspace: []string{"acme", "payments"}, typ: "user", principal: "alice+ops@example.com"},
		{id: "acme/payments/alice%2Bops@example.com", workspace: []string{"acme", "payments"}, typ: "user", principal: "alice+ops@example.com"},
		{id: "acme/payments/team/sre", workspace: []string{"acme", "payments"}, typ: "team", principal: "sre"},
		{id: "acme/pay%2Fments/team/sre%2Fon-call", workspace: []string{"acme", "pay/ments"}, typ: "team", principal: "sre/on-call"},
		{id: "acme/payments/user/usr_2", workspace: []string{"acme", "payments"}, typ: "user", principal: "usr_2"},
		{id: "ws_1/team/sre", workspace: []string{"ws_1"}, typ: "team", principal: "sre"},
		// A workspace named "team", written so that it is not read as the keyword.
		{id: "acme/%74eam/alice@example.com", workspace: []string{"acme", "team"}, typ: "user", principal: "alice@example.com"},
		{id: "ws_1/group/g_1", wantErr: "names no user"},
		{id: "ws_1/usr_2", wantErr: "names no user"},
		{id: "ws_1/user/", wantErr: "part 3 is empty"},
		{id: "a/b/c/alice@example.com", wantErr: "3 parts before the member"},
		{id: "acme/payments/100%/alice@example.com", wantErr: "not valid percent-encoding"},
	}
	for _, tc := range cases {
		ref, err := parseWorkspaceMembershipRef(tc.id)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: want an error saying %q, got %v", tc.id, tc.wantErr, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.id, err)
			continue
		}
		var ws []string
		for _, s := range ref.workspace {
			ws = append(ws, s.Value)
		}
		if strings.Join(ws, "|") != strings.Join(tc.workspace, "|") || ref.principalType != tc.typ || ref.principal.Value != tc.principal || ref.byID() != tc.byID {
			t.Errorf("%q: got workspace %q %s %q byID=%v", tc.id, ws, ref.principalType, ref.principal.Value, ref.byID())
		}
	}
}
