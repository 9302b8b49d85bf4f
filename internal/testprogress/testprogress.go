// Package testprogress turns `go test -json` into what a person watching `make test`
// needs: one line per package as it finishes (result, wall time, tests run), a line
// every so often naming the packages still running (so a long run on a busy machine
// never looks hung), the output of every failed test, and a final summary.
package testprogress

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
)

// event is one line of `go test -json` (cmd/test2json), build events included.
type event struct {
	Time        time.Time
	Action      string
	Package     string
	Test        string
	Elapsed     float64
	Output      string
	ImportPath  string // build-output, build-fail
	FailedBuild string // a package's result when its build failed
}

type pkgState struct {
	start                   time.Time
	passed, failed, skipped int      // top-level tests
	failedTests             []string // top-level and subtests, in order
	output                  map[string]*strings.Builder
	done                    bool
}

// Reporter consumes events and writes progress lines. Its methods are safe for
// concurrent use (Tick runs beside Consume).
type Reporter struct {
	mu       sync.Mutex
	out      io.Writer
	module   string // trimmed from package paths
	started  time.Time
	pkgs     map[string]*pkgState
	order    []string // packages in the order they finished
	results  map[string]string
	builds   map[string]*strings.Builder // build output by import path
	buildErr []string
	lastLine time.Time

	// Log, when set, receives the output of every test and build, as `go test -v`
	// would print it.
	Log io.Writer
}

// New returns a Reporter writing to out; module is trimmed from package paths.
func New(out io.Writer, module string, now time.Time) *Reporter {
	return &Reporter{out: out, module: module, started: now, lastLine: now,
		pkgs: map[string]*pkgState{}, results: map[string]string{}, builds: map[string]*strings.Builder{}}
}

func (r *Reporter) short(pkg string) string {
	if s := strings.TrimPrefix(pkg, r.module+"/"); s != pkg {
		return s
	}
	if pkg == r.module {
		return "."
	}
	return pkg
}

func (r *Reporter) pkg(name string, t time.Time) *pkgState {
	p := r.pkgs[name]
	if p == nil {
		p = &pkgState{start: t, output: map[string]*strings.Builder{}}
		r.pkgs[name] = p
	}
	return p
}

// Consume reads `go test -json` lines from in until EOF. Lines that are not JSON (a
// message of the go command) are written through.
func (r *Reporter) Consume(in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			r.mu.Lock()
			fmt.Fprintf(r.out, "%s\n", line)
			r.mu.Unlock()
			continue
		}
		r.Handle(e)
	}
	return sc.Err()
}

// Handle processes one event.
func (r *Reporter) Handle(e event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Log != nil && (e.Action == "output" || e.Action == "build-output") {
		_, _ = io.WriteString(r.Log, e.Output) // the log is a convenience; the progress lines are the report
	}
	switch e.Action {
	case "build-output":
		appendTo(r.builds, e.ImportPath, e.Output)
		return
	case "build-fail":
		r.buildErr = append(r.buildErr, e.ImportPath)
		return
	}
	if e.Package == "" {
		return
	}
	p := r.pkg(e.Package, e.Time)
	switch e.Action {
	case "output":
		appendTo(p.output, e.Test, e.Output)
	case "pass", "fail", "skip":
		if e.Test != "" {
			top := !strings.Contains(e.Test, "/")
			switch {
			case e.Action == "fail":
				p.failedTests = append(p.failedTests, e.Test)
				if top {
					p.failed++
				}
			case !top:
			case e.Action == "pass":
				p.passed++
			default:
				p.skipped++
			}
			return
		}
		r.finish(e, p)
	}
}

// appendTo appends text to the builder m[key], made on first use.
func appendTo(m map[string]*strings.Builder, key, text string) {
	b := m[key]
	if b == nil {
		b = &strings.Builder{}
		m[key] = b
	}
	b.WriteString(text)
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// finish prints a package's line (and, when it failed, its failed tests' output).
func (r *Reporter) finish(e event, p *pkgState) {
	p.done = true
	r.order = append(r.order, e.Package)
	result := map[string]string{"pass": "ok", "fail": "FAIL", "skip": "--"}[e.Action]
	r.results[e.Package] = result
	var what string
	switch {
	case e.FailedBuild != "":
		what = "build failed"
	case p.passed+p.failed+p.skipped == 0:
		what = "no tests"
	default:
		what = plural(p.passed+p.failed+p.skipped, "test")
		var notes []string
		if p.failed > 0 {
			notes = append(notes, fmt.Sprintf("%d failed", p.failed))
		}
		if p.skipped > 0 {
			notes = append(notes, fmt.Sprintf("%d skipped", p.skipped))
		}
		if len(notes) > 0 {
			what += " (" + strings.Join(notes, ", ") + ")"
		}
	}
	fmt.Fprintf(r.out, "%-4s  %-34s %7.1fs  %s\n", result, r.short(e.Package), e.Elapsed, what)
	r.lastLine = e.Time
	if e.Action != "fail" {
		return
	}
	if e.FailedBuild != "" {
		if b := r.builds[e.FailedBuild]; b != nil {
			fmt.Fprint(r.out, indent(b.String()))
		}
		return
	}
	shown := false
	for _, t := range p.failedTests {
		if b := p.output[t]; b != nil {
			fmt.Fprintf(r.out, "      --- %s\n%s", t, indent(b.String()))
			shown = true
		}
	}
	if b := p.output[""]; b != nil && (!shown || len(p.failedTests) == 0) {
		fmt.Fprint(r.out, indent(b.String())) // a panic, a timeout, a TestMain failure
	}
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return ""
	}
	return "        " + strings.ReplaceAll(s, "\n", "\n        ") + "\n"
}

// Tick prints, when no line was written for every, which packages are still running
// and for how long.
func (r *Reporter) Tick(now time.Time, every time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if now.Sub(r.lastLine) < every {
		return
	}
	var running []string
	for name, p := range r.pkgs {
		if !p.done {
			running = append(running, fmt.Sprintf("%s (%s, %d done)", r.short(name),
				now.Sub(p.start).Round(time.Second), p.passed+p.failed+p.skipped))
		}
	}
	if len(running) == 0 {
		return
	}
	sort.Strings(running)
	fmt.Fprintf(r.out, "      … %s elapsed, still running: %s\n", now.Sub(r.started).Round(time.Second), strings.Join(running, ", "))
	r.lastLine = now
}

// Summary prints the final line and reports whether everything passed.
func (r *Reporter) Summary(now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	var passed, failed, skipped int
	var failedPkgs []string
	for _, name := range r.order {
		p := r.pkgs[name]
		passed, failed, skipped = passed+p.passed, failed+p.failed, skipped+p.skipped
		if r.results[name] == "FAIL" {
			failedPkgs = append(failedPkgs, r.short(name))
		}
	}
	for _, ip := range r.buildErr {
		if _, reported := r.pkgs[ip]; !reported {
			failedPkgs = append(failedPkgs, r.short(ip)+" (build)")
			if b := r.builds[ip]; b != nil {
				fmt.Fprint(r.out, indent(b.String()))
			}
		}
	}
	var unfinished []string
	for name, p := range r.pkgs {
		if !p.done {
			unfinished = append(unfinished, r.short(name))
		}
	}
	sort.Strings(unfinished)
	ok := len(failedPkgs) == 0 && len(unfinished) == 0 && len(r.order) > 0
	verdict := "PASS"
	if !ok {
		verdict = "FAIL"
	}
	fmt.Fprintf(r.out, "%s: %s, %s passed, %d failed, %d skipped in %s",
		verdict, plural(len(r.order), "package"), plural(passed, "test"), failed, skipped, now.Sub(r.started).Round(time.Second))
	if len(failedPkgs) > 0 {
		fmt.Fprintf(r.out, "; failed: %s", strings.Join(failedPkgs, ", "))
	}
	if len(unfinished) > 0 {
		fmt.Fprintf(r.out, "; never finished: %s", strings.Join(unfinished, ", "))
	}
	fmt.Fprintln(r.out)
	return ok
}
