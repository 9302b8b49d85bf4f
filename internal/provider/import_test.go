package provider

import "testing"

func TestParseWorkspaceMembershipID(t *testing.T) {
	cases := []struct {
		id                 string
		ws, typ, principal string
		wantErr            bool
	}{
		{id: "ws_1/user/usr_2", ws: "ws_1", typ: "user", principal: "usr_2"},
		{id: "ws_1/team/team_3", ws: "ws_1", typ: "team", principal: "team_3"},
		{id: "ws_1/group/g_1", wantErr: true},
		{id: "ws_1/User/usr_2", wantErr: true},
		{id: "ws_1/usr_2", wantErr: true},
		{id: "ws_1/user/", wantErr: true},
	}
	for _, tc := range cases {
		ws, typ, principal, err := parseWorkspaceMembershipID(tc.id)
		if tc.wantErr {
			if err == nil {
				t.Errorf("%q: want an error, got %s %s %s", tc.id, ws, typ, principal)
			}
			continue
		}
		if err != nil || ws != tc.ws || typ != tc.typ || principal != tc.principal {
			t.Errorf("%q: got %q %q %q %v", tc.id, ws, typ, principal, err)
		}
	}
}
