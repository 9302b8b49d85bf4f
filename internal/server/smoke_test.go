package server_test

import (
	"net/http"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

func TestSmoke(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "free")
	me := get[api.Me](w.admin, "/v1/me")
	if !me.PlatformAdmin || me.ID != srv.AdminUserID {
		t.Fatalf("me: %+v", me)
	}
	got := get[api.Credential](w.viewer, "/v1/credentials/"+w.shared.ID)
	if got.Name != "slack" || got.Scope != "workspace" || got.OwnerID != srv.AdminUserID {
		t.Fatalf("credential: %+v", got)
	}
	w.viewer.do("GET", "/v1/credentials/"+w.personal.ID, nil).wantErr(http.StatusNotFound, api.CodeNotFound)
	w.outsider.do("GET", "/v1/workspaces/"+w.ws.ID, nil).wantErr(http.StatusNotFound, api.CodeNotFound)
	acc := get[api.Access](w.editor, "/v1/me/access?organization_id="+w.org.ID+"&workspace_id="+w.ws.ID)
	if acc.OrgRole != "member" || acc.WorkspaceRole != "editor" || !acc.InAnyWorkspace {
		t.Fatalf("access: %+v", acc)
	}
	if n := srv.Requests("GET", "/v1/credentials/{credential_id}"); n != 2 {
		t.Fatalf("counter: %d", n)
	}
	srv.Restart(t)
	get[api.Credential](w.viewer, "/v1/credentials/"+w.shared.ID)
}
