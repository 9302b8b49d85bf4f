package provider_test

import (
	"context"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	fleroprovider "github.com/flero/terraform-provider-flero/internal/provider"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// Server and provider agree on each rule of point 1 of issue 14 (one rule, one place):
// for the same input, the reference server's answer (a real server over HTTP) and the
// provider's plan (ModifyPlan over a run cache reading the same server, or the rules
// function the provider's review calls) are both compared with one pinned verdict. A
// rule decided differently on either side fails here. No terraform binary is needed.

// agreement is a server with an organization (on plan) and its workspace home, read by
// clients of several users.
type agreement struct {
	srv   *testserver.Server
	admin *client.Client
	org   *api.Organization
	home  *api.Workspace
}

func newAgreement(t *testing.T, plan string) *agreement {
	t.Helper()
	srv := testserver.Start(t)
	a := &agreement{srv: srv, admin: agreementClient(t, srv, srv.AdminToken)}
	ctx := context.Background()
	var err error
	if a.org, err = a.admin.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "acme", Plan: plan}); err != nil {
		t.Fatal(err)
	}
	if a.home, err = a.admin.Workspaces.Create(ctx, a.org.ID, api.CreateWorkspaceRequest{Name: "home"}); err != nil {
		t.Fatal(err)
	}
	return a
}

func agreementClient(t *testing.T, srv *testserver.Server, token string) *client.Client {
	t.Helper()
	c, err := client.New(client.Config{Endpoint: srv.URL, Token: token, UserAgent: "flero-agreement-test", RetryMax: 1,
		RetryWaitMin: 10 * time.Millisecond, RetryWaitMax: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// member makes a user an organization member with role in each of workspaces ("": none).
func (a *agreement) member(t *testing.T, email, role string, workspaces ...*api.Workspace) (userID string, c *client.Client) {
	t.Helper()
	ctx := context.Background()
	userID, token := a.srv.CreateUser(t, email)
	if _, err := a.admin.OrganizationMemberships.Create(ctx, a.org.ID, api.CreateOrganizationMembershipRequest{Email: email, Role: "member"}); err != nil {
		t.Fatal(err)
	}
	for _, ws := range workspaces {
		if _, err := a.admin.WorkspaceMemberships.Create(ctx, ws.ID, api.CreateWorkspaceMembershipRequest{UserID: userID, Role: role}); err != nil {
			t.Fatal(err)
		}
	}
	return userID, agreementClient(t, a.srv, token)
}

func num(n int64) tftypes.Value { return tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(n)) }

func stringMap(k, v string) tftypes.Value {
	return tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{k: str(v)})
}

// planErrors runs the resource's ModifyPlan as c and returns the errors' texts.
func planErrors(t *testing.T, c *client.Client, r fwresource.Resource, state, plan map[string]tftypes.Value) []string {
	t.Helper()
	var out []string
	for _, d := range modifyPlanWith(t, r, &framework.ProviderData{Client: c, Run: planrun.New(c)}, state, plan, nil) {
		if d.Severity() == diag.SeverityError && d.Summary() != "Uninitialized ProviderData" {
			out = append(out, d.Summary()+": "+d.Detail())
		}
	}
	return out
}

// TestRuleAgreement_credentialUpdateClassification: an update of a credential is an
// edit, a rotation or a re-scope (rules.ClassifyCredentialUpdate) for the server and
// for the plan alike. A workspace editor may do none of them (rule 5), so each refusal
// names the action the update was classified as: the server names the first one it
// checks, the plan every one.
func TestRuleAgreement_credentialUpdateClassification(t *testing.T) {
	a := newAgreement(t, "free")
	ctx := context.Background()
	cred, err := a.admin.Credentials.Create(ctx, a.home.ID, api.CreateCredentialRequest{Name: "slack", Type: "api_key", Scope: "workspace", Data: map[string]string{"k": "v1"}})
	if err != nil {
		t.Fatal(err)
	}
	_, editor := a.member(t, "editor@example.com", "editor", a.home)
	state := map[string]tftypes.Value{
		"id": str(cred.ID), "workspace_id": str(a.home.ID), "organization_id": str(a.org.ID), "name": str("slack"),
		"type": str("api_key"), "description": str(""), "scope": str("workspace"), "data_wo_version": num(1),
		"owner_id": str(cred.OwnerID), "status": str("active"),
	}
	with := func(kv ...any) map[string]tftypes.Value {
		out := map[string]tftypes.Value{}
		for k, v := range state {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i].(string)] = kv[i+1].(tftypes.Value)
		}
		return out
	}
	name, desc, scope := "renamed", "about", "personal"
	for _, c := range []struct {
		name   string
		req    api.UpdateCredentialRequest
		plan   map[string]tftypes.Value
		update rules.CredentialUpdate
		want   []string // the actions refused, in the order the server checks them
	}{
		{"name", api.UpdateCredentialRequest{Name: &name}, with("name", str(name)),
			rules.CredentialUpdate{Profile: true}, []string{"edit"}},
		{"description", api.UpdateCredentialRequest{Description: &desc}, with("description", str(desc)),
			rules.CredentialUpdate{Profile: true}, []string{"edit"}},
		{"secret", api.UpdateCredentialRequest{Data: map[string]string{"k": "v2"}}, with("data_wo", stringMap("k", "v2"), "data_wo_version", num(2)),
			rules.CredentialUpdate{Data: true}, []string{"rotate"}},
		{"scope", api.UpdateCredentialRequest{Scope: &scope}, with("scope", str(scope)),
			rules.CredentialUpdate{Scope: true}, []string{"re-scope"}},
		{"name and secret", api.UpdateCredentialRequest{Name: &name, Data: map[string]string{"k": "v2"}},
			with("name", str(name), "data_wo", stringMap("k", "v2"), "data_wo_version", num(2)),
			rules.CredentialUpdate{Profile: true, Data: true}, []string{"edit", "rotate"}},
		{"description and scope", api.UpdateCredentialRequest{Description: &desc, Scope: &scope},
			with("description", str(desc), "scope", str(scope)),
			rules.CredentialUpdate{Profile: true, Scope: true}, []string{"edit", "re-scope"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			// The pinned verdict is the rules' classification.
			u := rules.ClassifyCredentialUpdate(c.update)
			var classified []string
			for _, x := range []struct {
				on   bool
				word string
			}{{u.Edit, "edit"}, {u.Rotate, "rotate"}, {u.Rescope, "re-scope"}} {
				if x.on {
					classified = append(classified, x.word)
				}
			}
			if !slices.Equal(classified, c.want) {
				t.Fatalf("rules classify %+v as %v, pinned %v", c.update, classified, c.want)
			}
			_, err := editor.Credentials.Update(ctx, cred.ID, c.req, client.WriteOptions{})
			var apiErr *client.APIError
			if !errors.As(err, &apiErr) || apiErr.Code != rules.CodeCredentialForbidden || !strings.Contains(apiErr.Message, "can "+c.want[0]+" credential") {
				t.Errorf("server: %v, want a refusal to %s", err, c.want[0])
			}
			var refused []string
			for _, e := range planErrors(t, editor, fleroprovider.NewCredentialResource(), state, c.plan) {
				for _, word := range []string{"edit", "rotate", "re-scope"} {
					if strings.Contains(e, "can "+word+" credential") {
						refused = append(refused, word)
					}
				}
			}
			if !slices.Equal(refused, c.want) {
				t.Errorf("plan refused %v, want %v", refused, c.want)
			}
		})
	}
}

// TestRuleAgreement_credentialCreateThreshold: who may create a credential of each scope
// (rules.CreateCredentialRole), for the server and the plan alike.
func TestRuleAgreement_credentialCreateThreshold(t *testing.T) {
	a := newAgreement(t, "enterprise")
	ctx := context.Background()
	users := map[string]*client.Client{}
	for _, role := range []string{"viewer", "editor", "admin"} {
		_, users[role] = a.member(t, role+"@example.com", role, a.home)
	}
	for _, c := range []struct {
		scope, role string
		allowed     bool
	}{
		{"personal", "viewer", false},
		{"personal", "editor", true},
		{"personal", "admin", true},
		{"workspace", "viewer", false},
		{"workspace", "editor", false},
		{"workspace", "admin", true},
		{"organization", "viewer", false},
		{"organization", "editor", false},
		{"organization", "admin", true},
	} {
		t.Run(c.scope+" by "+c.role, func(t *testing.T) {
			if got := rules.WorkspaceRole(c.role).AtLeast(rules.CreateCredentialRole(rules.Scope(c.scope))); got != c.allowed {
				t.Fatalf("rules: %s creates a %s credential: %v, pinned %v", c.role, c.scope, got, c.allowed)
			}
			name := c.scope + "-" + c.role
			plan := map[string]tftypes.Value{
				"id": unknown, "workspace_id": str(a.home.ID), "organization_id": unknown, "name": str(name), "type": str("api_key"),
				"scope": str(c.scope), "data_wo": stringMap("k", "v"), "data_wo_version": num(1), "owner_id": unknown, "status": unknown,
			}
			planned := planErrors(t, users[c.role], fleroprovider.NewCredentialResource(), nil, plan)
			_, err := users[c.role].Credentials.Create(ctx, a.home.ID, api.CreateCredentialRequest{Name: name, Type: "api_key", Scope: c.scope, Data: map[string]string{"k": "v"}})
			if (err == nil) != c.allowed {
				t.Errorf("server: %v, want allowed=%v", err, c.allowed)
			}
			if (len(planned) == 0) != c.allowed {
				t.Errorf("plan: %v, want allowed=%v", planned, c.allowed)
			}
			if !c.allowed && len(planned) > 0 && !strings.Contains(planned[0], rules.CreateCredentialRule(rules.Scope(c.scope))) {
				t.Errorf("plan: %q does not state the rule", planned[0])
			}
		})
	}
}

// TestRuleAgreement_credentialUse: where, and by whom, a credential may be used. The
// server records a use (rules.CheckCredentialUse) exactly when the provider's scope
// review (rules.LosingUsage, over rules.KeepsUse) counts that use as kept.
func TestRuleAgreement_credentialUse(t *testing.T) {
	a := newAgreement(t, "enterprise")
	ctx := context.Background()
	other, err := a.admin.Workspaces.Create(ctx, a.org.ID, api.CreateWorkspaceRequest{Name: "other"})
	if err != nil {
		t.Fatal(err)
	}
	userID, user := a.member(t, "worker@example.com", "editor", a.home, other)
	creds := map[string]*api.Credential{}
	for _, c := range []struct {
		key, scope string
		by         *client.Client
	}{{"own personal", "personal", user}, {"workspace", "workspace", a.admin}, {"organization", "organization", a.admin}} {
		cr, err := c.by.Credentials.Create(ctx, a.home.ID, api.CreateCredentialRequest{Name: strings.ReplaceAll(c.key, " ", "-"), Type: "api_key", Scope: c.scope, Data: map[string]string{"k": "v"}})
		if err != nil {
			t.Fatal(err)
		}
		creds[c.key] = cr
	}
	for _, c := range []struct {
		cred string
		ws   *api.Workspace
		kept bool
	}{
		{"own personal", a.home, true},
		{"own personal", other, false},
		{"workspace", a.home, true},
		{"workspace", other, false},
		{"organization", a.home, true},
		{"organization", other, true},
	} {
		t.Run(c.cred+" in "+c.ws.Name, func(t *testing.T) {
			cr := creds[c.cred]
			err := user.Credentials.RecordUse(ctx, cr.ID, api.RecordUseRequest{Workflow: "deploy", WorkspaceID: c.ws.ID})
			if (err == nil) != c.kept {
				t.Errorf("server: %v, want recorded=%v", err, c.kept)
			}
			use := rules.Usage{WorkspaceID: c.ws.ID, WorkspaceName: c.ws.Name, Workflow: "deploy", UserID: userID, Uses: 1}
			losing := rules.LosingUsage(rules.ScopeChangeFacts{To: rules.Scope(cr.Scope), HomeWorkspaceID: cr.WorkspaceID, OwnerID: cr.OwnerID,
				RecentUsage: []rules.Usage{use}})
			if (len(losing) == 0) != c.kept {
				t.Errorf("review: losing %v, want kept=%v", losing, c.kept)
			}
		})
	}
}

// TestRuleAgreement_organizationAdmin: who counts as an organization admin (rules.
// IsOrganizationAdmin; the store's count is built from rules.OrganizationAdminRoles).
// The organization's creator is an admin; demoting it is allowed, by the server and by
// the plan, exactly when the one other membership counts as an admin, whatever its
// status.
func TestRuleAgreement_organizationAdmin(t *testing.T) {
	srv := testserver.Start(t)
	admin := agreementClient(t, srv, srv.AdminToken)
	ctx := context.Background()
	me, err := admin.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range []struct {
		role, status string
		counts       bool
	}{
		{"admin", "active", true},
		{"admin", "invited", true},
		{"member", "active", false},
		{"member", "invited", false},
	} {
		t.Run(c.role+" "+c.status, func(t *testing.T) {
			if got := rules.IsOrganizationAdmin(rules.OrgRole(c.role)); got != c.counts {
				t.Fatalf("rules: a %s %s counts as an admin: %v, pinned %v", c.status, c.role, got, c.counts)
			}
			org, err := admin.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "org-" + string(rune('a'+i)), Plan: "free"})
			if err != nil {
				t.Fatal(err)
			}
			email := c.role + "-" + c.status + "-" + string(rune('a'+i)) + "@example.com"
			if c.status == "active" {
				srv.CreateUser(t, email)
			}
			m, err := admin.OrganizationMemberships.Create(ctx, org.ID, api.CreateOrganizationMembershipRequest{Email: email, Role: c.role})
			if err != nil {
				t.Fatal(err)
			}
			if m.Status != c.status {
				t.Fatalf("the other membership is %s, want %s", m.Status, c.status)
			}
			mine, err := admin.OrganizationMemberships.Get(ctx, org.ID, me.ID)
			if err != nil {
				t.Fatal(err)
			}
			state := map[string]tftypes.Value{
				"id": str(org.ID + "/" + me.ID), "organization_id": str(org.ID), "email": str(mine.Email),
				"role": str("admin"), "user_id": str(me.ID), "status": str(mine.Status),
			}
			planned := planErrors(t, admin, fleroprovider.NewOrganizationMembershipResource(), state, withRole(state, str("member")))
			if (len(planned) == 0) != c.counts {
				t.Errorf("plan: %v, want the demotion allowed=%v", planned, c.counts)
			}
			member := "member"
			_, err = admin.OrganizationMemberships.Update(ctx, org.ID, me.ID, api.UpdateOrganizationMembershipRequest{Role: &member}, client.WriteOptions{})
			var apiErr *client.APIError
			switch {
			case c.counts && err != nil:
				t.Errorf("server refused the demotion: %v", err)
			case !c.counts && (!errors.As(err, &apiErr) || apiErr.Code != rules.CodeLastAdmin):
				t.Errorf("server: %v, want %s", err, rules.CodeLastAdmin)
			}
		})
	}
}
