package provider

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// scopeFixture is an enterprise organization with three workspaces (payments, the
// credential's home; growth; sandbox), an organization-scoped credential owned by the
// platform admin (admin@flero.local, an organization admin), a second member (bob) who
// can use it from growth, and a third (carol) in team "data", a viewer of sandbox.
type scopeFixture struct {
	srv                        *testserver.Server
	admin, bob                 *client.Client
	bobID                      string
	org                        *api.Organization
	payments, growth, sandbox  *api.Workspace
	cred                       *api.Credential
	usageRoute, workspaceRoute string
}

func newScopeFixture(t *testing.T) *scopeFixture {
	t.Helper()
	ctx := context.Background()
	f := &scopeFixture{srv: testserver.Start(t),
		usageRoute: "/v1/credentials/{credential_id}/usage", workspaceRoute: "/v1/organizations/{organization_id}/workspaces"}
	f.admin = testClient(t, f.srv.URL, f.srv.AdminToken)
	var err error
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	f.org, err = f.admin.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "acme", Plan: "enterprise"})
	must(err)
	for _, ws := range []struct {
		name string
		dst  **api.Workspace
	}{{"payments", &f.payments}, {"growth", &f.growth}, {"sandbox", &f.sandbox}} {
		*ws.dst, err = f.admin.Workspaces.Create(ctx, f.org.ID, api.CreateWorkspaceRequest{Name: ws.name})
		must(err)
	}
	f.cred, err = f.admin.Credentials.Create(ctx, f.payments.ID, api.CreateCredentialRequest{
		Name: "stripe-live", Type: "stripe", Scope: "organization", Data: map[string]string{"api_key": "sk_live_not_real"}})
	must(err)
	var token string
	f.bobID, token = f.srv.CreateUser(t, "bob@example.com")
	_, err = f.admin.OrganizationMemberships.Create(ctx, f.org.ID, api.CreateOrganizationMembershipRequest{Email: "bob@example.com", Role: "member"})
	must(err)
	_, err = f.admin.WorkspaceMemberships.Create(ctx, f.growth.ID, api.CreateWorkspaceMembershipRequest{UserID: f.bobID, Role: "editor"})
	must(err)
	f.bob = testClient(t, f.srv.URL, token)
	// carol reaches sandbox through team "data".
	carolID, _ := f.srv.CreateUser(t, "carol@example.com")
	_, err = f.admin.OrganizationMemberships.Create(ctx, f.org.ID, api.CreateOrganizationMembershipRequest{Email: "carol@example.com", Role: "member"})
	must(err)
	team, err := f.admin.Teams.Create(ctx, f.org.ID, api.CreateTeamRequest{Name: "data"})
	must(err)
	_, err = f.admin.TeamMemberships.Create(ctx, team.ID, api.CreateTeamMembershipRequest{UserID: carolID})
	must(err)
	_, err = f.admin.WorkspaceMemberships.Create(ctx, f.sandbox.ID, api.CreateWorkspaceMembershipRequest{TeamID: team.ID, Role: "viewer"})
	must(err)
	return f
}

func testClient(t *testing.T, url, token string) *client.Client {
	t.Helper()
	c, err := client.New(client.Config{Endpoint: url, Token: token, RetryMax: -1, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// use records uses of the credential by a workflow in a workspace.
func (f *scopeFixture) use(t *testing.T, c *client.Client, ws *api.Workspace, workflow string, times int) {
	t.Helper()
	for i := 0; i < times; i++ {
		if err := c.Credentials.RecordUse(context.Background(), f.cred.ID, api.RecordUseRequest{Workflow: workflow, WorkspaceID: ws.ID}); err != nil {
			t.Fatalf("record use: %v", err)
		}
	}
}

func (f *scopeFixture) change(from, to rules.Scope) scopeChange {
	return scopeChange{CredentialID: f.cred.ID, CredentialName: f.cred.Name, From: from, To: to,
		OrganizationID: f.org.ID, WorkspaceID: f.payments.ID, OwnerID: f.cred.OwnerID}
}

// review builds the warning the plan shows for a change, with a fresh run cache.
func (f *scopeFixture) review(t *testing.T, ch scopeChange) diag.Diagnostics {
	t.Helper()
	var diags diag.Diagnostics
	reviewScopeChange(context.Background(), &diags, f.admin, planrun.New(f.admin), ch)
	return diags
}

func onlyWarning(t *testing.T, diags diag.Diagnostics) diag.Diagnostic {
	t.Helper()
	if diags.HasError() || len(diags) != 1 || diags[0].Severity() != diag.SeverityWarning {
		t.Fatalf("want exactly one warning, got %v", diags)
	}
	d, ok := diags[0].(diag.DiagnosticWithPath)
	if !ok || !d.Path().Equal(path.Root("scope")) {
		t.Fatalf("the warning is not on scope: %v", diags[0])
	}
	return diags[0]
}

// Narrowing from organization to workspace: the workflows of other workspaces that
// used the credential in the last 30 days are listed by workspace name, with
// grammatical counts; uses in the home workspace are not (they keep access); the
// workspaces, the team and the people that lose it are named.
func TestScopeReview_narrowingToWorkspaceListsLosingWorkflows(t *testing.T) {
	f := newScopeFixture(t)
	f.use(t, f.bob, f.growth, "nightly-sync", 3)
	f.use(t, f.admin, f.sandbox, "experiment", 1)
	f.use(t, f.admin, f.payments, "checkout", 5)
	f.srv.ResetCounters()

	w := onlyWarning(t, f.review(t, f.change(rules.ScopeOrganization, rules.ScopeWorkspace)))
	if w.Summary() != `Narrowing credential "stripe-live" from organization to workspace scope` {
		t.Errorf("summary: %q", w.Summary())
	}
	detail := w.Detail()
	for _, want := range []string{
		`applied in place (the credential keeps its id)`,
		`Only workflows in workspace "payments" keep access`,
		`Used in the last 30 days by 2 workflows that will lose access (4 uses):`,
		`workspace "growth", workflow "nightly-sync": 3 uses`,
		`workspace "sandbox", workflow "experiment": 1 use`,
		`Who loses access: 2 workspaces ("growth" and "sandbox"), 1 team ("data") and 2 people ("bob@example.com" and "carol@example.com").`,
	} {
		if !strings.Contains(detail, want) {
			t.Errorf("the warning does not say %q:\n%s", want, detail)
		}
	}
	if strings.Contains(detail, "checkout") || strings.Contains(detail, "admin@flero.local") {
		t.Errorf("the home workspace's workflow and the organization admin keep access and must not be listed:\n%s", detail)
	}
	if strings.Index(detail, `"growth"`) > strings.Index(detail, `"sandbox"`) {
		t.Errorf("workspaces are not listed in order:\n%s", detail)
	}
	if n := f.srv.Requests("GET", f.usageRoute); n != 1 {
		t.Errorf("usage read %d times, want 1", n)
	}
	if n := f.srv.Requests("GET", f.workspaceRoute); n != 1 {
		t.Errorf("workspaces listed %d times, want 1", n)
	}
}

// Narrowing to personal: only the owner's workflows in the home workspace keep
// access; the owner's own workflows elsewhere lose it (the platform refuses their
// use), and so does everyone else, organization admins included.
func TestScopeReview_narrowingToPersonalListsOwnersWorkflowsElsewhere(t *testing.T) {
	f := newScopeFixture(t)
	f.use(t, f.bob, f.growth, "bobs-report", 2)
	f.use(t, f.admin, f.sandbox, "owners-experiment", 4)
	f.use(t, f.admin, f.payments, "owners-checkout", 1)

	detail := onlyWarning(t, f.review(t, f.change(rules.ScopeOrganization, rules.ScopePersonal))).Detail()
	for _, want := range []string{
		`Only its owner, admin@flero.local, keeps access, and only in workspace "payments"`,
		`workspace "growth", workflow "bobs-report": 2 uses`,
		`workspace "sandbox", workflow "owners-experiment": 4 uses`,
		`2 people ("bob@example.com" and "carol@example.com")`,
	} {
		if !strings.Contains(detail, want) {
			t.Errorf("the warning does not say %q:\n%s", want, detail)
		}
	}
	if strings.Contains(detail, "owners-checkout") {
		t.Errorf("the owner's workflow in the home workspace keeps access:\n%s", detail)
	}
}

// A narrowing nobody outside the new scope used says so.
func TestScopeReview_narrowingWithoutUsage(t *testing.T) {
	f := newScopeFixture(t)
	f.use(t, f.admin, f.payments, "checkout", 1)
	detail := onlyWarning(t, f.review(t, f.change(rules.ScopeOrganization, rules.ScopeWorkspace))).Detail()
	if !strings.Contains(detail, "No workflow that loses access used it in the last 30 days.") {
		t.Errorf("detail:\n%s", detail)
	}
}

// Widening to organization names the workspaces, the team and the people that gain
// the credential, and reads no usage.
func TestScopeReview_wideningToOrganizationNamesWhoGainsIt(t *testing.T) {
	f := newScopeFixture(t)
	f.srv.ResetCounters()
	w := onlyWarning(t, f.review(t, f.change(rules.ScopeWorkspace, rules.ScopeOrganization)))
	if w.Summary() != `Widening credential "stripe-live" from workspace to organization scope` {
		t.Errorf("summary: %q", w.Summary())
	}
	for _, want := range []string{
		`it becomes usable in 2 other workspaces of the organization, besides workspace "payments"`,
		`Who gains access: 2 workspaces ("growth" and "sandbox"), 1 team ("data") and 2 people ("bob@example.com" and "carol@example.com").`,
	} {
		if !strings.Contains(w.Detail(), want) {
			t.Errorf("detail lacks %q:\n%s", want, w.Detail())
		}
	}
	if n := f.srv.Requests("GET", f.usageRoute); n != 0 {
		t.Errorf("a widening read the usage (%d requests)", n)
	}
}

// Widening from personal to workspace names the workspace and its owner, and reads
// no usage.
func TestScopeReview_wideningToWorkspace(t *testing.T) {
	f := newScopeFixture(t)
	f.srv.ResetCounters()
	w := onlyWarning(t, f.review(t, f.change(rules.ScopePersonal, rules.ScopeWorkspace)))
	if !strings.Contains(w.Detail(), `Every member of workspace "payments" gains it, not only its owner, admin@flero.local.`) {
		t.Errorf("detail:\n%s", w.Detail())
	}
	if n := f.srv.Requests("GET", f.usageRoute); n != 0 {
		t.Errorf("a widening read the usage (%d requests)", n)
	}
}

// An unchanged scope has no review and costs no request.
func TestScopeReview_unchangedScope(t *testing.T) {
	f := newScopeFixture(t)
	f.srv.ResetCounters()
	if diags := f.review(t, f.change(rules.ScopeWorkspace, rules.ScopeWorkspace)); len(diags) != 0 {
		t.Fatalf("unchanged scope: %v", diags)
	}
	if n := f.srv.TotalRequests(); n != 0 {
		t.Errorf("%d requests for an unchanged scope", n)
	}
}

// A failed look-up does not block the plan: the review says it is incomplete.
func TestScopeReview_lookupFailureIsAWarning(t *testing.T) {
	f := newScopeFixture(t)
	ch := f.change(rules.ScopeOrganization, rules.ScopeWorkspace)
	ch.CredentialID = "cred_missing"
	w := onlyWarning(t, f.review(t, ch))
	if w.Summary() != "Scope change not reviewed" || !strings.Contains(w.Detail(), "usage") {
		t.Errorf("got %q: %s", w.Summary(), w.Detail())
	}
}

// The API's refusal reaches the user verbatim: the message the server builds with the
// rules function is the detail of the provider's error, on the attribute it names (the
// write-only data_wo for the API's "data").
func TestCredentialAPIErrorIsVerbatim(t *testing.T) {
	srv := testserver.Start(t)
	ctx := context.Background()
	admin := testClient(t, srv.URL, srv.AdminToken)
	org, err := admin.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "free-org"})
	if err != nil {
		t.Fatal(err)
	}
	ws, err := admin.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "home"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = admin.Credentials.Create(ctx, ws.ID, api.CreateCredentialRequest{Name: "wide", Type: "api_key", Scope: "organization", Data: map[string]string{"token": "x"}})
	if err == nil {
		t.Fatal("the server accepted organization scope on a free organization")
	}
	var diags diag.Diagnostics
	framework.AddAPIError(&diags, "create", credentialName("wide"), err, credentialPaths(true))
	want := rules.CheckScopeAllowed("free-org", rules.PlanFree, rules.ScopeOrganization).Message
	if len(diags) != 1 || !strings.HasPrefix(diags[0].Detail(), want) {
		t.Fatalf("want the rule's message %q verbatim, got %v", want, diags)
	}
	if d, ok := diags[0].(diag.DiagnosticWithPath); !ok || !d.Path().Equal(path.Root("scope")) {
		t.Errorf("the refusal is not on scope: %v", diags[0])
	}

	_, err = admin.Credentials.Create(ctx, ws.ID, api.CreateCredentialRequest{Name: "bad", Type: "api_key", Data: map[string]string{"bad key": "x"}})
	if !errors.Is(err, client.ErrValidation) {
		t.Fatalf("want a validation error for a bad data key, got %v", err)
	}
	diags = nil
	framework.AddAPIError(&diags, "create", credentialName("bad"), err, credentialPaths(true))
	if len(diags) != 1 {
		t.Fatalf("got %v", diags)
	}
	if d, ok := diags[0].(diag.DiagnosticWithPath); !ok || !d.Path().Equal(path.Root("data_wo")) {
		t.Errorf("the data error is not on data_wo: %v", diags[0])
	}
}

func TestCredentialPaths(t *testing.T) {
	cases := []struct {
		field     string
		writeOnly bool
		want      path.Path
		ok        bool
	}{
		{"scope", true, path.Root("scope"), true},
		{"data", true, path.Root("data_wo"), true},
		{"data.token", true, path.Root("data_wo").AtMapKey("token"), true},
		{"data", false, path.Root("data"), true},
		{"data.token", false, path.Root("data").AtMapKey("token"), true},
		{"", true, path.Empty(), false},
	}
	for _, tc := range cases {
		got, ok := credentialPaths(tc.writeOnly)(tc.field)
		if ok != tc.ok || (ok && !got.Equal(tc.want)) {
			t.Errorf("%q (write-only %t): got %s %t, want %s %t", tc.field, tc.writeOnly, got, ok, tc.want, tc.ok)
		}
	}
}
