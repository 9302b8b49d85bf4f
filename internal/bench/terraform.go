package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// terraform drives the terraform CLI as a subprocess: no init (the flero provider and
// the protocol floor's come from a dev_overrides CLI configuration, terraform_data is
// built in), no
// network (checkpoint off, and the CLI configuration has no installation method
// that could download anything).
type terraform struct {
	bin         string
	env         []string
	parallelism int
	rssDir      string // "" when peak RSS is not measured
}

// writeCLIConfig writes a CLI configuration whose only provider installation method
// is a dev override of flero/flero, of the protocol floor's flero/benchfloor and of
// the real peer's hashicorp/time to devDir.
func writeCLIConfig(path, devDir string) error {
	src := fmt.Sprintf(`# Written by flero-bench. Nothing is ever installed or downloaded: flero/flero, the
# protocol floor's provider and the real peer (hashicorp/time) come from the
# directory below, terraform_data is built into Terraform.
disable_checkpoint = true

provider_installation {
  dev_overrides {
    "flero/flero" = %[1]q
    %[2]q = %[1]q
    %[3]q = %[1]q
  }
}
`, devDir, ProtocolSource, PeerSource)
	return os.WriteFile(path, []byte(src), 0o644)
}

// terraformEnv is the environment of every terraform run: the bench's own without
// anything that would change Terraform's behaviour (TF_LOG, TF_CLI_ARGS, …), plus the
// fixed settings and extra.
func terraformEnv(cliConfig string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "TF_") || k == "CHECKPOINT_DISABLE" || strings.HasPrefix(k, "FLERO_") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0", "TF_CLI_CONFIG_FILE="+cliConfig)
	return append(env, extra...)
}

// tfResult is one terraform command's outcome.
type tfResult struct {
	Wall     time.Duration
	ExitCode int
	Errors   int // "Error:" diagnostics in the output
	Log      string
	CPU      time.Duration
}

// run runs terraform with args in dir, its output appended to logPath.
func (tf *terraform) run(ctx context.Context, dir, logPath string, env []string, args ...string) (tfResult, error) {
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return tfResult{}, err
	}
	defer logf.Close()
	fmt.Fprintf(logf, "\n$ terraform %s\n", strings.Join(args, " "))
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, tf.bin, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err = cmd.Run()
	res := tfResult{Wall: time.Since(start), Log: logPath}
	if cmd.ProcessState != nil {
		// terraform's own CPU plus that of the children it waited for (the providers).
		res.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	_, _ = logf.Write(out.Bytes()) // the log is a convenience; the result does not depend on it
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		res.ExitCode = exitErr.ExitCode()
	default:
		return res, err
	}
	sc := bufio.NewScanner(&out)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.Contains(sc.Text(), "Error: ") {
			res.Errors++
		}
	}
	return res, ctx.Err()
}

func (tf *terraform) flags(extra ...string) []string {
	return append(extra, "-input=false", "-no-color", fmt.Sprintf("-parallelism=%d", tf.parallelism))
}

// stateResources counts the managed resource instances in dir's local state.
func stateResources(dir string) (int, error) {
	b, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var st struct {
		Resources []struct {
			Mode      string            `json:"mode"`
			Instances []json.RawMessage `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return 0, fmt.Errorf("bench: %s: %w", filepath.Join(dir, "terraform.tfstate"), err)
	}
	n := 0
	for _, r := range st.Resources {
		if r.Mode == "managed" {
			n += len(r.Instances)
		}
	}
	return n, nil
}

// tail returns the last lines of a file, for error reports.
func tail(path string, lines int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	all := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}
