package reliability

import (
	"fmt"
	"testing"
	"time"
)

// objectRows counts the rows of every table the provider creates (organization
// memberships include the creators').
func objectRows(t testing.TB, dbPath string) int {
	t.Helper()
	n := 0
	for _, table := range []string{"organizations", "org_memberships", "workspaces", "teams", "team_memberships", "workspace_memberships", "credentials"} {
		n += countRows(t, dbPath, table)
	}
	return n
}

// TestCrashMidApply kills the server (a real flero-server process) with SIGKILL in the
// middle of terraform apply, once in make test and at three points in make test-long,
// and starts it again on the same database and port. The apply that was running either
// rides it out (the client retries refused connections, and a create whose answer was
// lost is replayed from its Idempotency-Key) or fails; the next applies converge (at
// most 3), and then the database holds exactly the configuration, passes PRAGMA
// integrity_check and foreign_key_check, and the next plan is empty.
func TestCrashMidApply(t *testing.T) {
	terraformBinary(t)
	t.Parallel()
	fig := newFigures(t, "crash")
	// Latency keeps the apply long enough to be killed in its middle.
	srv := startServerProc(t, "--fault-latency", "30ms")
	tn := newTenancy(1)
	killAt := []float64{0.4}
	if longMode() {
		tn = newTenancy(5)
		killAt = []float64{0.25, 0.5, 0.75}
	}
	fig.Add("objects", tn.Objects())
	w := newWorkdir(t, srv.URL, srv.Token)
	w.Write(-1, tn.HCL())
	total := len(tn.Expected()) // rows once applied, users included; close enough to pace the kills

	start := time.Now()
	var bg *background
	var interrupted []tfRun
	for i, frac := range killAt {
		if bg == nil || !bg.Running() {
			if bg != nil {
				interrupted = append(interrupted, bg.Wait())
			}
			bg = w.Start("apply")
		}
		target := int(frac * float64(total))
		deadline := time.Now().Add(5 * time.Minute)
		rows := 0
		for rows = objectRows(t, srv.DB); rows < target; rows = objectRows(t, srv.DB) {
			if !bg.Running() {
				r := bg.Wait()
				t.Fatalf("kill %d: apply ended (%s) before %d rows were written (%d): nothing was killed mid-apply\n%s",
					i+1, r, target, rows, tail(r.Out, 30))
			}
			if time.Now().After(deadline) {
				t.Fatalf("kill %d: only %d of %d rows after 5 minutes", i+1, rows, target)
			}
			time.Sleep(10 * time.Millisecond)
		}
		srv.Kill()
		fig.Add(fmt.Sprintf("kill%d_rows", i+1), rows)
		time.Sleep(500 * time.Millisecond) // down for a moment, as when a supervisor restarts it
		srv.Start()
	}
	interrupted = append(interrupted, bg.Wait())
	for i, r := range interrupted {
		fig.Add(fmt.Sprintf("interrupted_apply%d_exit", i+1), r.Exit)
		if r.Exit != 0 {
			t.Logf("interrupted apply %d failed (%s):\n%s", i+1, r, errorLines(r.Out, 8))
		}
	}

	runs, ok := w.ApplyUntilConverged(3)
	fig.Add("applies_after_restart", len(runs))
	fig.Add("wall", time.Since(start))
	if !ok {
		t.Fatal("terraform apply did not converge in 3 runs after the restart")
	}
	dups, orphans := serverMatches(t, srv.DB, tn.Expected())
	fig.Add("duplicates", dups)
	fig.Add("orphans", orphans)
	if got := len(w.State()); got != tn.Objects() {
		t.Errorf("state has %d resource instances, the configuration %d", got, tn.Objects())
	}
	verdict, fk := integrityCheck(t, srv.DB)
	fig.Add("integrity_check", verdict)
	fig.Add("foreign_key_problems", fk)
	if verdict != "ok" || fk != 0 {
		t.Errorf("database after SIGKILL: integrity_check %q, %d foreign key problems", verdict, fk)
	}
	w.PlanIsEmpty()
	fig.Add("server_starts", srv.Starts)
}
