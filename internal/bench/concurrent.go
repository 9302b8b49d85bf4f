package bench

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/flero/terraform-provider-flero/internal/bench/rsswrap"
	"github.com/flero/terraform-provider-flero/internal/server"
)

// Token modes of the concurrent runs: every run with the same token (one user, one
// bucket of Rate requests/s), or each run with its own user's token (the server's
// limit is per user: one bucket each).
const (
	TokensShared = "shared"
	TokensPerRun = "per-run"
)

// ParseTokens parses -concurrent-tokens: shared, per-run, or both (shared first).
func ParseTokens(s string) ([]string, error) {
	switch strings.TrimSpace(s) {
	case TokensShared:
		return []string{TokensShared}, nil
	case TokensPerRun:
		return []string{TokensPerRun}, nil
	case "both", "shared,per-run":
		return []string{TokensShared, TokensPerRun}, nil
	}
	return nil, fmt.Errorf("-concurrent-tokens: %q is not shared, per-run or both", s)
}

// ParseSizes parses a comma-separated list of configuration sizes.
func ParseSizes(s string) ([]int, error) {
	var ns []int
	for _, f := range strings.Split(s, ",") {
		var n int
		if _, err := fmt.Sscanf(strings.TrimSpace(f), "%d", &n); err != nil || n < MinObjects || fmt.Sprint(n) != strings.TrimSpace(f) {
			return nil, fmt.Errorf("%q is not a size of at least %d", f, MinObjects)
		}
		ns = append(ns, n)
	}
	return ns, nil
}

// ConcurrentRun is one of the concurrent applies.
type ConcurrentRun struct {
	Index     int
	Wall      time.Duration
	Objects   int // in state after the apply
	Failed    int // objects of the configuration not in state
	ExitCode  int
	Accepted  int64
	Status429 int64
	Status5xx int64
	Share     float64 // accepted requests/s while every run was sending (see Shares)
	PeakRSS   int64   // KiB, its provider processes'
}

// ConcurrentResult is one concurrent mode: Runs applies at once under one limit.
type ConcurrentResult struct {
	Tokens     string
	Rate       float64
	Size       int
	Runs       []ConcurrentRun
	Throughput float64 // accepted requests/s of all runs together, first to last answer
	ShareRatio float64 // the largest share over the smallest
	Overlap    int     // seconds during which every run was answered
}

// Shares computes, from each run's accepted requests per second (aligned on a
// common start), the total accepted throughput (all requests over the seconds from
// the first answer of any run to the last), each run's share (its accepted
// requests/s over the seconds every run was being answered: from the latest first
// second to the earliest last one; a run's own active seconds when they do not
// overlap) and the ratio of the largest share to the smallest (0 when a run has
// none).
func Shares(perSecond [][]int64) (throughput float64, shares []float64, ratio float64, overlap int) {
	first, last := -1, -1
	lo, hi := -1, -1 // the overlap
	spans := make([][2]int, len(perSecond))
	var total int64
	for i, s := range perSecond {
		f, l := -1, -1
		for sec, v := range s {
			if v > 0 {
				if f < 0 {
					f = sec
				}
				l = sec
				total += v
			}
		}
		spans[i] = [2]int{f, l}
		if f < 0 {
			continue
		}
		if first < 0 || f < first {
			first = f
		}
		last = max(last, l)
		if i == 0 || lo < 0 {
			lo, hi = f, l
		} else {
			lo, hi = max(lo, f), min(hi, l)
		}
	}
	if first >= 0 {
		throughput = float64(total) / float64(last-first+1)
	}
	if lo >= 0 && hi >= lo {
		overlap = hi - lo + 1
	}
	shares = make([]float64, len(perSecond))
	for i, s := range perSecond {
		a, b := lo, hi
		if overlap == 0 {
			a, b = spans[i][0], spans[i][1]
		}
		if a < 0 || b < a {
			continue
		}
		var sum int64
		for sec := a; sec <= b && sec < len(s); sec++ {
			sum += s[sec]
		}
		shares[i] = float64(sum) / float64(b-a+1)
	}
	if len(shares) > 0 && slices.Min(shares) > 0 {
		ratio = slices.Max(shares) / slices.Min(shares)
	}
	return throughput, shares, ratio, overlap
}

// runCounter counts the answers one run receives, through its own reverse proxy in
// front of the shared server (the server counts all runs together).
type runCounter struct {
	start                        time.Time
	accepted, tooMany, serverErr atomic.Int64
	perSecond                    [maxSeconds]atomic.Int64
}

func (c *runCounter) count(status int) {
	switch {
	case status == http.StatusTooManyRequests:
		c.tooMany.Add(1)
		return
	case status >= 500:
		c.serverErr.Add(1)
	}
	c.accepted.Add(1)
	if sec := int(time.Since(c.start) / time.Second); sec >= 0 && sec < maxSeconds {
		c.perSecond[sec].Add(1)
	}
}

func (c *runCounter) series() []int64 {
	last := -1
	for i := range c.perSecond {
		if c.perSecond[i].Load() > 0 {
			last = i
		}
	}
	out := make([]int64, last+1)
	for i := range out {
		out[i] = c.perSecond[i].Load()
	}
	return out
}

// startProxy serves a counting reverse proxy to target on 127.0.0.1.
func startProxy(target string, c *runCounter) (string, func(), error) {
	u, err := url.Parse(target)
	if err != nil {
		return "", nil, err
	}
	p := httputil.NewSingleHostReverseProxy(u)
	p.ModifyResponse = func(resp *http.Response) error { c.count(resp.StatusCode); return nil }
	p.ErrorHandler = func(w http.ResponseWriter, _ *http.Request, err error) {
		c.count(http.StatusBadGateway)
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

// concurrent applies Concurrent configurations of ConcurrentSize objects, each in
// its own organization and working directory, at once against one server limited
// to Rate requests/s, with one token for all (TokensShared) or one per run.
func (r *runner) concurrent(ctx context.Context, mode string) (*ConcurrentResult, error) {
	k, n := r.opts.Concurrent, r.opts.ConcurrentSize
	base := filepath.Join(r.work, "concurrent-"+mode)
	if err := os.MkdirAll(filepath.Join(base, "server"), 0o755); err != nil {
		return nil, err
	}
	if !r.opts.Keep {
		defer os.RemoveAll(base)
	}
	srv, err := StartServer(filepath.Join(base, "server"), server.RateLimit{RPS: r.opts.Rate, Burst: r.opts.RateBurst})
	if err != nil {
		return nil, err
	}
	defer srv.Close()

	type run struct {
		dir, token, endpoint, rssDir string
		counter                      *runCounter
		stop                         func()
	}
	runs := make([]*run, k)
	for i := range runs {
		dir := filepath.Join(base, fmt.Sprintf("run%d", i+1))
		rr := &run{dir: dir, token: srv.Token, counter: &runCounter{}, rssDir: filepath.Join(dir, "rss")}
		if err := os.MkdirAll(rr.rssDir, 0o755); err != nil {
			return nil, err
		}
		spec, err := Generate(n, r.opts.Seed)
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), ConcurrentConfig(spec, i+1), 0o644); err != nil {
			return nil, err
		}
		if mode == TokensPerRun {
			if rr.token, err = srv.IssueToken(fmt.Sprintf("bench-run%d@bench.example.com", i+1)); err != nil {
				return nil, err
			}
		}
		if rr.endpoint, rr.stop, err = startProxy(srv.URL, rr.counter); err != nil {
			return nil, err
		}
		defer rr.stop()
		runs[i] = rr
	}

	fmt.Fprintf(r.out, "concurrent applies (%s token%s): %d runs × %d objects, server limited to %g requests/s per user (burst %s)\n",
		mode, map[bool]string{true: "", false: "s"}[mode == TokensShared], k, n, r.opts.Rate, burstName(r.opts.RateBurst))
	cr := &ConcurrentResult{Tokens: mode, Rate: r.opts.Rate, Size: n, Runs: make([]ConcurrentRun, k)}
	errs := make([]error, k)
	start := time.Now()
	var wg sync.WaitGroup
	for i, rr := range runs {
		rr.counter.start = start
		wg.Add(1)
		go func() {
			defer wg.Done()
			env := append(append(slices.Clone(r.tf.env), r.providerEnv[ConfigFlero]...),
				"FLERO_ENDPOINT="+rr.endpoint, "FLERO_TOKEN="+rr.token)
			if r.tf.rssDir != "" {
				env = append(env, rsswrap.EnvRSSDir+"="+rr.rssDir) // the last value wins
			}
			res, err := r.tf.run(ctx, rr.dir, filepath.Join(rr.dir, "apply.log"), env, r.tf.flags("apply", "-auto-approve")...)
			out := ConcurrentRun{Index: i + 1, Wall: res.Wall, ExitCode: res.ExitCode}
			if err == nil {
				out.Objects, err = stateResources(rr.dir)
			}
			if err == nil && r.tf.rssDir != "" {
				var u providerUsage
				if u, err = readRSS(rr.rssDir, 10*time.Second); err == nil {
					out.PeakRSS = u.PeakRSSKiB
				}
			}
			out.Failed = n - out.Objects
			if res.ExitCode != 0 {
				fmt.Fprintf(r.out, "--- run %d: %s (last lines) ---\n%s\n", i+1, res.Log, tail(res.Log, 20))
			}
			cr.Runs[i], errs[i] = out, err
		}()
	}
	wg.Wait()
	series := make([][]int64, k)
	for i, rr := range runs {
		c := rr.counter
		cr.Runs[i].Accepted, cr.Runs[i].Status429, cr.Runs[i].Status5xx = c.accepted.Load(), c.tooMany.Load(), c.serverErr.Load()
		series[i] = c.series()
	}
	var shares []float64
	cr.Throughput, shares, cr.ShareRatio, cr.Overlap = Shares(series)
	for i := range cr.Runs {
		cr.Runs[i].Share = shares[i]
	}
	fmt.Fprint(r.out, cr.Table())
	for _, err := range errs {
		if err != nil {
			return cr, err
		}
	}
	return cr, nil
}

// ConcurrentConfig is the tenancy configuration of run i: its own organization
// (bench-<N>-run<i>), the rest as Generate made it.
func ConcurrentConfig(spec *Spec, i int) []byte {
	sp := *spec
	sp.Objects = slices.Clone(spec.Objects)
	org := *sp.Objects[0]
	org.Attrs = with(org.Attrs, "name", strVal(fmt.Sprintf("bench-%d-run%d", spec.N, i)))
	sp.Objects[0] = &org
	// References point at the original organization object: render them by label,
	// which is the same.
	return sp.Flero(false)
}

// Table renders the concurrent mode's runs and totals as Markdown.
func (cr *ConcurrentResult) Table() string {
	var b strings.Builder
	limit := cr.Rate
	limitName := "R"
	if cr.Tokens == TokensPerRun {
		limit = cr.Rate * float64(len(cr.Runs))
		limitName = fmt.Sprintf("%d × R", len(cr.Runs))
	}
	fmt.Fprintf(&b, "\nConcurrent applies, %s token%s: %d runs × %d objects, R = %g requests/s per user.\n\n",
		cr.Tokens, map[bool]string{true: "", false: "s"}[cr.Tokens == TokensShared], len(cr.Runs), cr.Size, cr.Rate)
	b.WriteString("| run | wall s | objects | failed resources | exit code | accepted requests | 429s seen | 5xx | share, requests/s | provider peak RSS |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	var failed int
	var tooMany int64
	for _, r := range cr.Runs {
		failed += r.Failed
		tooMany += r.Status429
		fmt.Fprintf(&b, "| %d | %.2f | %d | %d | %d | %d | %d | %d | %.1f | %s |\n", r.Index, r.Wall.Seconds(), r.Objects, r.Failed, r.ExitCode,
			r.Accepted, r.Status429, r.Status5xx, r.Share, mib(float64(r.PeakRSS)/1024))
	}
	fmt.Fprintf(&b, "\nTotal: %d failed resources, %d 429s; accepted throughput %.1f requests/s = %.2f × R", failed, tooMany, cr.Throughput, cr.Throughput/cr.Rate)
	if limitName != "R" {
		fmt.Fprintf(&b, " = %.2f of the runs' combined limit (%s)", cr.Throughput/limit, limitName)
	}
	fmt.Fprintf(&b, "; max/min share %.2f (shares over the %d s every run was answered).\n", cr.ShareRatio, cr.Overlap)
	return b.String()
}
