package server_test

import (
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// TestCredentialUseCannotBeForged is rule 12: a use is recorded only for a workspace in
// which the caller has a role and where the credential is visible, so the usage the
// scope review reads holds only real uses.
func TestCredentialUseCannotBeForged(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "enterprise")
	w.admin.do("PATCH", "/v1/credentials/"+w.shared.ID, map[string]string{"scope": "organization"}).want(200)
	uses := "/v1/credentials/" + w.shared.ID + "/uses"
	use := func(a *as, wsID string) res {
		return a.do("POST", uses, api.RecordUseRequest{Workflow: "nightly", WorkspaceID: wsID})
	}

	// The viewer of w.ws sees the organization-scoped credential, but has no role in
	// w.other: a use there would be a forgery.
	for _, wsID := range []string{w.other.ID, w.foreignWS.ID, "ws_000000000000000000000000"} {
		e := use(w.viewer, wsID).wantErr(403, rules.CodeCredentialForbidden)
		if len(e.Fields) != 1 || e.Fields[0].Path != "workspace_id" {
			t.Errorf("use in %s: the refusal should name workspace_id: %+v", wsID, e.Fields)
		}
	}
	// A personal credential is its owner's alone: another member of its workspace
	// does not see it.
	w.viewer.do("POST", "/v1/credentials/"+w.personal.ID+"/uses", api.RecordUseRequest{Workflow: "x", WorkspaceID: w.ws.ID}).wantErr(404, api.CodeNotFound)

	// Real uses: the viewer in its workspace, the organization admin anywhere (it acts
	// as a workspace admin in every workspace), a member of w.other there.
	use(w.viewer, w.ws.ID).want(204)
	use(w.orgAdmin, w.other.ID).want(204)
	w.admin.do("POST", "/v1/workspaces/"+w.other.ID+"/memberships", api.CreateWorkspaceMembershipRequest{UserID: w.member.id, Role: "viewer"}).want(201)
	use(w.member, w.other.ID).want(204)

	// Narrowed to workspace scope, it is usable in its home workspace only.
	w.admin.do("PATCH", "/v1/credentials/"+w.shared.ID, map[string]string{"scope": "workspace"}).want(200)
	use(w.orgAdmin, w.other.ID).wantErr(422, api.CodeValidation)

	var usage api.CredentialUsageList
	w.admin.do("GET", "/v1/credentials/"+w.shared.ID+"/usage", nil).want(200).into(&usage)
	total := 0
	for _, u := range usage.Items {
		total += u.Uses
	}
	if total != 3 {
		t.Errorf("usage holds %d uses, want the 3 real ones: %+v", total, usage.Items)
	}
}
