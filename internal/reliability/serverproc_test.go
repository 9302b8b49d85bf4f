package reliability

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/store"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// serverProc is the reference server run as its own process (cmd/flero-server), so
// that a test can kill it with SIGKILL and start it again on the same database and
// port.
type serverProc struct {
	t      testing.TB
	bin    string
	DB     string // a SQLite file or a PostgreSQL URL
	Dir    string // the ready file's directory
	Addr   string // 127.0.0.1:port, fixed by the first start
	URL    string
	Token  string // the bootstrap platform admin's token
	Log    string // the server's standard output and error, every run appended
	flags  []string
	cmd    *exec.Cmd
	done   chan struct{}
	hold   *testserver.PortHold // while killed
	Starts int
}

// startServerProc starts flero-server on a new database in a temporary directory,
// with extra flags (faults), and stops it when the test ends.
func startServerProc(t testing.TB, flags ...string) *serverProc {
	t.Helper()
	dir := t.TempDir()
	p := &serverProc{t: t, bin: getBinaries(t).Server, DB: filepath.Join(dir, "flero.db"), Dir: dir, Addr: "127.0.0.1:0",
		Token: store.NewToken(), Log: filepath.Join(dir, "server.log"), flags: flags}
	p.Start()
	t.Cleanup(p.Stop)
	return p
}

// Start runs the server (again) and waits until it listens.
func (p *serverProc) Start() {
	p.t.Helper()
	ready := filepath.Join(p.Dir, "ready")
	os.Remove(ready)
	logf, err := os.OpenFile(p.Log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		p.t.Fatal(err)
	}
	args := append([]string{"--addr", p.Addr, "--db", p.DB, "--ready-file", ready}, p.flags...)
	cmd := exec.Command(p.bin, args...)
	// The token goes through the environment, not the command line (ps would show it).
	cmd.Env = append(os.Environ(), "FLERO_TOKEN="+p.Token)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		p.t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); logf.Close(); close(done) }()
	p.cmd, p.done = cmd, done
	p.Starts++

	deadline := time.Now().Add(20 * time.Second)
	for {
		b, err := os.ReadFile(ready)
		if err == nil && strings.HasPrefix(string(b), "http://") {
			p.URL = strings.TrimSpace(string(b))
			p.Addr = strings.TrimPrefix(p.URL, "http://")
			if p.hold != nil {
				p.hold.Release()
				p.hold = nil
			}
			return
		}
		select {
		case <-done:
			p.t.Fatalf("flero-server exited at start:\n%s", tail(p.readLog(), 20))
		default:
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("flero-server did not listen within 20s:\n%s", tail(p.readLog(), 20))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Kill sends SIGKILL (no shutdown, no checkpoint) and waits for the process to end.
func (p *serverProc) Kill() {
	p.t.Helper()
	if p.cmd == nil {
		return
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		p.t.Fatal(err)
	}
	<-p.done
	p.cmd = nil
	// Down until Start: the port refuses connections and stays this server's.
	p.hold = testserver.HoldPort(p.t, p.Addr)
}

// Stop shuts the server down gracefully (SIGTERM), killing it after 10 s.
func (p *serverProc) Stop() {
	if p.cmd == nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
	p.cmd = nil
}

func (p *serverProc) readLog() string {
	b, _ := os.ReadFile(p.Log)
	return string(b)
}

// background is a terraform command running while the test does something else.
type background struct {
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan struct{}
	err  error
	wall time.Duration
}

// Start runs terraform with args in the background.
func (w *workdir) Start(args ...string) *background {
	w.t.Helper()
	args = withDefaults(args)
	bg := &background{out: &bytes.Buffer{}, done: make(chan struct{})}
	bg.cmd = w.command(context.Background(), bg.out, args...)
	start := time.Now()
	if err := bg.cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	go func() {
		bg.err = bg.cmd.Wait()
		bg.wall = time.Since(start)
		close(bg.done)
	}()
	return bg
}

// Wait waits for the command and returns its outcome.
func (bg *background) Wait() tfRun {
	<-bg.done
	r := tfRun{Args: bg.cmd.Args[1:], Out: bg.out.String(), Wall: bg.wall}
	var exitErr *exec.ExitError
	if errors.As(bg.err, &exitErr) {
		r.Exit = exitErr.ExitCode()
	} else if bg.err != nil {
		r.Exit = -1
		r.Out += fmt.Sprintf("\n(%v)", bg.err)
	}
	return r
}

// Running reports whether the command still runs.
func (bg *background) Running() bool {
	select {
	case <-bg.done:
		return false
	default:
		return true
	}
}
