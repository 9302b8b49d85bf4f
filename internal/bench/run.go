package bench

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/flero/terraform-provider-flero/internal/bench/rsswrap"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/server"
)

// Options configure a bench run.
type Options struct {
	Ns          []int   // configuration sizes
	Rounds      int     // rounds of every phase for both configurations
	Parallelism int     // terraform -parallelism
	Seed        uint64  // generator seed
	Rate        float64 // requests/s of the rate-limited run; 0: no such run
	RateBurst   int     // bucket size of the rate-limited run; 0: the server's default (ceil(Rate))
	RateN       int     // objects of the rate-limited apply
	RateOnly    bool    // only the rate-limited run

	Terraform string // terraform binary
	Provider  string // a built provider binary; "": build it from ModuleDir
	ModuleDir string // the module root (to build the provider)
	WorkDir   string // "": a new temporary directory
	Keep      bool   // keep WorkDir
	NoRSS     bool   // run the provider without the RSS wrapper
	Verbose   bool   // requests per route for every run
	// NoProtocol leaves out the protocol floor (the benchfloor_data configuration).
	NoProtocol bool
	// NoPeer leaves out the real peer (time_static of hashicorp/time); PeerBinary
	// is its binary ("": the cache, installed there with go install if missing).
	NoPeer     bool
	PeerBinary string
	// NoFloor leaves out the terraform_data floor; Only lists the phases to run (nil:
	// all four, in their order). Both serve the large sizes, where a phase of every
	// configuration takes many minutes: a run of flero alone measures the provider's
	// own cost (its CPU, requests and peak RSS per object) beside Terraform's.
	NoFloor bool
	Only    []string
	// Concurrent > 0 runs only the concurrent mode: Concurrent applies of
	// ConcurrentSize objects each, in as many organizations and working
	// directories, at once against one server limited to Rate requests/s, once for
	// each of ConcurrentTokens (TokensShared, TokensPerRun).
	Concurrent       int
	ConcurrentSize   int
	ConcurrentTokens []string

	Out io.Writer
}

// Phases of a run, in order.
const (
	PhaseApply   = "apply"
	PhasePlan    = "plan"   // a no-change plan (refresh)
	PhaseChange  = "change" // a plan+apply that changes 10% of the objects
	PhaseDestroy = "destroy"
)

// Phases lists them in order.
var Phases = []string{PhaseApply, PhasePlan, PhaseChange, PhaseDestroy}

// Configurations: the tenancy, the terraform_data floor (Terraform core alone), and
// the protocol floor (the same resources served by a minimal framework provider,
// package floorprovider).
const (
	ConfigFlero    = "flero"
	ConfigFloor    = "floor"
	ConfigProtocol = "protocol"
	ConfigPeer     = "peer" // the real peer: time_static resources of hashicorp/time
)

// Sample is one terraform command of one configuration.
type Sample struct {
	Config    string
	N         int
	Phase     string
	Round     int
	Wall      time.Duration
	Load1     float64 // 1-minute load average when the command started
	ExitCode  int
	Errors    int
	Resources int // in state afterwards
	// Server side (zero for the floors, which make no API request).
	Stats Stats
	// The provider processes' peak RSS (KiB) and how many ran.
	PeakRSSKiB int64
	Providers  int
	// CPU time of terraform itself, of the provider processes, and of the in-process
	// server (the bench process, idle otherwise) during the command.
	TerraformCPU, ProviderCPU, ServerCPU time.Duration
	// Problems seen (unexpected exit code, plan not empty, wrong resource count).
	Problems []string
	log      string
}

// RateResult is the rate-limited apply.
type RateResult struct {
	N         int
	Rate      float64
	Burst     int
	Sample    Sample
	Achieved  float64 // accepted requests/s between the first and the last answer
	OverWall  float64 // accepted requests/s over the whole terraform apply
	FailedRes int     // objects not in state after the apply
	// ClientLoop is the provider's API client alone against the same limit.
	ClientLoop *ClientLoop
	Terraform  string
	StartLoad1 float64
}

// Result is everything a bench run measured.
type Result struct {
	Options          Options
	TerraformVersion string
	Started, Ended   time.Time
	CPUs             int
	Samples          []Sample
	Rate             *RateResult
	Concurrent       []*ConcurrentResult
	LoadBefore       string
	LoadAfter        string
}

type runner struct {
	opts      Options
	tf        *terraform
	cliConfig string
	work      string
	provider  string
	out       io.Writer
	// configs are the configurations every phase runs, and providerEnv the
	// environment each needs on top of tf.env (which provider the RSS wrapper starts).
	configs     []string
	providerEnv map[string][]string
}

// Run runs the bench.
func Run(ctx context.Context, opts Options) (*Result, error) {
	if opts.Out == nil {
		opts.Out = io.Discard
	}
	if opts.Rounds < 1 {
		opts.Rounds = 1
	}
	if opts.Parallelism < 1 {
		opts.Parallelism = 10
	}
	r := &runner{opts: opts, out: opts.Out, configs: []string{ConfigFlero}, providerEnv: map[string][]string{}}
	rounds := !opts.RateOnly && opts.Concurrent == 0
	if !opts.NoFloor || !rounds {
		r.configs = append(r.configs, ConfigFloor)
	}
	if !opts.NoProtocol && rounds {
		r.configs = append(r.configs, ConfigProtocol)
	}
	if !opts.NoPeer && rounds {
		r.configs = append(r.configs, ConfigPeer)
	}
	res := &Result{Options: opts, Started: time.Now(), LoadBefore: loadavg()}

	var err error
	if r.work = opts.WorkDir; r.work == "" {
		if r.work, err = os.MkdirTemp("", "flero-bench-"); err != nil {
			return nil, err
		}
	} else if err := os.MkdirAll(r.work, 0o755); err != nil {
		return nil, err
	}
	if !opts.Keep {
		defer os.RemoveAll(r.work)
	} else {
		fmt.Fprintf(r.out, "work directory (kept): %s\n", r.work)
	}
	if err := r.setup(ctx, res); err != nil {
		return nil, err
	}

	if opts.Concurrent > 0 {
		for _, mode := range opts.ConcurrentTokens {
			cr, err := r.concurrent(ctx, mode)
			if cr != nil {
				res.Concurrent = append(res.Concurrent, cr)
			}
			if err != nil {
				return res, err
			}
		}
		res.Ended, res.LoadAfter = time.Now(), loadavg()
		return res, nil
	}
	if !opts.RateOnly {
		for round := 1; round <= opts.Rounds; round++ {
			for _, n := range opts.Ns {
				samples, err := r.round(ctx, round, n)
				res.Samples = append(res.Samples, samples...)
				if err != nil {
					return res, err
				}
			}
		}
	}
	if opts.Rate > 0 {
		rr, err := r.rateLimited(ctx)
		res.Rate = rr
		if err != nil {
			return res, err
		}
	}
	res.Ended, res.LoadAfter = time.Now(), loadavg()
	return res, nil
}

// setup builds the provider (and the protocol floor's), lays out the dev_overrides
// directory (through the RSS wrapper) and the CLI configuration, and checks
// terraform.
func (r *runner) setup(ctx context.Context, res *Result) error {
	bin := filepath.Join(r.work, "bin")
	dev := filepath.Join(r.work, "dev")
	rssDir := filepath.Join(r.work, "rss")
	for _, d := range []string{bin, dev, rssDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}

	build := func(out, pkg string) error {
		start := time.Now()
		cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
		cmd.Dir = r.opts.ModuleDir
		cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
		if b, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("bench: go build -o %s %s: %w\n%s", out, pkg, err, b)
		}
		fmt.Fprintf(r.out, "built %s (%s) in %s\n", pkg, filepath.Base(out), time.Since(start).Round(time.Millisecond))
		return nil
	}
	r.provider = r.opts.Provider
	if r.provider == "" {
		r.provider = filepath.Join(bin, "terraform-provider-flero")
		if err := build(r.provider, "."); err != nil {
			return err
		}
	}
	abs, err := filepath.Abs(r.provider)
	if err != nil {
		return err
	}
	r.provider = abs
	providers := map[string]string{ConfigFlero: r.provider} // configuration -> provider binary
	names := map[string]string{ConfigFlero: "terraform-provider-flero"}
	if slices.Contains(r.configs, ConfigProtocol) {
		// The protocol floor's provider, always built from the module.
		p := filepath.Join(bin, "terraform-provider-"+ProtocolProvider)
		if err := build(p, "./cmd/flero-bench/floorprovider"); err != nil {
			return err
		}
		providers[ConfigProtocol], names[ConfigProtocol] = p, "terraform-provider-"+ProtocolProvider
	}
	if slices.Contains(r.configs, ConfigPeer) {
		p, err := r.installPeer(ctx)
		if err != nil {
			return err
		}
		providers[ConfigPeer], names[ConfigPeer] = p, "terraform-provider-"+PeerProvider
	}

	// The dev_overrides directory holds the providers themselves, or the wrapper that
	// records their peak RSS (a small binary of its own: it starts with every provider
	// process, so it must start fast) under each provider's name; the wrapper starts
	// the provider of the configuration being run (providerEnv).
	var extra []string
	wrapper := ""
	if r.opts.NoRSS {
		rssDir = ""
	} else {
		wrapper = filepath.Join(bin, "rsswrap")
		if err := build(wrapper, "./cmd/flero-bench/rsswrap"); err != nil {
			return err
		}
		extra = append(extra, rsswrap.EnvRSSDir+"="+rssDir)
	}
	for cfg, p := range providers {
		link := filepath.Join(dev, names[cfg])
		if wrapper == "" {
			if err := os.Symlink(p, link); err != nil {
				return err
			}
			continue
		}
		if err := copyFile(wrapper, link); err != nil {
			return err
		}
		r.providerEnv[cfg] = []string{rsswrap.EnvProvider + "=" + p}
	}

	r.cliConfig = filepath.Join(r.work, "terraformrc")
	if err := writeCLIConfig(r.cliConfig, dev); err != nil {
		return err
	}
	r.tf = &terraform{bin: r.opts.Terraform, env: terraformEnv(r.cliConfig, extra...), parallelism: r.opts.Parallelism, rssDir: rssDir}

	cmd := exec.CommandContext(ctx, r.tf.bin, "version")
	cmd.Env = r.tf.env
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("bench: %s version: %w", r.tf.bin, err)
	}
	res.TerraformVersion = strings.SplitN(strings.TrimSpace(string(out)), "\n", 2)[0]
	res.CPUs = numCPU()
	fmt.Fprintf(r.out, "%s, %d CPUs, load %s\n", res.TerraformVersion, res.CPUs, res.LoadBefore)
	return nil
}

// round runs the four phases of one size for every configuration on a fresh
// database, rotating the order of the configurations phase by phase (with two,
// which goes first alternates).
func (r *runner) round(ctx context.Context, round, n int) ([]Sample, error) {
	spec, err := Generate(n, r.opts.Seed)
	if err != nil {
		return nil, err
	}
	base := filepath.Join(r.work, fmt.Sprintf("r%d-n%d", round, n))
	dirs := map[string]string{}
	for _, cfg := range r.configs {
		dirs[cfg] = filepath.Join(base, cfg)
	}
	for _, d := range append([]string{filepath.Join(base, "server")}, slices.Collect(maps.Values(dirs))...) {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	if !r.opts.Keep {
		defer os.RemoveAll(base)
	}
	srv, err := StartServer(filepath.Join(base, "server"), server.RateLimit{})
	if err != nil {
		return nil, err
	}
	defer srv.Close()

	render := map[string]func(bool) []byte{ConfigFlero: spec.Flero, ConfigFloor: spec.Floor, ConfigProtocol: spec.Protocol, ConfigPeer: spec.Peer}
	write := func(changed bool) error {
		for cfg, dir := range dirs {
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), render[cfg](changed), 0o644); err != nil {
				return err
			}
		}
		return nil
	}
	if err := write(false); err != nil {
		return nil, err
	}

	var samples []Sample
	for i, phase := range Phases {
		if r.opts.Only != nil && !slices.Contains(r.opts.Only, phase) {
			continue
		}
		if phase == PhaseChange {
			if err := write(true); err != nil {
				return samples, err
			}
		}
		for _, cfg := range rotate(r.configs, i+round+1) {
			s, err := r.phase(ctx, srv, dirs[cfg], cfg, phase, round, n)
			samples = append(samples, s)
			r.progress(s)
			if err != nil {
				return samples, err
			}
			if s.failed() {
				return samples, s.failure()
			}
		}
	}
	return samples, nil
}

// phase runs one terraform command and checks its outcome.
func (r *runner) phase(ctx context.Context, srv *Server, dir, cfg, phase string, round, n int) (Sample, error) {
	s := Sample{Config: cfg, N: n, Phase: phase, Round: round, Load1: load1()}
	var args []string
	wantExit, wantResources := 0, n
	switch phase {
	case PhaseApply, PhaseChange:
		args = r.tf.flags("apply", "-auto-approve")
	case PhasePlan:
		args = r.tf.flags("plan", "-detailed-exitcode")
	case PhaseDestroy:
		args = r.tf.flags("destroy", "-auto-approve")
		wantResources = 0
	}
	env := append(append(slices.Clone(r.tf.env), r.providerEnv[cfg]...), "FLERO_ENDPOINT="+srv.URL, "FLERO_TOKEN="+srv.Token)
	srv.Reset()
	self0 := selfCPU()
	res, err := r.tf.run(ctx, dir, filepath.Join(dir, phase+".log"), env, args...)
	s.ServerCPU = selfCPU() - self0
	s.Wall, s.ExitCode, s.Errors = res.Wall, res.ExitCode, res.Errors
	s.Stats = srv.Stats()
	if err != nil {
		return s, err
	}
	s.TerraformCPU = res.CPU // terraform and its children, until the provider's share is known
	if r.tf.rssDir != "" {
		u, err := readRSS(r.tf.rssDir, 10*time.Second)
		if err != nil {
			return s, err
		}
		s.PeakRSSKiB, s.Providers, s.ProviderCPU = u.PeakRSSKiB, u.Processes, u.CPU
		s.TerraformCPU -= u.CPU
	}
	if s.Resources, err = stateResources(dir); err != nil {
		return s, err
	}
	if phase == PhasePlan && s.ExitCode == 2 {
		s.Problems = append(s.Problems, "the no-change plan is not empty")
	} else if s.ExitCode != wantExit {
		s.Problems = append(s.Problems, fmt.Sprintf("terraform exited %d with %d error(s)", s.ExitCode, s.Errors))
	}
	if s.Resources != wantResources {
		s.Problems = append(s.Problems, fmt.Sprintf("%d resources in state, want %d", s.Resources, wantResources))
	}
	if cfg != ConfigFlero && s.Stats.Requests > 0 {
		s.Problems = append(s.Problems, fmt.Sprintf("the %s floor made %d API requests", cfg, s.Stats.Requests))
	}
	s.log = res.Log
	return s, nil
}

// failed reports whether terraform itself failed (a non-empty no-change plan is a
// finding, not a failure).
func (s Sample) failed() bool {
	return s.ExitCode != 0 && !(s.Phase == PhasePlan && s.ExitCode == 2)
}

func (s Sample) failure() error {
	return fmt.Errorf("bench: %s %s N=%d round %d failed: %s\n--- %s (last lines) ---\n%s",
		s.Config, s.Phase, s.N, s.Round, strings.Join(s.Problems, "; "), s.log, tail(s.log, 40))
}

func (r *runner) progress(s Sample) {
	line := fmt.Sprintf("round %d  N=%-5d %-7s %-8s %8.2fs  load %.2f  cpu tf %.1fs", s.Round, s.N, s.Phase, s.Config, s.Wall.Seconds(), s.Load1, s.TerraformCPU.Seconds())
	if s.Config != ConfigFloor {
		line += fmt.Sprintf(" provider %.1fs", s.ProviderCPU.Seconds())
	}
	if s.Config == ConfigFlero {
		line += fmt.Sprintf(" server %.1fs", s.ServerCPU.Seconds())
		line += fmt.Sprintf("  %6d req (%.2f/object)", s.Stats.Requests, float64(s.Stats.Requests)/float64(s.N))
	}
	if s.Providers > 0 {
		line += fmt.Sprintf("  peak RSS %.1f MiB (%d provider processes)", float64(s.PeakRSSKiB)/1024, s.Providers)
	}
	if s.Config == ConfigFlero {
		if s.Stats.Status429+s.Stats.Status5xx > 0 {
			line += fmt.Sprintf("  429: %d 5xx: %d", s.Stats.Status429, s.Stats.Status5xx)
		}
	}
	if len(s.Problems) > 0 {
		line += "  PROBLEM: " + strings.Join(s.Problems, "; ")
	}
	fmt.Fprintln(r.out, line)
	if r.opts.Verbose && s.Config == ConfigFlero {
		fmt.Fprint(r.out, formatRoutes(s.Stats.ByRoute, "      "))
		fmt.Fprintf(r.out, "      requests/s by 5-second window: %s\n", formatSeries(s.Stats.PerSecond))
	}
}

// rateLimited applies RateN objects against a server limited to Rate requests/s.
func (r *runner) rateLimited(ctx context.Context) (*RateResult, error) {
	n := r.opts.RateN
	spec, err := Generate(n, r.opts.Seed)
	if err != nil {
		return nil, err
	}
	base := filepath.Join(r.work, fmt.Sprintf("ratelimited-n%d", n))
	dir := filepath.Join(base, ConfigFlero)
	for _, d := range []string{filepath.Join(base, "server"), dir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	if !r.opts.Keep {
		defer os.RemoveAll(base)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), spec.Flero(false), 0o644); err != nil {
		return nil, err
	}
	srv, err := StartServer(filepath.Join(base, "server"), server.RateLimit{RPS: r.opts.Rate, Burst: r.opts.RateBurst})
	if err != nil {
		return nil, err
	}
	defer srv.Close()

	fmt.Fprintf(r.out, "rate-limited apply: N=%d, server limited to %g requests/s (burst %s)\n", n, r.opts.Rate, burstName(r.opts.RateBurst))
	s, err := r.phase(ctx, srv, dir, ConfigFlero, PhaseApply, 1, n)
	rr := &RateResult{N: n, Rate: r.opts.Rate, Burst: r.opts.RateBurst, Sample: s, StartLoad1: s.Load1, FailedRes: n - s.Resources}
	if w := s.Stats.Window().Seconds(); w > 0 {
		rr.Achieved = float64(s.Stats.Accepted) / w
	}
	if w := s.Wall.Seconds(); w > 0 {
		rr.OverWall = float64(s.Stats.Accepted) / w
	}
	r.progress(s)
	if s.failed() {
		fmt.Fprintf(r.out, "--- %s (last lines) ---\n%s\n", s.log, tail(s.log, 20))
	}
	fmt.Fprintf(r.out, "  accepted requests/s by 5-second window: %s\n", formatSeries(s.Stats.PerSecond))
	if cl, cerr := r.clientLoop(ctx, filepath.Join(base, "client-loop")); cerr == nil {
		rr.ClientLoop = cl
		fmt.Fprintf(r.out, "  the client alone, %d goroutines for %s: %.1f requests/s (%.2f × R), %d 429s\n",
			cl.Goroutines, cl.Duration, cl.Achieved, cl.Achieved/rr.Rate, cl.Status429)
	} else {
		fmt.Fprintf(r.out, "  the client-alone loop failed: %v\n", cerr)
	}
	fmt.Fprintf(r.out, "  achieved %.1f requests/s (%.2f × R) between first and last answer, %.1f/s over the whole apply; %d 429s; %d objects failed\n",
		rr.Achieved, rr.Achieved/rr.Rate, rr.OverWall, s.Stats.Status429, rr.FailedRes)
	return rr, err
}

// ClientLoop is a closed loop of the provider's API client against a rate-limited
// server: -parallelism goroutines, each sending its next request as soon as the
// previous one is answered. It measures the client's rate limiter on its own,
// apart from Terraform's pace.
type ClientLoop struct {
	Goroutines int
	Duration   time.Duration
	Achieved   float64 // accepted requests/s, sustained (after the first 5 s)
	Status429  int64
	Errors     int64
}

func (r *runner) clientLoop(ctx context.Context, dir string) (*ClientLoop, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	srv, err := StartServer(dir, server.RateLimit{RPS: r.opts.Rate, Burst: r.opts.RateBurst})
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	c, err := client.New(client.Config{Endpoint: srv.URL, Token: srv.Token, UserAgent: "flero-bench"})
	if err != nil {
		return nil, err
	}
	cl := &ClientLoop{Goroutines: r.opts.Parallelism, Duration: 15 * time.Second}
	loopCtx, cancel := context.WithTimeout(ctx, cl.Duration)
	defer cancel()
	srv.Reset()
	var errs atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < cl.Goroutines; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for loopCtx.Err() == nil {
				if _, err := c.Me(loopCtx); err != nil && loopCtx.Err() == nil {
					errs.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	st := srv.Stats()
	cl.Status429, cl.Errors = st.Status429, errs.Load()
	// The sustained rate: seconds 5 to 14, after the bucket's initial burst.
	if len(st.PerSecond) > 5 {
		var sum int64
		end := min(len(st.PerSecond), 15)
		for _, v := range st.PerSecond[5:end] {
			sum += v
		}
		cl.Achieved = float64(sum) / float64(end-5)
	}
	return cl, ctx.Err()
}

// rotate returns configs rotated left by k: with k running over consecutive
// integers, each configuration takes each place in turn.
func rotate(configs []string, k int) []string {
	if len(configs) == 0 {
		return nil
	}
	k %= len(configs)
	return append(slices.Clone(configs[k:]), configs[:k]...)
}

// copyFile copies the executable src to dst.
func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o755)
}

func burstName(b int) string {
	if b <= 0 {
		return "default"
	}
	return strconv.Itoa(b)
}

// selfCPU is this process's user + system CPU time (the in-process server's work:
// the bench itself only waits while terraform runs).
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadavg is /proc/loadavg's three load averages.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func load1() float64 {
	f := strings.Fields(loadavg())
	if len(f) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return -1
	}
	return v
}
