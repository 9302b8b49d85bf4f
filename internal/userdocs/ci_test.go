package userdocs

import (
	"bufio"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// workflowStep is one step of a GitHub Actions job that runs a script.
type workflowStep struct {
	name, dir, run, cond string
}

// runSteps reads the steps with a `run: |` block from a workflow file: a parser of the
// little YAML that examples/ci/github-actions.yml uses (the test fails if it finds
// fewer steps than expected).
func runSteps(t *testing.T, yml string) []workflowStep {
	t.Helper()
	var steps []workflowStep
	var cur *workflowStep
	lines := bufio.NewScanner(strings.NewReader(yml))
	var pending []string
	for lines.Scan() {
		pending = append(pending, lines.Text())
	}
	indent := func(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }
	for i := 0; i < len(pending); i++ {
		line := pending[i]
		trim := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trim, "- name: ") || trim == "- uses:" || strings.HasPrefix(trim, "- uses: "):
			if cur != nil {
				steps = append(steps, *cur)
			}
			cur = &workflowStep{name: strings.TrimPrefix(trim, "- name: ")}
		case cur == nil:
		case strings.HasPrefix(trim, "working-directory: "):
			cur.dir = strings.TrimPrefix(trim, "working-directory: ")
		case strings.HasPrefix(trim, "if: "):
			cur.cond = strings.TrimPrefix(trim, "if: ")
		case trim == "run: |":
			base := indent(line)
			var body []string
			for i+1 < len(pending) && (strings.TrimSpace(pending[i+1]) == "" || indent(pending[i+1]) > base) {
				i++
				body = append(body, pending[i])
			}
			strip := -1
			for _, b := range body {
				if strings.TrimSpace(b) != "" && (strip < 0 || indent(b) < strip) {
					strip = indent(b)
				}
			}
			for j, b := range body {
				if len(b) >= strip {
					body[j] = b[strip:]
				}
			}
			cur.run = strings.Join(body, "\n") + "\n"
		case strings.HasPrefix(trim, "run: "):
			cur.run = strings.TrimPrefix(trim, "run: ") + "\n"
		}
	}
	if cur != nil {
		steps = append(steps, *cur)
	}
	var runs []workflowStep
	for _, s := range steps {
		if s.run != "" {
			runs = append(runs, s)
		}
	}
	return runs
}

// TestCIWorkflowRunsAgainstTheReferenceServer runs the script steps of
// examples/ci/github-actions.yml as GitHub Actions would, on this machine: the
// provider's checkout is this repository, the module is examples/ci; the only change
// is the server's address (127.0.0.1:0 instead of the fixed 8080, as tests run in
// parallel). The server starts through examples/ci/start-flero-server.sh, and
// `terraform test` applies the module against it and destroys it.
func TestCIWorkflowRunsAgainstTheReferenceServer(t *testing.T) {
	tf := acceptanceTerraform(t)
	steps := runSteps(t, readFile(t, "examples/ci/github-actions.yml"))
	if len(steps) != 5 {
		t.Fatalf("found %d run steps in examples/ci/github-actions.yml, want 5: %+v", len(steps), steps)
	}

	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	work, runner, ghEnv := filepath.Join(tmp, "module"), filepath.Join(tmp, "runner"), filepath.Join(tmp, "github-env")
	if err := os.CopyFS(work, os.DirFS(filepath.Join(root, "examples", "ci"))); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(root, filepath.Join(work, ".flero")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(runner, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ghEnv, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { // whatever happens, the server stops
		if b, err := os.ReadFile(filepath.Join(runner, "flero", "server.pid")); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
				_ = syscall.Kill(pid, syscall.SIGKILL) // gone already after the workflow's last step
			}
		}
	})

	var all strings.Builder
	failed := false
	for _, s := range steps {
		if s.cond == "failure()" && !failed {
			continue
		}
		script := strings.ReplaceAll(s.run, "FLERO_ADDR=127.0.0.1:8080", "FLERO_ADDR=127.0.0.1:0")
		extra := []string{"HOME=" + tmp, "RUNNER_TEMP=" + runner, "GITHUB_ENV=" + ghEnv, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"}
		if b, err := os.ReadFile(ghEnv); err == nil {
			for _, kv := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				if kv != "" {
					extra = append(extra, kv)
				}
			}
		}
		dir := work
		if s.dir != "" {
			dir = filepath.Join(work, s.dir)
		}
		out, err := runBash(t, script, dir, recipeEnv(t, tf, extra...), false)
		all.WriteString("---- " + s.name + " ----\n" + out)
		if err != nil {
			t.Errorf("step %q failed: %v", s.name, err)
			failed = true
		}
	}
	o := all.String()
	if failed {
		t.Fatalf("the workflow failed:\n%s", o)
	}
	if !strings.Contains(o, "Success! 1 passed, 0 failed.") {
		t.Errorf("terraform test did not pass:\n%s", o)
	}
	env, _ := os.ReadFile(ghEnv)
	if !strings.Contains(string(env), "FLERO_ENDPOINT=http://127.0.0.1:") {
		t.Errorf("GITHUB_ENV lacks the endpoint:\n%s", env)
	}
}

func TestRunSteps(t *testing.T) {
	yml := `jobs:
  x:
    steps:
      - uses: actions/checkout@v4
      - name: Build
        working-directory: sub
        run: |
          echo one
            indented
          cat <<EOF
          a
          EOF
      - name: Log
        if: failure()
        run: cat log
`
	got := runSteps(t, yml)
	if len(got) != 2 {
		t.Fatalf("steps = %+v", got)
	}
	if got[0].name != "Build" || got[0].dir != "sub" || got[0].run != "echo one\n  indented\ncat <<EOF\na\nEOF\n" {
		t.Errorf("first step = %+v", got[0])
	}
	if got[1].name != "Log" || got[1].cond != "failure()" || got[1].run != "cat log\n" {
		t.Errorf("second step = %+v", got[1])
	}
}

// TestStartServerScriptFailsFast: examples/ci/start-flero-server.sh ends at once, with
// the server's log, when the server cannot start (its database cannot be opened, or
// its fixed port is taken), instead of waiting out FLERO_READY_TIMEOUT.
func TestStartServerScriptFailsFast(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the server")
	}
	tmp := t.TempDir()
	server := filepath.Join(tmp, "flero-server")
	if out, err := exec.Command("go", "build", "-o", server, filepath.Join(repoRoot, "cmd", "flero-server")).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	script, err := filepath.Abs(filepath.Join(repoRoot, "examples", "ci", "start-flero-server.sh"))
	if err != nil {
		t.Fatal(err)
	}
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()

	for _, tc := range []struct {
		name, addr, want string
		setup            func(dir string) error
	}{
		{"database cannot be opened", "127.0.0.1:0", `"msg":"open database"`,
			func(dir string) error { return os.MkdirAll(filepath.Join(dir, "flero.db"), 0o755) }}, // a directory, not a file
		{"port taken", taken.Addr().String(), `"msg":"listen"`, func(string) error { return nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "flero")
			if err := tc.setup(dir); err != nil {
				t.Fatal(err)
			}
			// The timeout is far longer than a failure may take: a script that waits
			// it out instead of noticing the exit fails the test's deadline.
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, script, server, dir)
			cmd.Env = append(os.Environ(), "FLERO_TOKEN=flero_ci_"+strings.Repeat("ab", 24), "FLERO_ADDR="+tc.addr, "FLERO_READY_TIMEOUT=600")
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if ctx.Err() != nil {
				t.Fatalf("the script did not notice the server's exit:\n%s", stderr.String())
			}
			if err == nil || stdout.Len() != 0 {
				t.Errorf("the script succeeded (%v) or printed an endpoint %q", err, stdout.String())
			}
			if e := stderr.String(); !strings.Contains(e, "flero-server exited with status 1 before it was ready") || !strings.Contains(e, tc.want) {
				t.Errorf("stderr lacks the exit and the server's log line %s:\n%s", tc.want, e)
			}
		})
	}
}
