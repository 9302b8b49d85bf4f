package testprogress

import (
	"strings"
	"testing"
	"time"
)

const mod = "example.com/m"

var t0 = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)

func at(s float64) string {
	return t0.Add(time.Duration(s * float64(time.Second))).Format(time.RFC3339Nano)
}

// stream builds `go test -json` lines.
func stream(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

func ev(time, action, pkg, test string, rest string) string {
	s := `{"Time":"` + time + `","Action":"` + action + `","Package":"` + pkg + `"`
	if test != "" {
		s += `,"Test":"` + test + `"`
	}
	if rest != "" {
		s += "," + rest
	}
	return s + "}"
}

func TestReporterLinesAndSummary(t *testing.T) {
	in := stream(
		ev(at(0), "start", mod+"/a", "", ""),
		ev(at(0), "start", mod+"/b", "", ""),
		ev(at(0.1), "run", mod+"/a", "TestOne", ""),
		ev(at(0.2), "pass", mod+"/a", "TestOne", `"Elapsed":0.1`),
		ev(at(0.2), "run", mod+"/a", "TestTwo", ""),
		ev(at(0.2), "run", mod+"/a", "TestTwo/sub", ""),
		ev(at(0.3), "pass", mod+"/a", "TestTwo/sub", `"Elapsed":0.1`),
		ev(at(0.3), "skip", mod+"/a", "TestTwo", `"Elapsed":0.1`),
		ev(at(1.5), "pass", mod+"/a", "", `"Elapsed":1.5`),
		ev(at(1), "run", mod+"/b", "TestBad", ""),
		ev(at(1), "output", mod+"/b", "TestBad", `"Output":"    b_test.go:9: want 2, got 3\n"`),
		ev(at(1), "output", mod+"/b", "TestGood", `"Output":"    chatter of a passing test\n"`),
		ev(at(1), "fail", mod+"/b", "TestBad", `"Elapsed":0`),
		ev(at(1), "pass", mod+"/b", "TestGood", `"Elapsed":0`),
		ev(at(2), "fail", mod+"/b", "", `"Elapsed":2.25`),
		ev(at(2), "skip", mod+"/c", "", `"Elapsed":0`),
		"go: some message of the go command",
	)
	var out, log strings.Builder
	r := New(&out, mod, t0)
	r.Log = &log
	if err := r.Consume(strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	if r.Summary(t0.Add(65 * time.Second)) {
		t.Error("Summary reported success with a failed package")
	}
	got := out.String()
	for _, want := range []string{
		"ok    a                                      1.5s  2 tests (1 skipped)\n",
		"FAIL  b                                      2.2s  2 tests (1 failed)\n",
		"      --- TestBad\n            b_test.go:9: want 2, got 3\n",
		"--    c                                      0.0s  no tests\n",
		"go: some message of the go command\n",
		"FAIL: 3 packages, 2 tests passed, 1 failed, 1 skipped in 1m5s; failed: b\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "chatter of a passing test") {
		t.Errorf("a passing test's output was printed:\n%s", got)
	}
	if !strings.Contains(log.String(), "chatter of a passing test") || !strings.Contains(log.String(), "want 2, got 3") {
		t.Errorf("the log lacks the tests' output:\n%s", log.String())
	}
	// a line per package, in the order they finished
	if a, b := strings.Index(got, "ok    a"), strings.Index(got, "FAIL  b"); a < 0 || b < a {
		t.Errorf("packages not in finishing order:\n%s", got)
	}
}

func TestReporterPassAndBuildFailure(t *testing.T) {
	var out strings.Builder
	r := New(&out, mod, t0)
	r.Handle(event{Time: t0, Action: "start", Package: mod})
	r.Handle(event{Time: t0, Action: "pass", Package: mod, Test: "TestX"})
	r.Handle(event{Time: t0, Action: "pass", Package: mod, Elapsed: 0.5})
	if !r.Summary(t0.Add(time.Second)) || !strings.Contains(out.String(), "PASS: 1 package, 1 test passed, 0 failed, 0 skipped in 1s") {
		t.Errorf("one passing package:\n%s", out.String())
	}

	out.Reset()
	r = New(&out, mod, t0)
	r.Handle(event{Action: "build-output", ImportPath: mod + "/x [" + mod + "/x.test]", Output: "x/x.go:3:1: syntax error\n"})
	r.Handle(event{Action: "build-fail", ImportPath: mod + "/x [" + mod + "/x.test]"})
	r.Handle(event{Time: t0, Action: "start", Package: mod + "/x"})
	r.Handle(event{Time: t0, Action: "fail", Package: mod + "/x", FailedBuild: mod + "/x [" + mod + "/x.test]"})
	if r.Summary(t0) {
		t.Error("a build failure passed")
	}
	for _, want := range []string{"FAIL  x", "build failed", "x/x.go:3:1: syntax error", "failed: x"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestReporterTickNamesRunningPackages(t *testing.T) {
	var out strings.Builder
	r := New(&out, mod, t0)
	r.Handle(event{Time: t0, Action: "start", Package: mod + "/slow"})
	r.Handle(event{Time: t0, Action: "pass", Package: mod + "/slow", Test: "TestA"})
	r.Tick(t0.Add(10*time.Second), 30*time.Second)
	if out.Len() != 0 {
		t.Errorf("a tick before the interval printed %q", out.String())
	}
	r.Tick(t0.Add(31*time.Second), 30*time.Second)
	if want := "… 31s elapsed, still running: slow (31s, 1 done)\n"; !strings.Contains(out.String(), want) {
		t.Errorf("tick printed %q, want %q", out.String(), want)
	}
	r.Handle(event{Time: t0.Add(32 * time.Second), Action: "pass", Package: mod + "/slow", Elapsed: 32})
	out.Reset()
	r.Tick(t0.Add(90*time.Second), 30*time.Second)
	if out.Len() != 0 {
		t.Errorf("a tick with nothing running printed %q", out.String())
	}
	// A package that never finished (go test killed) fails the summary.
	r.Handle(event{Time: t0, Action: "start", Package: mod + "/hung"})
	if r.Summary(t0.Add(time.Minute)) || !strings.Contains(out.String(), "never finished: hung") {
		t.Errorf("an unfinished package:\n%s", out.String())
	}
}
