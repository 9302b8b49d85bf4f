package reliability

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// adoptQuery lists everything of one organization, whole objects included, for
// terraform query -generate-config-out.
func adoptQuery(orgName, orgID string) string {
	org := strconv.Quote(orgID)
	blocks := []string{acctest.ListBlock("flero_organization", "org", true, "name_prefix", strconv.Quote(orgName))}
	for _, typ := range []string{"flero_workspace", "flero_team", "flero_organization_membership", "flero_team_membership", "flero_workspace_membership", "flero_credential"} {
		blocks = append(blocks, acctest.ListBlock(typ, "all", true, "organization_id", org))
	}
	return strings.Join(blocks, "\n")
}

// TestAdoptExistingOrganization adopts an organization made through the API (3
// workspaces, 2 teams, 12 memberships of every kind besides the creator's, 6
// credentials of every scope): terraform query writes the configuration and its import
// blocks, the plan only imports (N to import, 0 to add, 0 to change, 0 to destroy), the
// apply imports, the next plan is empty, and no credential secret is in the generated
// file, the state, the outputs or the TRACE log. Needs Terraform >= 1.14 (list
// resources); skipped below, with the reason.
func TestAdoptExistingOrganization(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorkdir(t, srv.URL, srv.AdminToken)
	requireTerraform(t, w, "1.14.0", "terraform query and list resources")
	tn := acctest.SeedTenancy(t, srv, apiClient(t, srv.URL, srv.AdminToken), acctest.RandomName("acme"))

	w.Trace(filepath.Join(t.TempDir(), "trace.log"))
	w.Write(2, "")
	if err := os.WriteFile(filepath.Join(w.Dir, "adopt.tfquery.hcl"), []byte(adoptQuery(tn.Org.Name, tn.Org.ID)), 0o644); err != nil {
		t.Fatal(err)
	}
	w.MustRun("init")
	w.MustRun("query", "-no-color", "-generate-config-out=generated.tf")
	generated, err := os.ReadFile(filepath.Join(w.Dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	// 1 organization, 3 workspaces, 2 teams, 5 organization memberships (the 4 and
	// the creator's), 3 team memberships, 5 workspace memberships, 6 credentials.
	const objects = 1 + 3 + 2 + 5 + 3 + 5 + 6
	if n := strings.Count(string(generated), "\nimport {") + boolInt(strings.HasPrefix(string(generated), "import {")); n != objects {
		t.Errorf("the generated file has %d import blocks, want %d:\n%s", n, objects, tail(string(generated), 80))
	}
	if strings.Contains(string(generated), "data_wo =") || regexp.MustCompile(`(?m)^\s*data\s*=\s*\{`).Match(generated) {
		t.Errorf("the generated file gives a credential's secret:\n%s", generated)
	}

	if os.Getenv("FLERO_ADOPT_DUMP") != "" {
		_ = os.WriteFile(os.Getenv("FLERO_ADOPT_DUMP"), generated, 0o644)
	}
	plan := w.MustRun("plan")
	want := "Plan: " + strconv.Itoa(objects) + " to import, 0 to add, 0 to change, 0 to destroy."
	if !strings.Contains(plan.Out, want) {
		t.Fatalf("the plan of the generated configuration is not %q:\n%s", want, tail(plan.Out, 60))
	}
	t.Logf("%s (generated.tf: %d lines)", want, strings.Count(string(generated), "\n"))
	w.MustRun("apply")
	if again := w.Run("plan", "-detailed-exitcode"); again.Exit != 0 {
		t.Fatalf("the plan after the adoption is not empty (%s):\n%s", again, tail(again.Out, 60))
	}

	// No secret anywhere: the generated file, the state, every command's output, the
	// TRACE log.
	places := map[string][]byte{"generated.tf": generated}
	for _, name := range []string{"terraform.tfstate"} {
		b, err := os.ReadFile(filepath.Join(w.Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		places[name] = b
	}
	logs, _ := filepath.Glob(filepath.Join(w.Dir, "run-*.log"))
	for _, l := range append(logs, w.trace) {
		b, err := os.ReadFile(l)
		if err != nil {
			t.Fatal(err)
		}
		places[filepath.Base(l)] = b
	}
	for place, b := range places {
		for i, s := range tn.Secrets {
			if strings.Contains(string(b), s) {
				t.Errorf("%s holds the secret of credential %d", place, i)
			}
		}
	}
	if len(places[filepath.Base(w.trace)]) == 0 {
		t.Error("the TRACE log is empty: the secret scan saw nothing")
	}
	// The state holds every credential, without its secret.
	var state struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(places["terraform.tfstate"], &state); err != nil {
		t.Fatal(err)
	}
	creds := 0
	for _, r := range state.Resources {
		if r.Type != "flero_credential" {
			continue
		}
		for _, in := range r.Instances {
			creds++
			if in.Attributes["data"] != nil || in.Attributes["data_wo_version"] != nil {
				t.Errorf("an adopted credential's state has data %v, data_wo_version %v", in.Attributes["data"], in.Attributes["data_wo_version"])
			}
		}
	}
	if creds != len(tn.Credentials) {
		t.Errorf("the state holds %d credentials, want %d", creds, len(tn.Credentials))
	}
}

// requireTerraform skips the test, saying why, when w's Terraform is older than minimum.
func requireTerraform(t *testing.T, w *workdir, minimum, feature string) {
	t.Helper()
	r := w.MustRun("version", "-json")
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal([]byte(r.Out), &v); err != nil {
		t.Fatalf("terraform version -json: %v\n%s", err, r.Out)
	}
	if !atLeast(v.Version, minimum) {
		t.Skipf("Terraform %s is below %s, which %s need: skipping test", v.Version, minimum, feature)
	}
}

// atLeast compares two versions "major.minor.patch" (a pre-release suffix ignored).
func atLeast(have, minimum string) bool {
	parse := func(s string) [3]int {
		var out [3]int
		s, _, _ = strings.Cut(s, "-")
		for i, p := range strings.SplitN(s, ".", 3) {
			out[i], _ = strconv.Atoi(p)
		}
		return out
	}
	h, m := parse(have), parse(minimum)
	for i := range h {
		if h[i] != m[i] {
			return h[i] > m[i]
		}
	}
	return true
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
