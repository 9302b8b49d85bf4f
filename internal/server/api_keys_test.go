package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/store"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// keyAs is a caller authenticated with a Flero API key.
func keyAs(t testing.TB, w *world, k api.APIKey) *as {
	t.Helper()
	if k.Key == "" {
		t.Fatalf("the key's creation holds no secret: %+v", k)
	}
	return &as{t: t, srv: w.srv, token: k.Key, id: k.ID}
}

func mintOrgKey(w *world, by *as, name string, expires *time.Time) api.APIKey {
	return create[api.APIKey](by, "/v1/organizations/"+w.org.ID+"/api-keys", api.CreateAPIKeyRequest{Name: name, ExpiresAt: expires})
}

func mintWSKey(w *world, by *as, wsID, name string, expires *time.Time) api.APIKey {
	return create[api.APIKey](by, "/v1/workspaces/"+wsID+"/api-keys", api.CreateAPIKeyRequest{Name: name, ExpiresAt: expires})
}

// TestAPIKeyReach (rule 14): an organization key acts as an organization admin of its
// organization only, a workspace key as a workspace admin of its workspace only, on
// every route family: organizations, workspaces, teams, memberships, credentials,
// audit and API keys.
func TestAPIKeyReach(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "free")
	orgKey := keyAs(t, w, mintOrgKey(w, w.admin, "org-ci", nil))
	wsKey := keyAs(t, w, mintWSKey(w, w.admin, w.ws.ID, "ws-ci", nil))
	org, ws, other := "/v1/organizations/"+w.org.ID, "/v1/workspaces/"+w.ws.ID, "/v1/workspaces/"+w.other.ID
	foreignOrg, foreignWS := "/v1/organizations/"+w.foreignOrg.ID, "/v1/workspaces/"+w.foreignWS.ID

	// Who am I: the key and where it acts.
	if me := get[api.Me](orgKey, "/v1/me"); me.APIKey == nil || me.APIKey.OrganizationID != w.org.ID || me.APIKey.WorkspaceID != "" || me.PlatformAdmin {
		t.Errorf("organization key's /v1/me: %+v", me)
	}
	if me := get[api.Me](wsKey, "/v1/me"); me.APIKey == nil || me.APIKey.WorkspaceID != w.ws.ID {
		t.Errorf("workspace key's /v1/me: %+v", me)
	}
	acc := get[api.Access](wsKey, "/v1/me/access?organization_id="+w.org.ID+"&workspace_id="+w.ws.ID)
	if acc.OrgRole != "member" || acc.WorkspaceRole != "admin" {
		t.Errorf("workspace key's access in its workspace: %+v", acc)
	}
	acc = get[api.Access](wsKey, "/v1/me/access?organization_id="+w.org.ID+"&workspace_id="+w.other.ID)
	if acc.OrgRole != "member" || acc.WorkspaceRole != "" {
		t.Errorf("workspace key's access in another workspace: %+v", acc)
	}
	acc = get[api.Access](orgKey, "/v1/me/access?organization_id="+w.org.ID+"&workspace_id="+w.other.ID)
	if acc.OrgRole != "admin" {
		t.Errorf("organization key's access: %+v", acc)
	}

	// Organizations.
	for _, k := range []*as{orgKey, wsKey} {
		orgs := collect[api.Organization](k, "/v1/organizations")
		if len(orgs) != 1 || orgs[0].ID != w.org.ID {
			t.Errorf("a key's organizations: %+v", orgs)
		}
		get[api.Organization](k, org)
		k.do("GET", foreignOrg, nil).wantErr(404, api.CodeNotFound)
		e := k.do("POST", "/v1/organizations", api.CreateOrganizationRequest{Name: "by-key-" + k.id}).wantErr(403, api.CodeForbidden)
		if !strings.Contains(e.Message, "API key") {
			t.Errorf("refusal: %s", e.Message)
		}
	}
	desc := "by key"
	orgKey.do("PATCH", org, api.UpdateOrganizationRequest{Description: &desc}).want(200)
	wsKey.do("PATCH", org, api.UpdateOrganizationRequest{Description: &desc}).wantErr(403, api.CodeForbidden)
	orgKey.do("PATCH", foreignOrg, api.UpdateOrganizationRequest{Description: &desc}).wantErr(404, api.CodeNotFound)

	// Workspaces.
	made := create[api.Workspace](orgKey, org+"/workspaces", api.CreateWorkspaceRequest{Name: "by-org-key"})
	wsKey.do("POST", org+"/workspaces", api.CreateWorkspaceRequest{Name: "by-ws-key"}).wantErr(403, api.CodeForbidden)
	orgKey.do("POST", foreignOrg+"/workspaces", api.CreateWorkspaceRequest{Name: "x"}).wantErr(404, api.CodeNotFound)
	get[api.Workspace](orgKey, other)
	get[api.Workspace](wsKey, ws)
	wsKey.do("GET", other, nil).wantErr(404, api.CodeNotFound)
	wsKey.do("GET", "/v1/workspaces/"+made.ID, nil).wantErr(404, api.CodeNotFound)
	orgKey.do("GET", foreignWS, nil).wantErr(404, api.CodeNotFound)
	if l := collect[api.Workspace](wsKey, org+"/workspaces"); len(l) != 1 || l[0].ID != w.ws.ID {
		t.Errorf("the workspace key's workspaces: %+v", l)
	}
	if l := collect[api.Workspace](orgKey, org+"/workspaces"); len(l) != 3 {
		t.Errorf("the organization key's workspaces: %+v", l)
	}
	wsKey.do("PATCH", ws, api.UpdateWorkspaceRequest{Description: &desc}).want(200)
	wsKey.do("PATCH", other, api.UpdateWorkspaceRequest{Description: &desc}).wantErr(404, api.CodeNotFound)
	wsKey.do("DELETE", ws, nil).wantErr(403, api.CodeForbidden)
	orgKey.do("DELETE", "/v1/workspaces/"+made.ID, nil).want(204)

	// Teams.
	team := create[api.Team](orgKey, org+"/teams", api.CreateTeamRequest{Name: "by-org-key"})
	wsKey.do("POST", org+"/teams", api.CreateTeamRequest{Name: "by-ws-key"}).wantErr(403, api.CodeForbidden)
	orgKey.do("POST", foreignOrg+"/teams", api.CreateTeamRequest{Name: "x"}).wantErr(404, api.CodeNotFound)
	create[api.TeamMembership](orgKey, "/v1/teams/"+team.ID+"/memberships", api.CreateTeamMembershipRequest{UserID: w.member.id})
	wsKey.do("DELETE", "/v1/teams/"+team.ID, nil).want403or404(t)

	// Memberships: organization (admins), workspace (its admins).
	outsiderEmail := "joined-by-key-" + slug(t) + "@example.com"
	create[api.OrganizationMembership](orgKey, org+"/memberships", api.CreateOrganizationMembershipRequest{Email: outsiderEmail, Role: "member"})
	wsKey.do("POST", org+"/memberships", api.CreateOrganizationMembershipRequest{Email: "no-" + outsiderEmail, Role: "member"}).want403or404(t)
	wsKey.do("GET", org+"/memberships", nil).want403or404(t)
	get[api.Page[api.OrganizationMembership]](orgKey, org+"/memberships")
	create[api.WorkspaceMembership](wsKey, ws+"/memberships", api.CreateWorkspaceMembershipRequest{UserID: w.member.id, Role: "viewer"})
	wsKey.do("POST", other+"/memberships", api.CreateWorkspaceMembershipRequest{UserID: w.member.id, Role: "viewer"}).wantErr(404, api.CodeNotFound)
	create[api.WorkspaceMembership](orgKey, other+"/memberships", api.CreateWorkspaceMembershipRequest{UserID: w.member.id, Role: "viewer"})
	orgKey.do("POST", foreignWS+"/memberships", api.CreateWorkspaceMembershipRequest{UserID: w.member.id, Role: "viewer"}).wantErr(404, api.CodeNotFound)

	// Credentials.
	cred := create[api.Credential](wsKey, ws+"/credentials", api.CreateCredentialRequest{Name: "by-ws-key", Type: "slack", Data: map[string]string{"k": "v"}})
	if cred.OwnerID != w.admin.id {
		t.Errorf("a key's credential is owned by %q, want the key's creator %q", cred.OwnerID, w.admin.id)
	}
	e := wsKey.do("POST", ws+"/credentials", api.CreateCredentialRequest{Name: "mine", Type: "slack", Scope: "personal", Data: map[string]string{"k": "v"}}).wantErr(403, "credential_forbidden")
	if !strings.Contains(e.Message, "personal credential belongs to a person") {
		t.Errorf("personal credential by a key: %s", e.Message)
	}
	wsKey.do("PATCH", "/v1/credentials/"+cred.ID, map[string]string{"scope": "personal"}).wantErr(403, "credential_forbidden")
	wsKey.do("POST", other+"/credentials", api.CreateCredentialRequest{Name: "x", Type: "slack", Data: map[string]string{"k": "v"}}).wantErr(404, api.CodeNotFound)
	create[api.Credential](orgKey, other+"/credentials", api.CreateCredentialRequest{Name: "by-org-key", Type: "slack", Data: map[string]string{"k": "v"}})
	get[api.Credential](wsKey, "/v1/credentials/"+w.shared.ID)
	wsKey.do("GET", "/v1/credentials/"+w.foreignCred.ID, nil).wantErr(404, api.CodeNotFound)
	orgKey.do("GET", "/v1/credentials/"+w.foreignCred.ID, nil).wantErr(404, api.CodeNotFound)

	// Audit: organization admins only; the key is the actor.
	events := collect[api.AuditEvent](orgKey, org+"/audit-events?entity_type=credential")
	byKey := false
	for _, e := range events {
		byKey = byKey || (e.EntityID == cred.ID && e.ActorID == wsKey.id)
	}
	if !byKey {
		t.Errorf("no audit event of the credential with the workspace key as its actor: %+v", events)
	}
	wsKey.do("GET", org+"/audit-events", nil).wantErr(403, api.CodeForbidden)
	orgKey.do("GET", foreignOrg+"/audit-events", nil).wantErr(404, api.CodeNotFound)

	// API keys: an organization key manages the organization's and its workspaces'
	// keys; a workspace key only its workspace's.
	if l := collect[api.APIKey](orgKey, org+"/api-keys"); len(l) != 1 || l[0].Key != "" {
		t.Errorf("the organization's keys: %+v", l)
	}
	wsKey.do("GET", org+"/api-keys", nil).wantErr(403, api.CodeForbidden)
	wsKey.do("POST", org+"/api-keys", api.CreateAPIKeyRequest{Name: "x"}).wantErr(403, api.CodeForbidden)
	sub := mintWSKey(w, wsKey, w.ws.ID, "minted-by-ws-key", nil)
	if sub.CreatedBy != w.admin.id {
		t.Errorf("a key minted by a key is created by %q, want the user behind it %q", sub.CreatedBy, w.admin.id)
	}
	wsKey.do("POST", other+"/api-keys", api.CreateAPIKeyRequest{Name: "x"}).wantErr(404, api.CodeNotFound)
	wsKey.do("GET", other+"/api-keys", nil).wantErr(404, api.CodeNotFound)
	otherKey := mintWSKey(w, orgKey, w.other.ID, "other-ws", nil)
	wsKey.do("GET", "/v1/api-keys/"+otherKey.ID, nil).wantErr(404, api.CodeNotFound)
	wsKey.do("DELETE", "/v1/api-keys/"+otherKey.ID, nil).wantErr(404, api.CodeNotFound)
	wsKey.do("GET", "/v1/api-keys/"+orgKey.id, nil).wantErr(404, api.CodeNotFound)
	if l := collect[api.APIKey](wsKey, ws+"/api-keys"); len(l) != 2 {
		t.Errorf("the workspace's keys: %+v", l)
	}
	orgKey.do("DELETE", "/v1/api-keys/"+sub.ID, nil).want(204)
	orgKey.do("GET", foreignOrg+"/api-keys", nil).wantErr(404, api.CodeNotFound)

	// Users' tokens and the platform's users are not a key's.
	orgKey.do("POST", "/v1/admin/users", api.CreateUserRequest{Email: "x@example.com"}).wantErr(403, api.CodeForbidden)
}

// want403or404 accepts a refusal that is either: the object is not visible, or the
// caller may not change it.
func (r res) want403or404(t testing.TB) {
	t.Helper()
	if r.status != http.StatusForbidden && r.status != http.StatusNotFound {
		t.Fatalf("%s: status %d, want 403 or 404; body %s", r.what, r.status, r.body)
	}
}

// TestAPIKeyManagers: keys are created, listed, read and revoked by the admins of
// where they live (organization admins; for a workspace key, also that workspace's
// admins and owners); others get 403 (where they see the place) or 404.
func TestAPIKeyManagers(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "free")
	orgKey := mintOrgKey(w, w.orgAdmin, "by-org-admin", nil)
	if orgKey.CreatedBy != w.orgAdmin.id || orgKey.OrganizationID != w.org.ID || orgKey.WorkspaceID != "" || orgKey.CreatedAt.IsZero() {
		t.Errorf("organization key: %+v", orgKey)
	}
	wsKey := mintWSKey(w, w.wsAdmin, w.ws.ID, "by-ws-admin", nil)
	mintWSKey(w, w.owner, w.ws.ID, "by-ws-owner", nil)
	w.wsAdmin.do("POST", "/v1/organizations/"+w.org.ID+"/api-keys", api.CreateAPIKeyRequest{Name: "x"}).wantErr(403, api.CodeForbidden)
	w.editor.do("POST", "/v1/workspaces/"+w.ws.ID+"/api-keys", api.CreateAPIKeyRequest{Name: "x"}).wantErr(403, api.CodeForbidden)
	w.member.do("POST", "/v1/workspaces/"+w.ws.ID+"/api-keys", api.CreateAPIKeyRequest{Name: "x"}).wantErr(404, api.CodeNotFound)
	w.outsider.do("POST", "/v1/organizations/"+w.org.ID+"/api-keys", api.CreateAPIKeyRequest{Name: "x"}).wantErr(404, api.CodeNotFound)
	w.editor.do("GET", "/v1/api-keys/"+wsKey.ID, nil).wantErr(404, api.CodeNotFound)
	w.wsAdmin.do("GET", "/v1/api-keys/"+orgKey.ID, nil).wantErr(404, api.CodeNotFound)
	w.editor.do("DELETE", "/v1/api-keys/"+wsKey.ID, nil).wantErr(404, api.CodeNotFound)
	got := get[api.APIKey](w.owner, "/v1/api-keys/"+wsKey.ID)
	if got.Key != "" || got.Name != "by-ws-admin" || got.RevokedAt != nil {
		t.Errorf("read: %+v", got)
	}
	w.owner.do("DELETE", "/v1/api-keys/"+wsKey.ID, nil).want(204)
	got = get[api.APIKey](w.orgAdmin, "/v1/api-keys/"+wsKey.ID)
	if got.RevokedAt == nil {
		t.Errorf("a revoked key reads without revoked_at: %+v", got)
	}
	w.owner.do("DELETE", "/v1/api-keys/"+wsKey.ID, nil).wantErr(404, api.CodeNotFound)
	w.orgAdmin.do("PATCH", "/v1/api-keys/"+wsKey.ID, map[string]string{"name": "again"}).wantErr(409, api.CodeConflict)
}

// TestAPIKeyRevocationExpiryAndLastUse: a revoked or expired key is a 401 at once,
// although the server caches the keys it has seen; a renewal (a new expiry) applies at
// once too; a use is listed as the key's last use.
func TestAPIKeyRevocationExpiryAndLastUse(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "free")
	k := mintWSKey(w, w.admin, w.ws.ID, "ci", nil)
	kAs := keyAs(t, w, k)
	get[api.Me](kAs, "/v1/me") // used, and cached
	get[api.Workspace](kAs, "/v1/workspaces/"+w.ws.ID)
	l := collect[api.APIKey](w.admin, "/v1/workspaces/"+w.ws.ID+"/api-keys")
	if len(l) != 1 || l[0].LastUsedAt == nil || l[0].Key != "" {
		t.Fatalf("listed: %+v", l)
	}
	// A write stores the use.
	spare := keyAs(t, w, mintWSKey(w, w.admin, w.ws.ID, "spare", nil))
	get[api.Me](spare, "/v1/me")
	desc := "x"
	spare.do("PATCH", "/v1/workspaces/"+w.ws.ID, api.UpdateWorkspaceRequest{Description: &desc}).want(200)

	w.admin.do("DELETE", "/v1/api-keys/"+k.ID, nil).want(204)
	e := kAs.do("GET", "/v1/me", nil).wantErr(401, api.CodeUnauthorized)
	if strings.Contains(e.Message, k.Key) {
		t.Errorf("the refusal holds the key")
	}
	kAs.do("GET", "/v1/workspaces/"+w.ws.ID, nil).wantErr(401, api.CodeUnauthorized)
	get[api.Me](spare, "/v1/me") // the others still work
	l = collect[api.APIKey](w.admin, "/v1/workspaces/"+w.ws.ID+"/api-keys")
	revoked := false
	for _, x := range l {
		revoked = revoked || (x.ID == k.ID && x.RevokedAt != nil)
	}
	if !revoked {
		t.Errorf("the revoked key is not listed as revoked: %+v", l)
	}

	// Expired: accepted (and cached) before its expiry, refused once it has passed.
	soon := time.Now().Add(1500 * time.Millisecond)
	short := mintOrgKey(w, w.admin, "short", &soon)
	shortAs := keyAs(t, w, short)
	if r := shortAs.do("GET", "/v1/me", nil); time.Now().Before(soon) && r.status != 200 {
		t.Fatalf("a key before its expiry: %d %s", r.status, r.body)
	}
	time.Sleep(time.Until(soon) + 10*time.Millisecond)
	e = shortAs.do("GET", "/v1/me", nil).wantErr(401, api.CodeUnauthorized)
	if !strings.Contains(e.Message, "expired") {
		t.Errorf("the refusal does not say the key expired: %s", e.Message)
	}

	// A renewal moves the expiry, at once although the key is cached; a past expiry is
	// refused on its field.
	soon = time.Now().Add(time.Hour)
	renewed := mintOrgKey(w, w.admin, "renewed", &soon)
	rAs := keyAs(t, w, renewed)
	get[api.Me](rAs, "/v1/me")
	past := time.Now().Add(-time.Minute)
	ev := w.admin.do("PATCH", "/v1/api-keys/"+renewed.ID, api.UpdateAPIKeyRequest{ExpiresAt: &past}).wantErr(422, api.CodeValidation)
	if len(ev.Fields) != 1 || ev.Fields[0].Path != "expires_at" {
		t.Errorf("fields: %+v", ev.Fields)
	}
	later := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	var upd api.APIKey
	rAs.do("PATCH", "/v1/api-keys/"+renewed.ID, api.UpdateAPIKeyRequest{ExpiresAt: &later}).want(200).into(&upd)
	if upd.ExpiresAt == nil || !upd.ExpiresAt.Equal(later) {
		t.Errorf("renewed: %+v", upd)
	}
	get[api.Me](rAs, "/v1/me")
}

// TestAPIKeyHashedAtRest: the key is in the answer to its creation only; the database
// files hold its hash, never the key; a replay of the creation holds no secret.
func TestAPIKeyHashedAtRest(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "free")
	path := "/v1/organizations/" + w.org.ID + "/api-keys"
	var k api.APIKey
	w.admin.do("POST", path, api.CreateAPIKeyRequest{Name: "at-rest"}, "Idempotency-Key", "k-1").want(201).into(&k)
	if k.Key == "" || k.AlreadyIssued {
		t.Fatalf("created: %+v", k)
	}
	get[api.Me](keyAs(t, w, k), "/v1/me")
	r := w.admin.do("POST", path, api.CreateAPIKeyRequest{Name: "at-rest"}, "Idempotency-Key", "k-1").want(200)
	var again api.APIKey
	r.into(&again)
	if bytes.Contains(r.body, []byte(k.Key)) || again.ID != k.ID || !again.AlreadyIssued {
		t.Fatalf("replay: %s", r.body)
	}
	for _, p := range []string{"/v1/organizations/" + w.org.ID + "/api-keys", "/v1/api-keys/" + k.ID} {
		if b := w.admin.do("GET", p, nil).want(200).body; bytes.Contains(b, []byte(k.Key)) {
			t.Errorf("%s holds the key: %s", p, b)
		}
	}
	sum := sha256.Sum256([]byte(k.Key))
	hash := []byte(hex.EncodeToString(sum[:]))
	if store.EngineOf(srv.DBPath) == store.Postgres {
		// No files to scan: the key is found by its hash (what the table holds).
		db, err := store.Open(srv.DBPath, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Read(context.Background(), func(tx *store.Tx) error {
			got, err := tx.APIKeyByHash(string(hash))
			if err == nil && got.ID != k.ID {
				t.Errorf("the hash finds key %s, want %s", got.ID, k.ID)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return
	}
	var all []byte
	for _, f := range []string{srv.DBPath, srv.DBPath + "-wal", srv.DBPath + "-shm"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	if len(all) == 0 {
		t.Fatal("the database files are empty")
	}
	if bytes.Contains(all, []byte(k.Key)) || bytes.Contains(all, []byte(strings.TrimPrefix(k.Key, "flr_"))) {
		t.Fatalf("the key is in the database files")
	}
	if !bytes.Contains(all, hash) {
		t.Fatalf("the key's hash is not in the database files: the test reads the wrong files")
	}
}

// TestAPIKeyScopeRefused: a key has no scope; a creation that sets one is refused with
// the reason, on the field.
func TestAPIKeyScopeRefused(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "enterprise")
	for _, p := range []string{"/v1/organizations/" + w.org.ID + "/api-keys", "/v1/workspaces/" + w.ws.ID + "/api-keys"} {
		for _, body := range []string{`{"name":"k","scope":"organization"}`, `{"scope":"workspace","name":"k"}`, `{"name":"k","Scope":"personal"}`} {
			e := w.admin.do("POST", p, body).wantErr(422, api.CodeValidation)
			if !strings.Contains(e.Message, "no scope") || len(e.Fields) != 1 || !strings.EqualFold(e.Fields[0].Path, "scope") {
				t.Errorf("%s %s: %+v", p, body, e)
			}
		}
	}
	if l := collect[api.APIKey](w.admin, "/v1/organizations/"+w.org.ID+"/api-keys"); len(l) != 0 {
		t.Errorf("a refused key was made: %+v", l)
	}
	w.admin.do("POST", "/v1/organizations/"+w.org.ID+"/api-keys", `{"name":""}`).wantErr(422, api.CodeValidation)
	k := mintOrgKey(w, w.admin, "k", nil)
	e := w.admin.do("PATCH", "/v1/api-keys/"+k.ID, `{"scope":"workspace"}`).wantErr(422, api.CodeValidation)
	if !strings.Contains(e.Message, "no scope") {
		t.Errorf("PATCH with a scope: %+v", e)
	}
}

// TestAPIKeyGoneWithItsPlace: a workspace's keys go with the workspace, at once,
// although the server caches the keys it has seen.
func TestAPIKeyGoneWithItsPlace(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "free")
	ws := create[api.Workspace](w.admin, "/v1/organizations/"+w.org.ID+"/workspaces", api.CreateWorkspaceRequest{Name: "short-lived"})
	k := keyAs(t, w, mintWSKey(w, w.admin, ws.ID, "ci", nil))
	get[api.Organization](k, "/v1/organizations/"+w.org.ID) // used, and cached
	w.admin.do("DELETE", "/v1/workspaces/"+ws.ID, nil).want(204)
	k.do("GET", "/v1/organizations/"+w.org.ID, nil).wantErr(401, api.CodeUnauthorized)
}
