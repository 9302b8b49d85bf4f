package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/store"
)

// The tests in this file build the real binary and run it as a subprocess.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "flero-server-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "flero-server")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		os.RemoveAll(dir)
		panic("go build: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type proc struct {
	cmd *exec.Cmd
	url string
	out *bytes.Buffer // stdout
	err *bytes.Buffer // stderr (logs)
}

// start runs the server and waits for its "listening on" line.
func start(t *testing.T, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "FLERO_TOKEN=", "FLERO_ENCRYPTION_KEY=")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, out: &bytes.Buffer{}, err: &bytes.Buffer{}}
	cmd.Stderr = p.err
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			p.out.WriteString(line + "\n")
			if u, ok := strings.CutPrefix(line, "listening on "); ok {
				ready <- u
			}
		}
		close(ready)
	}()
	select {
	case u, ok := <-ready:
		if !ok {
			cmd.Wait()
			t.Fatalf("server exited before listening: %s", p.err)
		}
		p.url = u
	case <-time.After(20 * time.Second):
		t.Fatalf("server not listening after 20s: %s", p.err)
	}
	return p
}

func (p *proc) kill9(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()
}

// call sends a request and decodes a JSON answer into out (if not nil).
func call(t *testing.T, url, token, method, path, body string, out any, headers ...string) (int, http.Header) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, url+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	if resp.StatusCode >= 300 {
		t.Logf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	return resp.StatusCode, resp.Header
}

const secretValue = "xoxb-DURABLE-SECRET-VALUE-0123456789"

func TestDurabilityAcrossKill9(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "flero.db")
	token := "flr_bootstrap-token-for-the-durability-test-0001"
	p := start(t, "--db", db, "--token", token)

	var org api.Organization
	if st, _ := call(t, p.url, token, "POST", "/v1/organizations", `{"name":"durable","plan":"enterprise"}`, &org); st != 201 {
		t.Fatalf("create organization: %d", st)
	}
	var ws api.Workspace
	call(t, p.url, token, "POST", "/v1/organizations/"+org.ID+"/workspaces", `{"name":"prod","custom_domain":"flows.example.com"}`, &ws)
	var cred api.Credential
	if st, _ := call(t, p.url, token, "POST", "/v1/workspaces/"+ws.ID+"/credentials",
		`{"name":"slack","type":"slack","scope":"organization","data":{"token":"`+secretValue+`"}}`, &cred); st != 201 {
		t.Fatalf("create credential: %d", st)
	}
	viewerTok, err := exec.Command(binary, "token", "create", "--db", db, "--email", "viewer@example.com").Output()
	if err != nil {
		t.Fatalf("token create: %v", err)
	}
	viewer := strings.TrimSpace(string(viewerTok))
	var me api.Me
	if st, _ := call(t, p.url, viewer, "GET", "/v1/me", "", &me); st != 200 || me.Email != "viewer@example.com" || me.PlatformAdmin {
		t.Fatalf("viewer token: %d %+v", st, me)
	}

	// Drop after commit: the create is committed, the client gets no answer.
	p.kill9(t)
	p = start(t, "--db", db, "--fault-drop-after-commit-rate", "1")
	req, _ := http.NewRequest("POST", p.url+"/v1/organizations/"+org.ID+"/teams", strings.NewReader(`{"name":"ops"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", "team-ops-1")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("expected a dropped connection, got %d", resp.StatusCode)
	}
	p.kill9(t)

	// Nothing written in the clear: not the tokens, not the credential data.
	var all []byte
	for _, f := range []string{db, db + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("after kill -9: %v", err) // the WAL is left behind by a killed process
		}
		all = append(all, b...)
		for name, secret := range map[string]string{"bootstrap token": token, "viewer token": viewer, "credential value": secretValue} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s found in %s", name, filepath.Base(f))
			}
		}
	}
	if !bytes.Contains(all, []byte("durable")) || !bytes.Contains(all, []byte(store.HashToken(token))) {
		t.Fatal("positive control: the organization name and the token hash should be in the files")
	}
	if fi, err := os.Stat(db); err == nil && fi.Mode().Perm() != 0o600 {
		t.Errorf("database mode %v", fi.Mode().Perm())
	}
	if fi, err := os.Stat(store.KeyFile(db)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v %v", err, fi)
	}

	// Everything is still there after the kills, and the retried create replays.
	p = start(t, "--db", db)
	var got api.Credential
	if st, h := call(t, p.url, token, "GET", "/v1/credentials/"+cred.ID, "", &got); st != 200 || got.Name != "slack" || h.Get("ETag") != `"1"` {
		t.Fatalf("credential after restart: %d %+v", st, got)
	}
	var tr api.CredentialTestResult
	if st, _ := call(t, p.url, token, "POST", "/v1/credentials/"+cred.ID+"/test", "", &tr); st != 200 || !tr.OK {
		t.Fatalf("credential test after restart: %d %+v", st, tr)
	}
	var team api.Team
	st, h := call(t, p.url, token, "POST", "/v1/organizations/"+org.ID+"/teams", `{"name":"ops"}`, &team, "Idempotency-Key", "team-ops-1")
	if st != 201 || h.Get(api.HeaderIdempotentReplay) != "true" || team.Name != "ops" {
		t.Fatalf("replay after drop and kill: %d %v %+v", st, h, team)
	}
	var teams api.Page[api.Team]
	call(t, p.url, token, "GET", "/v1/organizations/"+org.ID+"/teams", "", &teams)
	if len(teams.Items) != 1 || teams.Items[0].ID != team.ID {
		t.Fatalf("teams: %+v", teams.Items)
	}
	if st, _ := call(t, p.url, viewer, "GET", "/v1/me", "", nil); st != 200 {
		t.Fatalf("viewer token after restart: %d", st)
	}
	// Graceful stop, then the file checks out.
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("graceful stop: %v; logs %s", err, p.err)
	}
	s, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if res, err := s.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Fatalf("integrity_check: %q %v", res, err)
	}
	// The logs are JSON lines with the route and never hold a token.
	logs := p.err.String()
	if !strings.Contains(logs, `"route":"/v1/credentials/{credential_id}"`) || strings.Contains(logs, token) || strings.Contains(logs, secretValue) {
		t.Errorf("request logs: %s", logs)
	}
}

func TestGeneratedTokenAndWrongKey(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "flero.db")
	p := start(t, "--db", db)
	line := strings.SplitN(p.out.String(), "\n", 2)[0]
	tok, ok := strings.CutPrefix(line, "bootstrap admin token (shown once): ")
	if !ok {
		t.Fatalf("first line %q", line)
	}
	var me api.Me
	if st, _ := call(t, p.url, tok, "GET", "/v1/me", "", &me); st != 200 || !me.PlatformAdmin {
		t.Fatalf("generated token: %d %+v", st, me)
	}
	p.cmd.Process.Signal(syscall.SIGINT)
	p.cmd.Wait()
	// A restart does not print another token.
	p = start(t, "--db", db)
	if strings.Contains(p.out.String(), "bootstrap admin token") {
		t.Errorf("token printed again: %s", p.out)
	}
	p.kill9(t)
	// Another key than the database's is refused at start.
	cmd := exec.Command(binary, "--addr", "127.0.0.1:0", "--db", db, "--encryption-key", strings.Repeat("ab", 32))
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "encryption key does not match") {
		t.Fatalf("wrong key accepted: %v %s", err, out)
	}
}

// TestUnwritableDatabaseExitsAtOnce: a database the server cannot create (a missing
// directory, or a "directory" that is a file: unwritable even for root) ends the
// server at once with a non-zero status and an error naming the file; it never
// listens nor writes its ready file, so a CI recipe waiting on the ready file fails
// fast instead of waiting out its timeout.
func TestUnwritableDatabaseExitsAtOnce(t *testing.T) {
	dir := t.TempDir()
	notADir := filepath.Join(dir, "file")
	if err := os.WriteFile(notADir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, db := range []string{filepath.Join(dir, "missing", "flero.db"), filepath.Join(notADir, "flero.db")} {
		ready := filepath.Join(dir, "ready")
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		cmd := exec.CommandContext(ctx, binary, "--addr", "127.0.0.1:0", "--db", db, "--ready-file", ready)
		cmd.Env = append(os.Environ(), "FLERO_TOKEN=", "FLERO_ENCRYPTION_KEY=")
		out, err := cmd.CombinedOutput()
		cancel()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() == 0 {
			t.Errorf("--db %s: exit %v, want a non-zero status\n%s", db, err, out)
		}
		if !strings.Contains(string(out), `"msg":"open database"`) || !strings.Contains(string(out), db) {
			t.Errorf("--db %s: the error does not name the database:\n%s", db, out)
		}
		if strings.Contains(string(out), "listening on") {
			t.Errorf("--db %s: the server listened:\n%s", db, out)
		}
		if _, err := os.Stat(ready); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("--db %s: the ready file exists (%v)", db, err)
		}
	}
}
