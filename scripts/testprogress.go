//go:build ignore

// testprogress runs `go test -json ARGS...` and prints one line per package as it
// finishes (result, wall time, tests run), a line naming the packages still running
// when nothing finished for 30 s, the output of every failed test, and a summary. The
// whole verbose output goes to a log file whose path it prints first.
//
//	go run scripts/testprogress.go [-log FILE] [go test flags and packages]
//
// The log is a new $TMPDIR/flero-test-*.log unless -log names one.
//
// `make test` runs it. The exit status is go test's (1 when a package failed).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/flero/terraform-provider-flero/internal/testprogress"
)

func main() {
	args := os.Args[1:]
	var log *os.File
	var err error
	if len(args) >= 2 && args[0] == "-log" {
		log, err = os.Create(args[1])
		args = args[2:]
	} else {
		log, err = os.CreateTemp("", "flero-test-*.log")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "testprogress:", err)
		os.Exit(2)
	}
	defer log.Close()
	logPath := log.Name()

	module := "github.com/flero/terraform-provider-flero"
	if out, err := exec.Command("go", "list", "-m").Output(); err == nil {
		module = strings.TrimSpace(string(out))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd := exec.CommandContext(ctx, "go", append([]string{"test", "-json"}, args...)...)
	cmd.Stderr = os.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "testprogress:", err)
		os.Exit(2)
	}
	fmt.Printf("go test %s\n", strings.Join(args, " "))
	fmt.Printf("one line per package as it finishes; the full output goes to %s\n", logPath)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "testprogress:", err)
		os.Exit(2)
	}

	r := testprogress.New(os.Stdout, module, start)
	r.Log = log
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				r.Tick(now, 30*time.Second)
			}
		}
	}()
	if err := r.Consume(stdout); err != nil {
		fmt.Fprintln(os.Stderr, "testprogress: reading go test's output:", err)
	}
	close(done)
	werr := cmd.Wait()
	ok := r.Summary(time.Now())
	fmt.Printf("full output: %s\n", logPath)

	var exit *exec.ExitError
	switch {
	case errors.As(werr, &exit) && exit.ExitCode() > 0:
		os.Exit(exit.ExitCode())
	case werr != nil:
		fmt.Fprintln(os.Stderr, "testprogress:", werr)
		os.Exit(1)
	case !ok:
		os.Exit(1)
	}
}
