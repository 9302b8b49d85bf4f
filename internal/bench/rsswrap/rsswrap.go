// Package rsswrap is the provider wrapper of flero-bench: it runs the real provider
// as its child and records the child's peak RSS. It imports nothing heavy, so that
// it starts in a few milliseconds (it starts every time Terraform starts the
// provider).
package rsswrap

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
)

// The provider's peak RSS is measured exactly: the dev_overrides directory holds a
// terraform-provider-flero that is this wrapper (cmd/flero-bench/rsswrap). It starts
// the real provider (EnvProvider) with the same arguments, standard streams and
// environment, waits for it, and writes the child's ru_maxrss (the kernel's
// high-water mark of its resident set, from wait4) and CPU times to <pid>.rss in
// EnvRSSDir, after
// announcing itself with <pid>.start. Sampling /proc would miss a peak between
// samples.
const (
	EnvProvider = "FLERO_BENCH_PROVIDER" // the real provider binary
	EnvRSSDir   = "FLERO_BENCH_RSS_DIR"  // where each wrapper writes <pid>.start and <pid>.rss
)

// Main runs the wrapper and returns the exit code to exit with.
func Main() int {
	provider, rssDir := os.Getenv(EnvProvider), os.Getenv(EnvRSSDir)
	if provider == "" {
		fmt.Fprintln(os.Stderr, "flero-bench wrapper: "+EnvProvider+" is not set")
		return 1
	}
	// Pdeathsig is bound to the thread that starts the child: keep it.
	runtime.LockOSThread()
	cmd := exec.Command(provider, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlive the wrapper
	// go-plugin servers ignore interrupts; pass termination on.
	signal.Ignore(os.Interrupt)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	if rssDir != "" {
		// Announce the process, so the bench waits for its figure.
		_ = os.WriteFile(filepath.Join(rssDir, strconv.Itoa(os.Getpid())+".start"), nil, 0o644)
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "flero-bench wrapper: start %s: %v\n", provider, err)
		if rssDir != "" {
			_ = os.WriteFile(filepath.Join(rssDir, strconv.Itoa(os.Getpid())+".rss"), []byte("0\n"), 0o644)
		}
		return 1
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s) // the child may have exited already
		}
	}()
	_ = cmd.Wait()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && rssDir != "" {
		// Linux reports ru_maxrss in KiB.
		f := filepath.Join(rssDir, strconv.Itoa(os.Getpid())+".rss")
		// "<peak RSS KiB> <user CPU µs> <system CPU µs>"
		line := fmt.Sprintf("%d %d %d\n", ru.Maxrss, ru.Utime.Nano()/1000, ru.Stime.Nano()/1000)
		_ = os.WriteFile(f, []byte(line), 0o644)
	}
	if code := cmd.ProcessState.ExitCode(); code >= 0 {
		return code
	}
	return 1
}
