// Command flero-bench measures the provider against Terraform's own floor: a
// tenancy configuration of N flero objects, the same N terraform_data resources (the
// floor), and the same N resources served by a minimal framework provider (the
// protocol floor, package floorprovider), applied, planned without change, changed
// (10%) and destroyed side by side, against the reference server run in this process
// on a fresh database. See BENCHMARKS.md.
//
//	go run ./cmd/flero-bench                      # N = 100, 500, 1000; 3 rounds; rate-limited apply
//	go run ./cmd/flero-bench -n 20 -rounds 1 -rate 0   # quick smoke run
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
	"strconv"
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
	)
	flag.StringVar(&ns, "n", "100,500,1000", "configuration sizes (objects), comma-separated")
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
	flag.BoolVar(&opts.Verbose, "v", false, "print the requests by route of every run")
	flag.BoolVar(&routes, "routes", true, "print the requests by route at the largest N")
	flag.StringVar(&out, "out", "", "also write the Markdown results to this file")
	flag.Parse()
	opts.NoProtocol = !proto

	for _, f := range strings.Split(ns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < bench.MinObjects {
			return fmt.Errorf("-n: %q is not a size of at least %d", f, bench.MinObjects)
		}
		opts.Ns = append(opts.Ns, n)
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
		report := "## Results\n\nCommand: `" + commandLine() + "`\n\n" + res.Table() + "\n### Targets\n\n" + res.Targets()
		if routes {
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
