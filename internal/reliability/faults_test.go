package reliability

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/server"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// issue8Faults are the faults of issue 8: 30% of requests answered 503 or 429 before
// anything is done (15% each), and 10% of the writes that reach the database
// committed, then the connection dropped without an answer.
var issue8Faults = server.Faults{
	ErrorRate:           0.15,
	RateLimitRate:       0.15 / 0.85, // of the requests left after the 503s: 15% overall
	RetryAfter:          time.Second,
	DropAfterCommitRate: 0.10,
}

// faultRetries is the provider's max_retries under these faults. A request fails for
// good when every attempt meets a fault: with 30% of answers failed (37% of writes,
// counting the dropped commits), that is 0.3^5 = 0.24% of requests with the provider's
// default of 4 retries, enough to fail most applies of a few hundred requests (and a
// create whose every answer was lost leaves an object Terraform does not know). With
// 10 retries it is 0.3^11 ≈ 2e-6 (0.37^11 ≈ 2e-5 for a write).
// FLERO_FAULT_RETRIES overrides it (-1: the provider's default), to measure.
const faultRetries = 10

func faultRetriesSetting() int {
	if n, err := strconv.Atoi(os.Getenv("FLERO_FAULT_RETRIES")); err == nil {
		return n
	}
	return faultRetries
}

// faultOrgs is how many 40-object organizations the convergence suite applies: 1 in
// make test, 5 (200 objects) in make test-long; FLERO_FAULT_ORGS overrides both.
func faultOrgs() int {
	if n, err := strconv.Atoi(os.Getenv("FLERO_FAULT_ORGS")); err == nil && n > 0 {
		return n
	}
	if longMode() {
		return 5
	}
	return 1
}

// TestConvergenceUnderFaults applies a tenancy of every resource type while the server
// fails 30% of the requests (503/429) and drops the answer of 10% of the committed
// writes. terraform apply runs until it exits 0, at most 3 times; then the database
// holds exactly the configuration (no duplicate, no orphan, nothing missing, every
// attribute as configured), the state has one instance per object, and the next plan
// (still under faults) is empty. In make test-long, a second round changes every
// description under the same faults (updates with If-Match whose answers may be
// dropped) and a third destroys everything.
func TestConvergenceUnderFaults(t *testing.T) {
	terraformBinary(t)
	t.Parallel()
	srv := testserver.Start(t, testserver.WithFaults(issue8Faults))
	fig := newFigures(t, "faults")
	tn := newTenancy(faultOrgs())
	fig.Add("objects", tn.Objects())
	fig.Add("error_rate", 0.30)
	fig.Add("drop_after_commit_rate", issue8Faults.DropAfterCommitRate)
	retries := faultRetriesSetting()
	fig.Add("max_retries", retries)

	w := newWorkdir(t, srv.URL, srv.AdminToken)
	w.Write(retries, tn.HCL())

	// Round 1: create.
	converge(t, w, srv, fig, "create", tn)
	if got := len(w.State()); got != tn.Objects() {
		t.Errorf("state has %d resource instances, the configuration %d", got, tn.Objects())
	}
	planUnderFaults(t, w, fig, "create")

	if !longMode() {
		fig.Add("requests_total", srv.TotalRequests())
		return // make test: the create round; make test-long also updates and destroys
	}

	// Round 2: update every description.
	tn.Description = "changed under faults"
	w.Write(retries, tn.HCL())
	converge(t, w, srv, fig, "update", tn)
	planUnderFaults(t, w, fig, "update")

	// Round 3: destroy.
	start := time.Now()
	destroys := 0
	for destroys < 3 {
		destroys++
		r := w.Run("destroy")
		if r.Exit == 0 {
			break
		}
		t.Logf("destroy %d failed:\n%s", destroys, errorLines(r.Out, 12))
	}
	fig.Add("destroy_runs", destroys)
	fig.Add("destroy_wall", time.Since(start))
	dups, orphans := serverMatches(t, srv.DBPath, usersOf(tn.Expected()))
	fig.Add("destroy_duplicates", dups)
	fig.Add("destroy_orphans", orphans)
	fig.Add("requests_total", srv.TotalRequests())
}

// converge applies until exit 0 (at most 3 runs) and checks the server's contents.
func converge(t *testing.T, w *workdir, srv *testserver.Server, fig *figures, round string, tn *tenancy) {
	t.Helper()
	start := time.Now()
	runs, ok := w.ApplyUntilConverged(3)
	fig.Add(round+"_applies", len(runs))
	fig.Add(round+"_wall", time.Since(start))
	for i, r := range runs {
		fig.Add(round+"_apply"+strconv.Itoa(i+1)+"_exit", r.Exit)
	}
	if !ok {
		t.Fatalf("%s: terraform apply did not converge in 3 runs", round)
	}
	dups, orphans := serverMatches(t, srv.DBPath, tn.Expected())
	fig.Add(round+"_duplicates", dups)
	fig.Add(round+"_orphans", orphans)
}

// planUnderFaults runs terraform plan -detailed-exitcode with the faults still on: it
// must say "no changes" (exit 0). An exit 1 (an error: every retry of a request
// failed) is retried, at most 3 runs in all; an exit 2 (changes) fails the test.
func planUnderFaults(t *testing.T, w *workdir, fig *figures, round string) {
	t.Helper()
	for i := 1; i <= 3; i++ {
		r := w.Run("plan", "-detailed-exitcode")
		switch r.Exit {
		case 0:
			fig.Add(round+"_plan_runs", i)
			return
		case 2:
			t.Fatalf("%s: the plan after apply is not empty:\n%s", round, tail(r.Out, 80))
		}
		t.Logf("%s: plan %d failed:\n%s", round, i, errorLines(r.Out, 8))
	}
	t.Fatalf("%s: terraform plan failed 3 times under faults", round)
}

// usersOf keeps the users of an inventory: what remains after a destroy (users are
// never deleted; memberships, workspaces, teams, credentials and organizations are).
func usersOf(inv inventory) inventory {
	out := inventory{}
	for k, v := range inv {
		if len(k) > 5 && k[:5] == "user " {
			out[k] = v
		}
	}
	return out
}
