package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// badCase is one invalid value of one attribute: the resource block is valid except
// for attr = value.
type badCase struct {
	Resource string
	Attr     string // the attribute the error must be about
	Value    string // HCL expression of the bad value ("" for a case that sets several attributes: see Body)
	Body     string // the other attributes (valid), or the whole body when Value is ""
	Why      string
}

// validBodies are complete, valid bodies of every resource type (ids are placeholders
// for the static tier, real ids for the looked-up tier).
func validBodies(ids map[string]string) map[string]map[string]string {
	return map[string]map[string]string{
		"flero_organization": {"name": `"bad-input-org"`},
		"flero_workspace":    {"organization_id": q(ids["org"]), "name": `"ws"`},
		"flero_team":         {"organization_id": q(ids["org"]), "name": `"team"`},
		"flero_organization_membership": {"organization_id": q(ids["org"]), "email": `"someone@example.com"`,
			"role": `"member"`},
		"flero_team_membership":      {"team_id": q(ids["team"]), "user_id": q(ids["user"])},
		"flero_workspace_membership": {"workspace_id": q(ids["ws"]), "user_id": q(ids["user"]), "role": `"viewer"`},
		"flero_credential": {"workspace_id": q(ids["ws"]), "name": `"cred"`, "type": `"slack_bot"`,
			"data_wo": `{ token = "bad-input-secret" }`, "data_wo_version": "1"},
		"flero_api_key": {"workspace_id": q(ids["ws"]), "name": `"ci"`},
	}
}

func q(s string) string { return fmt.Sprintf("%q", s) }

// staticCases are refused by validation alone (terraform validate): formats,
// enumerations, types, exactly-one-of choices, computed attributes.
func staticCases() []badCase {
	long := strings.Repeat("x", 1001)
	return []badCase{
		{"flero_organization", "name", `""`, "", "empty name"},
		{"flero_organization", "name", `" padded "`, "", "leading/trailing space"},
		{"flero_organization", "name", q(strings.Repeat("n", 101)), "", "101 characters"},
		{"flero_organization", "name", `["a", "list"]`, "", "wrong type"},
		{"flero_organization", "description", q(long), "", "1001 characters"},
		{"flero_organization", "avatar_url", `"http://insecure.example.com/a.png"`, "", "not https"},
		{"flero_organization", "plan", `"platinum"`, "", "not a plan"},
		{"flero_organization", "sso_enabled", `"maybe"`, "", "not a bool"},
		{"flero_organization", "id", `"org_chosen"`, "", "computed"},

		{"flero_workspace", "name", `"tab\there"`, "", "control character"},
		{"flero_workspace", "description", q(long), "", "1001 characters"},
		{"flero_workspace", "avatar_url", `"ftp://example.com/a.png"`, "", "not https"},
		{"flero_workspace", "custom_domain", `"Not_A_Domain"`, "", "not a domain"},
		{"flero_workspace", "id", `"ws_chosen"`, "", "computed"},

		{"flero_team", "name", `""`, "", "empty name"},
		{"flero_team", "description", q(long), "", "1001 characters"},
		{"flero_team", "avatar_url", `"not a url"`, "", "not a URL"},
		{"flero_team", "id", `"team_chosen"`, "", "computed"},

		{"flero_organization_membership", "email", `"not-an-email"`, "", "not an email"},
		{"flero_organization_membership", "role", `"owner"`, "", "not an organization role"},
		{"flero_organization_membership", "user_id", `"usr_chosen"`, "", "computed"},
		{"flero_organization_membership", "status", `"active"`, "", "computed"},
		{"flero_organization_membership", "id", `"x"`, "", "computed"},
		{"flero_organization_membership", "invited_at", `"2026-01-01T00:00:00Z"`, "", "computed"},
		{"flero_organization_membership", "invitation_expires_at", `"2026-01-01T00:00:00Z"`, "", "computed"},
		{"flero_organization_membership", "resend_expired", `"sometimes"`, "", "wrong type"},

		{"flero_team_membership", "id", `"x"`, "", "computed"},

		{"flero_workspace_membership", "role", `"superuser"`, "", "not a workspace role"},
		{"flero_workspace_membership", "team_id", `"team_x"`, "", "user_id and team_id together"},
		{"flero_workspace_membership", "user_id", "", `workspace_id = "ws_x"
  role         = "viewer"`, "neither user_id nor team_id"},
		{"flero_workspace_membership", "id", `"x"`, "", "computed"},

		{"flero_credential", "name", `" cred"`, "", "leading space"},
		{"flero_credential", "type", `"Not A Type"`, "", "not an identifier"},
		{"flero_credential", "description", q(long), "", "1001 characters"},
		{"flero_credential", "scope", `"global"`, "", "not a scope"},
		{"flero_credential", "data", "", `workspace_id = "ws_x"
  name         = "cred"
  type         = "slack_bot"
  data         = {}`, "empty map"},
		{"flero_credential", "data", "", `workspace_id = "ws_x"
  name         = "cred"
  type         = "slack_bot"
  data         = { "bad key!" = "bad-input-secret" }`, "invalid key"},
		{"flero_credential", "data", `{ token = "bad-input-secret" }`, "", "data and data_wo together"},
		{"flero_credential", "data_wo", `{ "bad key!" = "bad-input-secret" }`, "", "invalid key"},
		{"flero_credential", "data_wo_version", "", `workspace_id    = "ws_x"
  name            = "cred"
  type            = "slack_bot"
  data            = { token = "bad-input-secret" }
  data_wo_version = 2`, "without data_wo"},
		{"flero_credential", "data_wo_version", `"abc"`, "", "not a number"},
		{"flero_credential", "id", `"cred_x"`, "", "computed"},
		{"flero_credential", "organization_id", `"org_x"`, "", "computed"},
		{"flero_credential", "owner_id", `"usr_x"`, "", "computed"},
		{"flero_credential", "status", `"inactive"`, "", "computed"},

		{"flero_api_key", "name", `""`, "", "empty name"},
		{"flero_api_key", "expires_at", `"next tuesday"`, "", "not RFC 3339"},
		{"flero_api_key", "keepers", `"rotate"`, "", "not a map"},
		{"flero_api_key", "organization_id", `"org_x"`, "", "organization_id and workspace_id together"},
		{"flero_api_key", "workspace_id", "", `name = "ci"`, "neither organization_id nor workspace_id"},
		{"flero_api_key", "id", `"key_x"`, "", "computed"},
		{"flero_api_key", "value", `"flr_chosen"`, "", "computed"},
		{"flero_api_key", "created_by", `"usr_x"`, "", "computed"},
	}
}

// lookedUpCases pass validation and are refused by terraform plan, which looks the ids
// up (they exist nowhere, or not for this token).
func lookedUpCases() []badCase {
	return []badCase{
		{"flero_workspace", "organization_id", `"org_doesnotexist"`, "", "no such organization"},
		{"flero_team", "organization_id", `"org_doesnotexist"`, "", "no such organization"},
		{"flero_organization_membership", "organization_id", `"org_doesnotexist"`, "", "no such organization"},
		{"flero_team_membership", "team_id", `"team_doesnotexist"`, "", "no such team"},
		{"flero_team_membership", "user_id", `"usr_doesnotexist"`, "", "no such user in the organization"},
		{"flero_workspace_membership", "workspace_id", `"ws_doesnotexist"`, "", "no such workspace"},
		{"flero_workspace_membership", "user_id", `"usr_doesnotexist"`, "", "no such user in the organization"},
		{"flero_workspace_membership", "team_id", "", "", "no such team in the organization"},
		{"flero_credential", "workspace_id", `"ws_doesnotexist"`, "", "no such workspace"},
	}
}

// render writes every case as its own resource block and returns the configuration
// and, per case, the line span of its block.
func renderCases(cases []badCase, ids map[string]string, control bool) (string, [][2]int) {
	var b strings.Builder
	line := strings.Count(fmt.Sprintf(providerHeader, "\n"), "\n") + 1
	var spans [][2]int
	bodies := validBodies(ids)
	write := func(typ, name, body string) [2]int {
		block := fmt.Sprintf("\nresource %q %q {\n  %s\n}\n", typ, name, body)
		start := line + 1
		line += strings.Count(block, "\n")
		b.WriteString(block)
		return [2]int{start, line - 1}
	}
	for i, c := range cases {
		body := c.Body
		if body == "" {
			attrs := map[string]string{}
			for k, v := range bodies[c.Resource] {
				attrs[k] = v
			}
			switch {
			case c.Resource == "flero_workspace_membership" && c.Attr == "team_id" && c.Value == "":
				delete(attrs, "user_id")
				attrs["team_id"] = q("team_doesnotexist")
			default:
				attrs[c.Attr] = c.Value
			}
			if c.Resource == "flero_organization" && c.Attr != "name" {
				attrs["name"] = q(fmt.Sprintf("bad-input-org-%d", i))
			}
			keys := make([]string, 0, len(attrs))
			for k := range attrs {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var lines []string
			for _, k := range keys {
				lines = append(lines, fmt.Sprintf("%s = %s", k, attrs[k]))
			}
			body = strings.Join(lines, "\n  ")
		}
		spans = append(spans, write(c.Resource, fmt.Sprintf("case%02d", i), body))
	}
	if control {
		// One valid block of every type: it must draw no error.
		for typ, attrs := range bodies {
			keys := make([]string, 0, len(attrs))
			for k := range attrs {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var lines []string
			for _, k := range keys {
				lines = append(lines, fmt.Sprintf("%s = %s", k, attrs[k]))
			}
			spans = append(spans, write(typ, "control", strings.Join(lines, "\n  ")))
		}
	}
	return b.String(), spans
}

// tfDiagnostic is a diagnostic of terraform validate -json or plan -json.
type tfDiagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	Address  string `json:"address"`
	Range    *struct {
		Start struct {
			Line int `json:"line"`
		} `json:"start"`
	} `json:"range"`
	Snippet *struct {
		Code string `json:"code"`
	} `json:"snippet"`
}

func (d tfDiagnostic) line() int {
	if d.Range == nil {
		return 0
	}
	return d.Range.Start.Line
}

// mentions reports whether the diagnostic is about attr: its text names it, or it
// points at the line that sets it.
func (d tfDiagnostic) mentions(attr string) bool {
	if strings.Contains(d.Summary, attr) || strings.Contains(d.Detail, attr) {
		return true
	}
	return d.Snippet != nil && strings.HasPrefix(strings.TrimSpace(d.Snippet.Code), attr+" ")
}

// checkCases matches diagnostics to cases by line and checks each case got an error
// about its attribute, and the control blocks none.
func checkCases(t *testing.T, tier string, cases []badCase, spans [][2]int, diags []tfDiagnostic) (refused int) {
	t.Helper()
	var table []string
	for i, span := range spans {
		var mine []tfDiagnostic
		for _, d := range diags {
			if d.Severity == "error" && d.line() >= span[0] && d.line() <= span[1] {
				mine = append(mine, d)
			}
		}
		if i >= len(cases) {
			for _, d := range mine {
				t.Errorf("%s: a valid control block drew an error: %s: %s", tier, d.Summary, d.Detail)
			}
			continue
		}
		c := cases[i]
		ok := false
		for _, d := range mine {
			if d.mentions(c.Attr) {
				ok = true
				table = append(table, fmt.Sprintf("%s.%s (%s): %s", c.Resource, c.Attr, c.Why, oneLine(d.Summary+": "+d.Detail, 140)))
				break
			}
		}
		if ok {
			refused++
			continue
		}
		var got []string
		for _, d := range mine {
			got = append(got, d.Summary+": "+d.Detail)
		}
		t.Errorf("%s: %s.%s = %s (%s): no error about %s; errors in the block: %q", tier, c.Resource, c.Attr, c.Value, c.Why, c.Attr, got)
	}
	t.Logf("%s tier, %d of %d invalid values refused:\n  %s", tier, refused, len(cases), strings.Join(table, "\n  "))
	return refused
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}

// TestBadInputAtPlan: for every attribute of every resource an invalid value is refused
// before anything is created, with an error about that attribute. The static tier
// (formats, enumerations, types, exactly-one-of, computed attributes) runs terraform
// validate; the looked-up tier (ids that do not exist) runs terraform plan against a
// server. One valid block of each type must draw no error. Nothing is created.
func TestBadInputAtPlan(t *testing.T) {
	terraformBinary(t)
	t.Parallel()
	fig := newFigures(t, "bad_input_plan")
	srv := testserver.Start(t)
	c := apiClient(t, srv.URL, srv.AdminToken)
	ctx := context.Background()

	// Static tier.
	w := newWorkdir(t, srv.URL, srv.AdminToken)
	static := staticCases()
	placeholders := map[string]string{"org": "org_x", "ws": "ws_x", "team": "team_x", "user": "usr_x"}
	body, spans := renderCases(static, placeholders, true)
	w.Write(-1, body)
	r := w.Run("validate", "-json")
	var v struct {
		Valid       bool           `json:"valid"`
		Diagnostics []tfDiagnostic `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(r.Out[strings.Index(r.Out, "{"):]), &v); err != nil {
		t.Fatalf("terraform validate -json: %v\n%s", err, tail(r.Out, 20))
	}
	if v.Valid || r.Exit == 0 {
		t.Errorf("terraform validate accepted the invalid values")
	}
	echoes(t, "terraform validate", v.Diagnostics, "bad-input-secret")
	fig.Add("static_refused", checkCases(t, "static", static, spans, v.Diagnostics))
	fig.Add("static_cases", len(static))

	// Every attribute of every resource has a case.
	covered := map[string]bool{}
	for _, c := range append(staticCases(), lookedUpCases()...) {
		covered[c.Resource+"."+c.Attr] = true
	}
	attrs := 0
	for typ, names := range resourceAttributes(t, w) {
		for _, a := range names {
			attrs++
			if !covered[typ+"."+a] {
				t.Errorf("%s.%s has no invalid-value case", typ, a)
			}
		}
	}
	fig.Add("attributes", attrs)

	// Looked-up tier, against real objects.
	org, err := c.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "bad-input-" + randomHex(3)})
	if err != nil {
		t.Fatal(err)
	}
	ws, err := c.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "ws"})
	if err != nil {
		t.Fatal(err)
	}
	team, err := c.Teams.Create(ctx, org.ID, api.CreateTeamRequest{Name: "team"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := c.OrganizationMemberships.Create(ctx, org.ID, api.CreateOrganizationMembershipRequest{Email: "member-" + randomHex(3) + "@example.com", Role: "member"})
	if err != nil {
		t.Fatal(err)
	}
	before := objectRows(t, srv.DBPath)
	looked := lookedUpCases()
	body, spans = renderCases(looked, map[string]string{"org": org.ID, "ws": ws.ID, "team": team.ID, "user": m.UserID}, false)
	w2 := newWorkdir(t, srv.URL, srv.AdminToken)
	w2.Write(-1, body)
	r = w2.Run("plan", "-json")
	if r.Exit == 0 {
		t.Errorf("terraform plan accepted ids that do not exist")
	}
	var diags []tfDiagnostic
	for _, l := range strings.Split(r.Out, "\n") {
		var msg struct {
			Type       string       `json:"type"`
			Diagnostic tfDiagnostic `json:"diagnostic"`
		}
		if json.Unmarshal([]byte(l), &msg) == nil && msg.Type == "diagnostic" {
			diags = append(diags, msg.Diagnostic)
		}
	}
	echoes(t, "terraform plan", diags, "bad-input-secret")
	fig.Add("looked_up_refused", checkCases(t, "looked-up", looked, spans, diags))
	fig.Add("looked_up_cases", len(looked))
	if after := objectRows(t, srv.DBPath); after != before {
		t.Errorf("the refused plans changed the server: %d rows before, %d after", before, after)
	}
}

// resourceAttributes lists every attribute of every resource type of the provider
// (terraform providers schema -json).
func resourceAttributes(t *testing.T, w *workdir) map[string][]string {
	t.Helper()
	r := w.MustRun("providers", "schema", "-json")
	var s struct {
		ProviderSchemas map[string]struct {
			ResourceSchemas map[string]struct {
				Block struct {
					Attributes map[string]json.RawMessage `json:"attributes"`
				} `json:"block"`
			} `json:"resource_schemas"`
		} `json:"provider_schemas"`
	}
	if err := json.Unmarshal([]byte(r.Out[strings.Index(r.Out, "{"):]), &s); err != nil {
		t.Fatalf("terraform providers schema -json: %v", err)
	}
	out := map[string][]string{}
	for _, p := range s.ProviderSchemas {
		for typ, rs := range p.ResourceSchemas {
			for a := range rs.Block.Attributes {
				out[typ] = append(out[typ], a)
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("the provider schema lists no resource")
	}
	return out
}

// echoes fails the test if a diagnostic's text (summary or detail: what the provider
// wrote, not Terraform's quote of the configuration's source) holds secret.
func echoes(t *testing.T, what string, diags []tfDiagnostic, secret string) {
	t.Helper()
	for _, d := range diags {
		if strings.Contains(d.Summary, secret) || strings.Contains(d.Detail, secret) {
			t.Errorf("%s: an error message echoes a credential value: %s", what, d.Summary)
		}
	}
}
