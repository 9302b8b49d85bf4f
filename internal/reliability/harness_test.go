package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/client"
)

// The harness: the provider and server binaries (built once per test binary), a
// Terraform working directory driven as a subprocess, and the switches of the suites.

var (
	buildOnce sync.Once
	built     binaries
	buildErr  error
	buildWall time.Duration
	tmpRoot   string
)

// binaries are what the tests build: the provider, in a directory a dev_overrides CLI
// configuration points at, and the reference server.
type binaries struct {
	PluginDir string // holds terraform-provider-flero
	Server    string // the flero-server binary
	CLIConfig string // TF_CLI_CONFIG_FILE
}

func TestMain(m *testing.M) {
	code := m.Run()
	if tmpRoot != "" {
		os.RemoveAll(tmpRoot)
	}
	os.Exit(code)
}

// longMode is set by make test-long: the 200-object tenancy and the other long variants.
func longMode() bool { return os.Getenv("FLERO_LONG") == "1" }

// terraformBinary skips the test unless acceptance tests are on (TF_ACC, as make test
// and make testacc set it) and returns the terraform to run: TF_ACC_TERRAFORM_PATH, or
// terraform on PATH. Nothing is ever downloaded.
func terraformBinary(t testing.TB) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("end-to-end suites need TF_ACC=1 (make test, make testacc)")
	}
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		if !filepath.IsAbs(p) {
			t.Fatalf("TF_ACC_TERRAFORM_PATH must be absolute, got %q", p)
		}
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatalf("no terraform on PATH and no TF_ACC_TERRAFORM_PATH: %v", err)
	}
	return p
}

// getBinaries builds the provider and the server once for the whole test binary.
func getBinaries(t testing.TB) binaries {
	t.Helper()
	buildOnce.Do(func() {
		start := time.Now()
		built, buildErr = buildBinaries()
		buildWall = time.Since(start)
	})
	if buildErr != nil {
		t.Fatalf("building the binaries: %v", buildErr)
	}
	return built
}

func buildBinaries() (binaries, error) {
	root, err := moduleRoot()
	if err != nil {
		return binaries{}, err
	}
	if tmpRoot, err = os.MkdirTemp("", "flero-reliability-"); err != nil {
		return binaries{}, err
	}
	b := binaries{
		PluginDir: filepath.Join(tmpRoot, "plugins"),
		Server:    filepath.Join(tmpRoot, "bin", "flero-server"),
		CLIConfig: filepath.Join(tmpRoot, "terraformrc"),
	}
	for _, target := range []struct{ out, pkg string }{
		{filepath.Join(b.PluginDir, "terraform-provider-flero"), "."},
		{b.Server, "./cmd/flero-server"},
	} {
		cmd := exec.Command("go", "build", "-o", target.out, target.pkg)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
		if out, err := cmd.CombinedOutput(); err != nil {
			return b, fmt.Errorf("go build %s: %v\n%s", target.pkg, err, out)
		}
	}
	cfg := fmt.Sprintf(`# Written by the reliability suites: flero/flero comes from the directory below,
# nothing is installed or downloaded.
disable_checkpoint = true

provider_installation {
  dev_overrides {
    "flero/flero" = %q
  }
  direct {}
}
`, b.PluginDir)
	return b, os.WriteFile(b.CLIConfig, []byte(cfg), 0o644)
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside the module")
	}
	return filepath.Dir(gomod), nil
}

// ---------------------------------------------------------------------------
// Terraform working directories

// workdir is one Terraform root module driven through the CLI.
type workdir struct {
	t     testing.TB
	Dir   string
	tf    string
	cli   string
	vars  map[string]string // FLERO_ENDPOINT, FLERO_TOKEN, extra TF_* settings
	runs  int
	trace string // TF_LOG_PATH when tracing
}

// providerHeader is the top of every configuration: the provider from the dev
// override, endpoint and token from the environment (never in a file).
const providerHeader = `terraform {
  required_providers {
    flero = {
      source = "flero/flero"
    }
  }
}

provider "flero" {%s}
`

// newWorkdir is an empty root module acting with token against endpoint.
func newWorkdir(t testing.TB, endpoint, token string) *workdir {
	t.Helper()
	tf := terraformBinary(t)
	b := getBinaries(t)
	return &workdir{t: t, Dir: t.TempDir(), tf: tf, cli: b.CLIConfig,
		vars: map[string]string{"FLERO_ENDPOINT": endpoint, "FLERO_TOKEN": token}}
}

// SetToken changes the token of the following commands.
func (w *workdir) SetToken(token string) { w.vars["FLERO_TOKEN"] = token }

// Trace turns TF_LOG=TRACE on for the following commands, into path.
func (w *workdir) Trace(path string) {
	w.trace = path
	w.vars["TF_LOG"] = "TRACE"
	w.vars["TF_LOG_PATH"] = path
}

// Write replaces main.tf: the provider header (with max_retries, or the provider's
// default when maxRetries < 0) and body.
func (w *workdir) Write(maxRetries int, body string) {
	w.t.Helper()
	retries := "\n"
	if maxRetries >= 0 {
		retries = fmt.Sprintf("\n  max_retries = %d\n", maxRetries)
	}
	src := fmt.Sprintf(providerHeader, retries) + body
	if err := os.WriteFile(filepath.Join(w.Dir, "main.tf"), []byte(src), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

func (w *workdir) environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "TF_") || strings.HasPrefix(k, "FLERO_") || k == "CHECKPOINT_DISABLE" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0", "TF_CLI_CONFIG_FILE="+w.cli)
	for k, v := range w.vars {
		env = append(env, k+"="+v)
	}
	return env
}

// tfRun is the outcome of one terraform command.
type tfRun struct {
	Args []string
	Exit int
	Out  string // stdout and stderr
	Wall time.Duration
}

func (r tfRun) String() string {
	return fmt.Sprintf("terraform %s: exit %d in %s", strings.Join(r.Args, " "), r.Exit, r.Wall.Round(time.Millisecond))
}

// command builds a terraform command; its output goes to out.
func (w *workdir) command(ctx context.Context, out *bytes.Buffer, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, w.tf, args...)
	cmd.Dir = w.Dir
	cmd.Env = w.environ()
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// Run runs terraform with args (-no-color and -input=false are added where they
// apply) and keeps its output in the working directory.
func (w *workdir) Run(args ...string) tfRun {
	w.t.Helper()
	args = withDefaults(args)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	var out bytes.Buffer
	start := time.Now()
	err := w.command(ctx, &out, args...).Run()
	r := tfRun{Args: args, Out: out.String(), Wall: time.Since(start)}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		r.Exit = exitErr.ExitCode()
	default:
		w.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	w.runs++
	_ = os.WriteFile(filepath.Join(w.Dir, fmt.Sprintf("run-%02d-%s.log", w.runs, args[0])), out.Bytes(), 0o644)
	return r
}

func withDefaults(args []string) []string {
	var flags []string
	switch args[0] {
	case "plan", "apply", "destroy", "import", "refresh":
		flags = append(flags, "-no-color", "-input=false")
	case "validate", "show", "output":
		flags = append(flags, "-no-color")
	}
	if args[0] == "apply" || args[0] == "destroy" {
		saved := len(args) > 1 && !strings.HasPrefix(args[len(args)-1], "-")
		if !saved {
			flags = append(flags, "-auto-approve")
		}
	}
	// Flags go before any positional argument (a saved plan file).
	out := append([]string{args[0]}, flags...)
	return append(out, args[1:]...)
}

// MustRun runs terraform and fails the test unless it exits 0.
func (w *workdir) MustRun(args ...string) tfRun {
	w.t.Helper()
	r := w.Run(args...)
	if r.Exit != 0 {
		w.t.Fatalf("%s\n%s", r, tail(r.Out, 60))
	}
	return r
}

// ApplyUntilConverged runs terraform apply until it exits 0, at most attempts times, and
// returns every run.
func (w *workdir) ApplyUntilConverged(attempts int) ([]tfRun, bool) {
	w.t.Helper()
	var runs []tfRun
	for i := 0; i < attempts; i++ {
		r := w.Run("apply")
		runs = append(runs, r)
		if r.Exit == 0 {
			return runs, true
		}
		w.t.Logf("apply %d of %d failed (%s):\n%s", i+1, attempts, r, errorLines(r.Out, 12))
	}
	return runs, false
}

// PlanIsEmpty runs terraform plan -detailed-exitcode and fails the test unless the
// plan has no change.
func (w *workdir) PlanIsEmpty() tfRun {
	w.t.Helper()
	r := w.Run("plan", "-detailed-exitcode")
	if r.Exit != 0 {
		w.t.Errorf("the plan after apply is not empty (%s):\n%s", r, tail(r.Out, 60))
	}
	return r
}

// ShowJSON returns terraform show -json of a plan file (or of the state with "").
func (w *workdir) ShowJSON(planFile string) map[string]any {
	w.t.Helper()
	args := []string{"show", "-json"}
	if planFile != "" {
		args = append(args, planFile)
	}
	r := w.MustRun(args...)
	var v map[string]any
	if err := json.Unmarshal([]byte(firstJSONLine(r.Out)), &v); err != nil {
		w.t.Fatalf("terraform show -json: %v\n%s", err, tail(r.Out, 20))
	}
	return v
}

func firstJSONLine(out string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "{") {
			return l
		}
	}
	return out
}

// stateResource is one managed resource instance of the local state.
type stateResource struct {
	Address string
	Type    string
	Attrs   map[string]any
}

// State reads terraform.tfstate.
func (w *workdir) State() []stateResource {
	w.t.Helper()
	b, err := os.ReadFile(filepath.Join(w.Dir, "terraform.tfstate"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		w.t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Mode, Type, Name string
			Instances        []struct {
				Attributes map[string]any `json:"attributes"`
			}
		}
	}
	if err := json.Unmarshal(b, &st); err != nil {
		w.t.Fatalf("terraform.tfstate: %v", err)
	}
	var out []stateResource
	for _, r := range st.Resources {
		if r.Mode != "managed" {
			continue
		}
		for _, in := range r.Instances {
			out = append(out, stateResource{Address: r.Type + "." + r.Name, Type: r.Type, Attrs: in.Attributes})
		}
	}
	return out
}

// StateID returns the id attribute of a resource address in the state.
func (w *workdir) StateID(addr string) string {
	w.t.Helper()
	for _, r := range w.State() {
		if r.Address == addr {
			id, _ := r.Attrs["id"].(string)
			return id
		}
	}
	w.t.Fatalf("%s is not in the state", addr)
	return ""
}

// ---------------------------------------------------------------------------
// Small helpers

func tail(s string, lines int) string {
	all := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}

var errorLineRe = regexp.MustCompile(`(?m)^(│ )?Error: .*$`)

// errorLines returns at most n "Error:" lines of a terraform output, with the line
// after each (which usually names the resource).
func errorLines(out string, n int) string {
	lines := strings.Split(out, "\n")
	var picked []string
	for i, l := range lines {
		if errorLineRe.MatchString(l) {
			p := l
			for j := i + 1; j < len(lines) && j <= i+3; j++ {
				if strings.Contains(lines[j], "with ") || strings.TrimSpace(strings.Trim(lines[j], "│ ")) != "" {
					p += " / " + strings.TrimSpace(strings.Trim(lines[j], "│ "))
				}
			}
			picked = append(picked, p)
			if len(picked) == n {
				break
			}
		}
	}
	return strings.Join(picked, "\n")
}

// adminClient is an API client for token with quick retries (out-of-band changes and
// checks, never under faults).
func apiClient(t testing.TB, endpoint, token string) *client.Client {
	t.Helper()
	c, err := client.New(client.Config{Endpoint: endpoint, Token: token, UserAgent: "flero-reliability",
		RetryMax: 10, RetryWaitMin: 20 * time.Millisecond, RetryWaitMax: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// figures collects the numbers a suite reports, printed once at the end of the test
// (RELIABILITY.md quotes them).
type figures struct {
	t    testing.TB
	name string
	kv   []string
}

func newFigures(t testing.TB, name string) *figures {
	f := &figures{t: t, name: name}
	t.Cleanup(func() {
		if len(f.kv) > 0 {
			t.Logf("FIGURES %s: %s", f.name, strings.Join(f.kv, ", "))
		}
	})
	return f
}

func (f *figures) Add(key string, value any) {
	if d, ok := value.(time.Duration); ok {
		value = d.Round(10 * time.Millisecond)
	}
	f.kv = append(f.kv, fmt.Sprintf("%s=%v", key, value))
}
