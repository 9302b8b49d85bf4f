// Command flero-bench measures the provider against Terraform's own floor: a
// tenancy configuration of N flero objects, the same N terraform_data resources (the
// floor), and the same N resources served by a minimal framework provider (the
// protocol floor, package floorprovider), and the same N as time_static resources of
// hashicorp/terraform-provider-time (the real peer), applied, planned without change, changed
// (10%) and destroyed side by side, against the reference server run in this process
// on a fresh database. See BENCHMARKS.md.
//
//	go run ./cmd/flero-bench                      # N = 100, 500, 1000; 3 rounds; rate-limited apply
//	go run ./cmd/flero-bench -n 20 -rounds 1 -rate 0   # quick smoke run
//	go run ./cmd/flero-bench -sizes=1000,5000,10000 -rounds 1 -rate 0
//	go run ./cmd/flero-bench -concurrent=4 -concurrent-size=500 -rate=50
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/flero/terraform-provider-flero/internal/bench"
)

func main() {
	if os.Getenv("GOGC") == "" {
		// The reference server runs in this process: tune it as cmd/flero-server does.
		debug.SetGCPercent(400)
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "flero-bench:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		opts   bench.Options
		ns     string
		out    string
		routes bool
		proto  bool
		peer   bool
		floor  bool
		phases string
		tokens string
	)
	flag.StringVar(&ns, "n", "100,500,1000", "configuration sizes (objects), comma-separated (5000 and 10000 are options, not in the default run)")
	flag.StringVar(&ns, "sizes", "100,500,1000", "the same as -n")
	flag.IntVar(&opts.Rounds, "rounds", 3, "rounds of every phase for both configurations")
	flag.IntVar(&opts.Parallelism, "parallelism", 10, "terraform -parallelism")
	flag.Uint64Var(&opts.Seed, "seed", 1, "generator seed")
	flag.Float64Var(&opts.Rate, "rate", 50, "requests/s of the rate-limited apply (0: skip it)")
	flag.IntVar(&opts.RateBurst, "rate-burst", 0, "bucket size of the rate-limited server (0: the server's default, ceil(rate))")
	flag.IntVar(&opts.RateN, "rate-n", 1000, "objects of the rate-limited apply")
	flag.BoolVar(&opts.RateOnly, "rate-only", false, "run only the rate-limited apply")
	flag.StringVar(&opts.Terraform, "terraform", "", "terraform binary (default: terraform on PATH, then /usr/local/bin/terraform)")
	flag.StringVar(&opts.Provider, "provider", "", "a built terraform-provider-flero (default: go build it from the module)")
	flag.StringVar(&opts.WorkDir, "workdir", "", "work directory (default: a new temporary directory)")
	flag.BoolVar(&opts.Keep, "keep", false, "keep the work directory (configurations, states, terraform logs, databases)")
	flag.BoolVar(&opts.NoRSS, "no-rss", false, "run the provider directly, without the wrapper that records its peak RSS")
	flag.BoolVar(&proto, "protocol-floor", true, "also run the protocol floor: the terraform_data floor's resources served by a minimal framework provider")
	flag.BoolVar(&peer, "peer", true, "also run the real peer: N time_static resources of hashicorp/terraform-provider-time "+bench.PeerVersion+" (installed into the cache with go install)")
	flag.BoolVar(&floor, "floor", true, "run the terraform_data floor (-floor=false: flero and the peers asked for only, for the large sizes)")
	flag.StringVar(&phases, "phases", "", "phases to run, comma-separated (apply,plan,change,destroy; default all four)")
	flag.StringVar(&opts.PeerBinary, "peer-bin", "", "a built terraform-provider-time (default: the cache, $XDG_CACHE_HOME/flero/terraform-provider-time-"+bench.PeerVersion+")")
	flag.IntVar(&opts.Concurrent, "concurrent", 0, "run only the concurrent mode: this many applies at once, each in its own organization and directory, against one server limited to -rate requests/s")
	flag.IntVar(&opts.ConcurrentSize, "concurrent-size", 500, "objects of each concurrent apply")
	flag.StringVar(&tokens, "concurrent-tokens", "both", "tokens of the concurrent applies: shared (one user), per-run (one user each), or both")
	flag.BoolVar(&opts.Verbose, "v", false, "print the requests by route of every run")
	flag.BoolVar(&routes, "routes", true, "print the requests by route at the largest N")
	flag.StringVar(&out, "out", "", "also write the Markdown results to this file")
	flag.Parse()
	opts.NoProtocol, opts.NoPeer, opts.NoFloor = !proto, !peer, !floor
	if phases != "" {
		for _, p := range strings.Split(phases, ",") {
			if p = strings.TrimSpace(p); !slices.Contains(bench.Phases, p) {
				fmt.Fprintf(os.Stderr, "flero-bench: unknown phase %q (phases: %s)\n", p, strings.Join(bench.Phases, ","))
				os.Exit(2)
			}
			opts.Only = append(opts.Only, p)
		}
	}

	var err error
	if opts.Ns, err = bench.ParseSizes(ns); err != nil {
		return fmt.Errorf("-n/-sizes: %w", err)
	}
	if opts.ConcurrentTokens, err = bench.ParseTokens(tokens); err != nil {
		return err
	}
	if opts.Concurrent > 0 {
		if opts.Rate <= 0 {
			return errors.New("-concurrent needs a limit: -rate > 0")
		}
		if opts.ConcurrentSize < bench.MinObjects {
			return fmt.Errorf("-concurrent-size must be at least %d", bench.MinObjects)
		}
	}
	if opts.RateN < bench.MinObjects && opts.Rate > 0 {
		return fmt.Errorf("-rate-n must be at least %d", bench.MinObjects)
	}
	if opts.Terraform == "" {
		if p, err := exec.LookPath("terraform"); err == nil {
			opts.Terraform = p
		} else {
			opts.Terraform = "/usr/local/bin/terraform"
		}
	}
	if _, err := os.Stat(opts.Terraform); err != nil {
		return fmt.Errorf("terraform not found at %s (it is never downloaded): %w", opts.Terraform, err)
	}
	dir, err := moduleRoot()
	if err != nil {
		return err
	}
	opts.ModuleDir = dir
	opts.Out = os.Stdout

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := bench.Run(ctx, opts)
	if res != nil {
		report := "## Results\n\nCommand: `" + commandLine() + "`\n\n" + res.Table()
		if po := res.PerObject(); po != "" {
			report += "\n" + po
		}
		for _, cr := range res.Concurrent {
			report += cr.Table()
		}
		report += "\n### Targets\n\n" + res.Targets()
		if routes && opts.Concurrent == 0 {
			report += "\n### Requests by route\n\n```\n" + res.Routes() + "```\n"
		}
		fmt.Println()
		fmt.Print(report)
		if out != "" {
			if werr := os.WriteFile(out, []byte(report), 0o644); werr != nil {
				return errors.Join(err, werr)
			}
		}
	}
	return err
}

func commandLine() string {
	args := []string{"go run ./cmd/flero-bench"}
	flag.Visit(func(f *flag.Flag) {
		args = append(args, "-"+f.Name+"="+f.Value.String())
	})
	return strings.Join(args, " ")
}

// moduleRoot finds the directory of go.mod from the working directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory: run flero-bench from the repository")
		}
		dir = parent
	}
}
