package reliability

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// leakScanner looks for secrets in files (and in the entries of zip files, such as
// saved plans) without ever printing one: a hit is reported by the secret's label.
type leakScanner struct {
	t       testing.TB
	files   int
	bytes   int64
	entries int
}

// scan reports every forbidden value (label → value) found in path.
func (s *leakScanner) scan(path string, forbidden map[string]string) {
	s.t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		s.t.Fatal(err)
	}
	s.files++
	s.bytes += int64(len(b))
	s.check(path, b, forbidden)
	if zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b))); err == nil {
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				s.t.Fatalf("%s: %s: %v", path, f.Name, err)
			}
			e, _ := io.ReadAll(rc)
			rc.Close()
			s.entries++
			s.bytes += int64(len(e))
			s.check(path+"!"+f.Name, e, forbidden)
		}
	}
}

func (s *leakScanner) check(where string, b []byte, forbidden map[string]string) {
	s.t.Helper()
	for label, v := range forbidden {
		if v != "" && bytes.Contains(b, []byte(v)) {
			s.t.Errorf("%s holds %s", where, label)
		}
	}
}

// filesUnder lists the regular files of dir, recursively.
func filesUnder(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// secretsConfig manages credentials whose secrets come from sensitive, ephemeral
// variables (TF_VAR_…), as a configuration should: a literal in a .tf file would be
// copied by Terraform into the saved plan's snapshot of the configuration.
func secretsConfig(prefix, dataSecret string, bad bool) string {
	extra := ""
	if bad {
		extra = `
resource "flero_credential" "bad" {
  workspace_id    = flero_workspace.w.id
  name            = "bad"
  type            = "slack_bot"
  data_wo         = { "bad key!" = var.bad_secret }
  data_wo_version = 1
}
`
	}
	return fmt.Sprintf(`
variable "wo_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "wo_personal" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "bad_secret" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = "unused"
}

variable "wo_version" {
  type    = number
  default = 1
}

resource "flero_organization" "o" {
  name = "%[1]s-org"
  plan = "enterprise"
}

resource "flero_workspace" "w" {
  organization_id = flero_organization.o.id
  name            = "ws"
}

# data is sensitive but kept in the state (for Terraform < 1.11): its value is allowed
# in the state and the plan, nowhere else.
resource "flero_credential" "data" {
  workspace_id = flero_workspace.w.id
  name         = "with-data"
  type         = "slack_bot"
  data         = { token = %[2]q }
}

resource "flero_credential" "wo" {
  workspace_id    = flero_workspace.w.id
  name            = "with-data-wo"
  type            = "github_app"
  scope           = "organization"
  data_wo         = { api_key = var.wo_secret }
  data_wo_version = var.wo_version
}

resource "flero_credential" "personal" {
  workspace_id    = flero_workspace.w.id
  name            = "personal"
  type            = "smtp"
  scope           = "personal"
  data_wo         = { password = var.wo_personal }
  data_wo_version = 1
}
%[3]s`, prefix, dataSecret, extra)
}

// TestSecretsStayOut runs terraform with TF_LOG=TRACE against a real flero-server
// process: create, rotate (a saved plan), a refused plan whose invalid credential data
// holds a secret, and a plan with an unknown token. Then no token and no credential
// value appears in the trace log, in any terraform output, in the server's log or in
// its database files (the WAL included, before and after the server's shutdown); no
// data_wo value appears in the state, in terraform show -json or in any saved plan
// (every entry of the plan archive); the one data value appears only in the
// configuration, the state and the plans (and terraform show -json of them), where the
// schema says it is kept.
func TestSecretsStayOut(t *testing.T) {
	terraformBinary(t)
	t.Parallel()
	fig := newFigures(t, "secrets")
	srv := startServerProc(t)
	admin := apiClient(t, srv.URL, srv.Token)
	ctx := context.Background()
	prefix := "sec-" + randomHex(3)

	// A second user with a token minted through the API (its answer is stored sealed
	// for idempotent replays).
	u, err := admin.Admin.CreateUser(ctx, api.CreateUserRequest{Email: prefix + "-user@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	userTok, err := admin.Admin.CreateToken(ctx, u.ID, api.CreateTokenRequest{Description: "secrets test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := apiClient(t, srv.URL, userTok.Token).Me(ctx); err != nil {
		t.Fatal(err)
	}

	secret := func(name string) string { return fmt.Sprintf("%s-%s-%s", name, prefix, randomHex(12)) }
	s := map[string]string{
		"the data value":                       secret("data"),
		"the data_wo value":                    secret("wo"),
		"the personal data_wo value":           secret("personal"),
		"the rotated data_wo value":            secret("rotated"),
		"the invalid credential's value":       secret("bad"),
		"the bootstrap admin token":            srv.Token,
		"the user token":                       userTok.Token,
		"the unknown token given to terraform": "flr_" + randomHex(21),
	}
	onlyInStateAndPlans := "the data value"
	tokens := []string{"the bootstrap admin token", "the user token", "the unknown token given to terraform"}

	w := newWorkdir(t, srv.URL, srv.Token)
	trace := filepath.Join(w.Dir, "trace.log")
	w.Trace(trace)
	w.vars["TF_VAR_wo_secret"] = s["the data_wo value"]
	w.vars["TF_VAR_wo_personal"] = s["the personal data_wo value"]
	w.vars["TF_VAR_bad_secret"] = s["the invalid credential's value"]

	w.Write(-1, secretsConfig(prefix, s[onlyInStateAndPlans], false))
	w.MustRun("apply")
	credID := w.StateID("flero_credential.wo")
	before, err := admin.Credentials.Get(ctx, credID)
	if err != nil {
		t.Fatal(err)
	}

	// Rotation through a saved plan.
	w.vars["TF_VAR_wo_secret"] = s["the rotated data_wo value"]
	w.vars["TF_VAR_wo_version"] = "2"
	w.MustRun("plan", "-out=rotate.tfplan")
	w.MustRun("show", "-json", "rotate.tfplan")
	w.MustRun("apply", "rotate.tfplan")
	after, err := admin.Credentials.Get(ctx, credID)
	if err != nil {
		t.Fatal(err)
	}
	if after.DataRevision != before.DataRevision+1 {
		t.Errorf("rotation: data_revision %d → %d, want +1 (the secret was not sent)", before.DataRevision, after.DataRevision)
	}
	w.MustRun("show", "-json")
	w.MustRun("plan", "-out=noop.tfplan")

	// A refused plan: invalid data holding a secret.
	w.Write(-1, secretsConfig(prefix, s[onlyInStateAndPlans], true))
	if r := w.Run("plan"); r.Exit == 0 || !strings.Contains(r.Out, "bad key!") {
		t.Errorf("the invalid credential data was not refused by the plan (%s)", r)
	}
	w.Write(-1, secretsConfig(prefix, s[onlyInStateAndPlans], false))

	// A plan with a token the server does not know.
	w.SetToken(s["the unknown token given to terraform"])
	if r := w.Run("plan"); r.Exit == 0 || !strings.Contains(r.Out, "Token not accepted") {
		t.Errorf("an unknown token was not refused (%s):\n%s", r, tail(r.Out, 20))
	}
	w.SetToken(srv.Token)

	// The trace log covers the writes (so that finding nothing in it means something).
	tl, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ApplyResourceChange", "/credentials", "request body", "[REDACTED]", "PATCH"} {
		if !bytes.Contains(tl, []byte(want)) {
			t.Errorf("the trace log has no %q: it does not cover the credential writes", want)
		}
	}
	fig.Add("trace_log_bytes", len(tl))

	scan := &leakScanner{t: t}
	everywhere := map[string]string{}
	for label, v := range s {
		if label != onlyInStateAndPlans {
			everywhere[label] = v
		}
	}
	outsideState := map[string]string{}
	for label, v := range s {
		outsideState[label] = v
	}
	for _, f := range filesUnder(t, w.Dir) {
		base := filepath.Base(f)
		keepsData := strings.HasPrefix(base, "terraform.tfstate") || strings.HasSuffix(base, ".tfplan") ||
			base == "main.tf" || strings.HasSuffix(base, "-show.log") // the configuration, terraform show -json
		if keepsData {
			scan.scan(f, everywhere) // the data value is kept there, by design
		} else {
			scan.scan(f, outsideState)
		}
	}
	// The data value is in the state indeed (so the scan can find a secret).
	if st, _ := os.ReadFile(filepath.Join(w.Dir, "terraform.tfstate")); !bytes.Contains(st, []byte(s[onlyInStateAndPlans])) {
		t.Error("the data value is not in the state: the scan of the state proves nothing")
	}
	// The server's side, running and after shutdown.
	serverFiles := func() {
		for _, f := range []string{srv.DB, srv.DB + "-wal", srv.DB + "-shm", srv.Log} {
			scan.scan(f, outsideState)
		}
	}
	serverFiles()
	srv.Stop()
	serverFiles()
	fig.Add("files_scanned", scan.files)
	fig.Add("zip_entries_scanned", scan.entries)
	fig.Add("bytes_scanned", scan.bytes)
	fig.Add("secrets", len(s))
	fig.Add("tokens", len(tokens))
}
