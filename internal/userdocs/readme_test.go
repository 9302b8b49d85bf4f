package userdocs

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// repoRoot is the repository's top directory (tests run in their package's directory).
const repoRoot = "../.."

func readFile(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// section returns the markdown from the "## title" heading to the next "## " heading.
func section(t *testing.T, md, title string) string {
	t.Helper()
	start := strings.Index(md, "\n## "+title+"\n")
	if start < 0 {
		t.Fatalf("README.md has no %q section", "## "+title)
	}
	rest := md[start+1:]
	if end := strings.Index(rest[1:], "\n## "); end >= 0 {
		rest = rest[:end+1]
	}
	return rest
}

// fenced returns the bodies of the ```lang blocks of md, in order.
func fenced(md, lang string) []string {
	re := regexp.MustCompile("(?ms)^```" + regexp.QuoteMeta(lang) + "\n(.*?)^```$")
	var out []string
	for _, m := range re.FindAllStringSubmatch(md, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestFencedAndSection(t *testing.T) {
	md := "intro\n## A\ntext\n```sh\necho 1\n```\n```hcl\nx = 1\n```\n```sh\necho 2\necho 3\n```\n## B\n```sh\necho 4\n```\n"
	got := fenced(section(t, md, "A"), "sh")
	if len(got) != 2 || got[0] != "echo 1\n" || got[1] != "echo 2\necho 3\n" {
		t.Errorf("sh blocks of section A = %q", got)
	}
}

// TestReadmeLocalBuildRecipe runs the shell blocks of README.md's "Use a local build"
// section, read from the README, in one bash, as a user pasting them on a fresh clone
// would: make install, a fresh reference server, the dev_overrides plan, apply and
// destroy, then the filesystem mirror's init, plan, apply and destroy. HOME and GOBIN
// are temporary directories, so nothing of the user's is touched.
func TestReadmeLocalBuildRecipe(t *testing.T) {
	tf := acceptanceTerraform(t)

	blocks := fenced(section(t, readFile(t, "README.md"), "Use a local build"), "sh")
	script := strings.Join(blocks, "\n")
	for _, step := range []string{"make install", "flero-server", "dev_overrides", "filesystem_mirror",
		"terraform -chdir=config init", "terraform -chdir=config plan",
		"terraform -chdir=config apply", "terraform -chdir=config destroy"} {
		if !strings.Contains(script, step) {
			t.Fatalf("the README's local-build recipe lost %q; its shell blocks:\n%s", step, script)
		}
	}

	home, gobin := t.TempDir(), t.TempDir()
	env := recipeEnv(t, tf, "HOME="+home, "GOBIN="+gobin,
		"FLERO_ADDR=127.0.0.1:0") // the README's server would take 8080; tests run in parallel

	out, err := runBash(t, script, repoRoot, env, true)
	serverLog, _ := os.ReadFile(filepath.Join(home, "flero-dev", "server.log"))
	if err != nil {
		t.Fatalf("the README's local-build recipe failed: %v\n---- output ----\n%s\n---- server.log ----\n%s", err, out, serverLog)
	}

	o := out
	for _, want := range []struct {
		text string
		n    int
	}{
		{"Provider development overrides are in effect", 1}, // 4a uses the fresh build
		{"Terraform has been successfully initialized!", 1}, // 4b's init, from the mirror
		{"Plan: 3 to add, 0 to change, 0 to destroy.", 4},   // plan and apply, 4a and 4b
		{"Apply complete! Resources: 3 added, 0 changed, 0 destroyed.", 2},
		{"Destroy complete! Resources: 3 destroyed.", 2},
	} {
		if got := strings.Count(o, want.text); got < want.n {
			t.Errorf("the recipe's output holds %q %d times, want %d\n---- output ----\n%s", want.text, got, want.n, o)
		}
	}
	if _, err := os.Stat(filepath.Join(gobin, "terraform-provider-flero")); err != nil {
		t.Errorf("make install did not put the provider in GOBIN: %v", err)
	}
}

// TestReadmeHCLSetsNoEndpointLiteral: a literal endpoint in the README's HCL would win
// over FLERO_ENDPOINT for whoever copies it.
func TestReadmeHCLSetsNoEndpointLiteral(t *testing.T) {
	readme := readFile(t, "README.md")
	literal := regexp.MustCompile(`(?m)^\s*endpoint\s*=\s*"`)
	blocks := append(fenced(readme, "hcl"), fenced(readme, "sh")...)
	if len(blocks) < 5 {
		t.Fatalf("found only %d hcl/sh blocks in README.md", len(blocks))
	}
	for _, b := range blocks {
		if literal.MatchString(b) {
			t.Errorf("README.md's HCL sets endpoint to a literal; use FLERO_ENDPOINT or a variable:\n%s", b)
		}
	}
	if !literal.MatchString("provider \"flero\" {\n  endpoint = \"https://api.flero.example\"\n}") {
		t.Error("the check does not catch a literal endpoint")
	}
}

// acceptanceTerraform skips the test unless acceptance tests are on (TF_ACC, as make
// test sets it) and returns TF_ACC_TERRAFORM_PATH.
func acceptanceTerraform(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the provider and runs terraform")
	}
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs terraform: needs TF_ACC=1 (make test, make testacc)")
	}
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if !filepath.IsAbs(tf) {
		t.Fatalf("TF_ACC_TERRAFORM_PATH must be the absolute path of terraform, got %q", tf)
	}
	return tf
}

// recipeEnv is a clean environment for a recipe a user would paste: terraform (tf) on
// PATH as "terraform", Go's caches where they are, none of the caller's FLERO_* and
// TF_* variables, then extra.
func recipeEnv(t *testing.T, tf string, extra ...string) []string {
	t.Helper()
	tfbin := t.TempDir()
	if err := os.Symlink(tf, filepath.Join(tfbin, "terraform")); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"PATH=" + tfbin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"GOTOOLCHAIN=local", "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0",
	}
	// Go's caches and module path stay where they are (HOME may move).
	for _, k := range []string{"GOPATH", "GOCACHE", "GOMODCACHE", "GOFLAGS", "GOPROXY", "GONOSUMDB", "GOSUMDB"} {
		out, err := exec.Command("go", "env", k).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", k, err)
		}
		env = append(env, k+"="+strings.TrimSpace(string(out)))
	}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "FLERO_"), strings.HasPrefix(k, "TF_"), strings.HasPrefix(k, "GO"),
			strings.HasPrefix(k, "MAKE"), k == "MFLAGS", k == "PATH":
			// the recipe's own, or set above
		default:
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// runBash runs script with bash -euo pipefail in dir, in a process group of its own,
// and returns its output without terraform's colours. A recipe starts a server in the
// background: with stopLeftovers, whatever is left of the group is stopped when the
// script ends (a CI step's background processes live on until the job ends).
func runBash(t *testing.T, script, dir string, env []string, stopLeftovers bool) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = dir
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	err := cmd.Run()
	if stopLeftovers && cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	}
	return regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(out.String(), ""), err
}
