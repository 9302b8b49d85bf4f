package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// TestShortTokenOnTheCommandLineIsRefused: a --token shorter than 32 characters is
// refused with an explanation, before anything is opened.
func TestShortTokenOnTheCommandLineIsRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "flero.db")
	cmd := exec.Command(binary, "--addr", "127.0.0.1:0", "--db", db, "--token", "short-token")
	cmd.Env = append(os.Environ(), "FLERO_TOKEN=", "FLERO_TOKEN_FILE=")
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Fatalf("exit: %v, want status 2; output:\n%s", err, out)
	}
	if !strings.Contains(string(out), "at least 32 characters") || strings.Contains(string(out), "short-token") {
		t.Errorf("the refusal should explain the length and not echo the token:\n%s", out)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("the database was created although the token was refused: %v", err)
	}
}

// TestBootstrapTokenFromFile: --token-file and FLERO_TOKEN_FILE give the bootstrap
// token, which never appears on the command line; with --token too, it is refused.
func TestBootstrapTokenFromFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	token := "flr_token-from-a-file-0123456789abcdef"
	if err := os.WriteFile(file, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "flero.db")
	p := start(t, "--db", db, "--token-file", file)
	var me api.Me
	if st, _ := call(t, p.url, token, "GET", "/v1/me", "", &me); st != 200 || !me.PlatformAdmin {
		t.Fatalf("token from --token-file: %d %+v", st, me)
	}
	p.kill9(t)

	// The variable, on the existing database: a second bootstrap token.
	other := "flr_token-from-the-variable-0123456789"
	if err := os.WriteFile(file, []byte(other), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FLERO_TOKEN_FILE", file)
	p = start(t, "--db", db)
	if st, _ := call(t, p.url, other, "GET", "/v1/me", "", &me); st != 200 || !me.PlatformAdmin {
		t.Fatalf("token from FLERO_TOKEN_FILE: %d %+v", st, me)
	}
	p.kill9(t)

	cmd := exec.Command(binary, "--addr", "127.0.0.1:0", "--db", db, "--token", token+"-long-enough", "--token-file", file)
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "not both") {
		t.Fatalf("--token with --token-file: %v\n%s", err, out)
	}
}
