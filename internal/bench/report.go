package bench

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"
)

func numCPU() int { return runtime.NumCPU() }

// Target thresholds (printed against the figures, never asserted).
const (
	TargetPlanRequestsPerObject = 1.0
	TargetFloorRatio            = 1.25
	TargetRateShare             = 0.85
	TargetPeakRSSMiB            = 100
	TargetN                     = 1000
	TargetPeerRatio             = 1.0 // flero / the real peer, every phase
)

func (res *Result) samples(cfg string, n int, phase string) []Sample {
	var out []Sample
	for _, s := range res.Samples {
		if s.Config == cfg && s.N == n && s.Phase == phase {
			out = append(out, s)
		}
	}
	return out
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func walls(ss []Sample) []float64 {
	out := make([]float64, len(ss))
	for i, s := range ss {
		out[i] = s.Wall.Seconds()
	}
	return out
}

func cpuOf(ss []Sample, get func(Sample) time.Duration) []float64 {
	out := make([]float64, len(ss))
	for i, s := range ss {
		out[i] = get(s).Seconds()
	}
	return out
}

// cell is one (N, phase) row of the table.
type cell struct {
	n                              int
	phase                          string
	ours, floor, protocol          []float64
	oursMed, floorMed, protocolMed float64
	ratio                          float64 // flero / terraform_data floor
	protocolRatio                  float64 // protocol floor / terraform_data floor
	oursOverProtocol               float64 // flero / protocol floor
	peer                           []float64
	peerMed, oursOverPeer          float64 // the real peer's median; flero / peer
	peerRSSMiB                     float64
	peerCPU                        [2]float64 // the peer's terraform, provider
	requests                       float64    // median per run
	perObject                      float64
	peakRSSMiB, protocolRSSMiB     float64 // flero's, the protocol floor provider's
	tooMany, serverErr             int64
	problems                       []string
	// medians: flero terraform, provider, server; floor terraform; protocol floor
	// terraform, provider
	cpu [6]float64
}

func ratio(a, b float64) float64 {
	if b > 0 {
		return a / b
	}
	return 0
}

func (res *Result) cells() []cell {
	var out []cell
	for _, n := range res.Options.Ns {
		for _, phase := range Phases {
			ours, floor, protocol := res.samples(ConfigFlero, n, phase), res.samples(ConfigFloor, n, phase), res.samples(ConfigProtocol, n, phase)
			if len(ours) == 0 && len(floor) == 0 && len(protocol) == 0 && len(res.samples(ConfigPeer, n, phase)) == 0 {
				continue
			}
			c := cell{n: n, phase: phase, ours: walls(ours), floor: walls(floor), protocol: walls(protocol)}
			c.oursMed, c.floorMed, c.protocolMed = median(c.ours), median(c.floor), median(c.protocol)
			c.ratio = ratio(c.oursMed, c.floorMed)
			c.protocolRatio = ratio(c.protocolMed, c.floorMed)
			c.oursOverProtocol = ratio(c.oursMed, c.protocolMed)
			peer := res.samples(ConfigPeer, n, phase)
			c.peer = walls(peer)
			c.peerMed = median(c.peer)
			c.oursOverPeer = ratio(c.oursMed, c.peerMed)
			for _, s := range peer {
				c.peerRSSMiB = max(c.peerRSSMiB, float64(s.PeakRSSKiB)/1024)
				for _, p := range s.Problems {
					c.problems = append(c.problems, fmt.Sprintf("peer round %d: %s", s.Round, p))
				}
			}
			var reqs []float64
			for _, s := range ours {
				reqs = append(reqs, float64(s.Stats.Requests))
				c.peakRSSMiB = max(c.peakRSSMiB, float64(s.PeakRSSKiB)/1024)
				c.tooMany += s.Stats.Status429
				c.serverErr += s.Stats.Status5xx
				for _, p := range s.Problems {
					c.problems = append(c.problems, fmt.Sprintf("round %d: %s", s.Round, p))
				}
			}
			for _, s := range floor {
				for _, p := range s.Problems {
					c.problems = append(c.problems, fmt.Sprintf("floor round %d: %s", s.Round, p))
				}
			}
			for _, s := range protocol {
				c.protocolRSSMiB = max(c.protocolRSSMiB, float64(s.PeakRSSKiB)/1024)
				for _, p := range s.Problems {
					c.problems = append(c.problems, fmt.Sprintf("protocol floor round %d: %s", s.Round, p))
				}
			}
			terraformCPU := func(s Sample) time.Duration { return s.TerraformCPU }
			providerCPU := func(s Sample) time.Duration { return s.ProviderCPU }
			c.cpu = [6]float64{
				median(cpuOf(ours, terraformCPU)),
				median(cpuOf(ours, providerCPU)),
				median(cpuOf(ours, func(s Sample) time.Duration { return s.ServerCPU })),
				median(cpuOf(floor, terraformCPU)),
				median(cpuOf(protocol, terraformCPU)),
				median(cpuOf(protocol, providerCPU)),
			}
			c.peerCPU = [2]float64{median(cpuOf(peer, terraformCPU)), median(cpuOf(peer, providerCPU))}
			c.requests = median(reqs)
			c.perObject = c.requests / float64(n)
			out = append(out, c)
		}
	}
	return out
}

func spread(xs []float64) string {
	if len(xs) < 2 {
		return ""
	}
	return fmt.Sprintf(" (%.2f–%.2f)", slices.Min(xs), slices.Max(xs))
}

// Table is the results as a Markdown table, with the conditions they were taken in.
func (res *Result) Table() string {
	var b strings.Builder
	o := res.Options
	rounds := fmt.Sprintf("%d round(s), ", o.Rounds)
	if len(res.Samples) == 0 {
		rounds = ""
	}
	fmt.Fprintf(&b, "%s, %d CPUs; %s-parallelism=%d, seed %d; load average (1/5/15 min) %s before, %s after",
		res.TerraformVersion, res.CPUs, rounds, o.Parallelism, o.Seed, res.LoadBefore, res.LoadAfter)
	if loads := res.loads(); len(loads) > 0 {
		fmt.Fprintf(&b, "; 1-min load at the start of each command: min %.2f, median %.2f, max %.2f", slices.Min(loads), median(loads), slices.Max(loads))
	}
	if !res.Ended.IsZero() {
		fmt.Fprintf(&b, "; took %s", res.Ended.Sub(res.Started).Round(time.Second))
	}
	b.WriteString(".\n\n")
	if cells := res.cells(); len(cells) > 0 {
		proto, peer := res.hasProtocol(), res.has(ConfigPeer)
		peerHead, peerSep := "", ""
		if peer {
			peerHead, peerSep = " peer (time_static), median s (min–max) | flero / peer |", "---:|---:|"
		}
		if proto {
			b.WriteString("| N | phase | flero, median s (min–max) | terraform_data floor, median s (min–max) | protocol floor, median s (min–max) | flero / floor | protocol floor / floor | flero / protocol floor |" + peerHead + " API requests (per object) | flero provider peak RSS | 429 / 5xx |\n")
			b.WriteString("|---:|---|---:|---:|---:|---:|---:|---:|" + peerSep + "---:|---:|---:|\n")
		} else {
			b.WriteString("| N | phase | flero, median s (min–max) | terraform_data floor, median s (min–max) | flero / floor |" + peerHead + " API requests (per object) | provider peak RSS | 429 / 5xx |\n")
			b.WriteString("|---:|---|---:|---:|---:|" + peerSep + "---:|---:|---:|\n")
		}
		for _, c := range cells {
			fmt.Fprintf(&b, "| %d | %s | %.2f%s | %.2f%s | ", c.n, phaseName(c.phase), c.oursMed, spread(c.ours), c.floorMed, spread(c.floor))
			if proto {
				fmt.Fprintf(&b, "%.2f%s | %.2f× | %.2f× | %.2f× | ", c.protocolMed, spread(c.protocol), c.ratio, c.protocolRatio, c.oursOverProtocol)
			} else {
				fmt.Fprintf(&b, "%.2f× | ", c.ratio)
			}
			if peer {
				fmt.Fprintf(&b, "%.2f%s | %.2f× | ", c.peerMed, spread(c.peer), c.oursOverPeer)
			}
			fmt.Fprintf(&b, "%.0f (%.2f) | %s | %d / %d |\n", c.requests, c.perObject, mib(c.peakRSSMiB), c.tooMany, c.serverErr)
		}
		b.WriteString("\nWhere the time goes, median CPU seconds per command (terraform's own; the provider processes'; the reference server's):\n\n")
		peerHead, peerSep = "", ""
		if peer {
			peerHead, peerSep = " peer: terraform | peer: provider | peer provider peak RSS | flero / peer, provider CPU |", "---:|---:|---:|---:|"
		}
		if proto {
			b.WriteString("| N | phase | flero: terraform | flero: provider | flero: server | floor: terraform | protocol floor: terraform | protocol floor: provider | protocol floor provider peak RSS |" + peerHead + "\n")
			b.WriteString("|---:|---|---:|---:|---:|---:|---:|---:|---:|" + peerSep + "\n")
		} else {
			b.WriteString("| N | phase | flero: terraform | flero: provider | flero: server | floor: terraform |" + peerHead + "\n")
			b.WriteString("|---:|---|---:|---:|---:|---:|" + peerSep + "\n")
		}
		for _, c := range cells {
			fmt.Fprintf(&b, "| %d | %s | %.2f | %.2f | %.2f | %.2f |", c.n, phaseName(c.phase),
				c.cpu[0], c.cpu[1], c.cpu[2], c.cpu[3])
			if proto {
				fmt.Fprintf(&b, " %.2f | %.2f | %s |", c.cpu[4], c.cpu[5], mib(c.protocolRSSMiB))
			}
			if peer {
				fmt.Fprintf(&b, " %.2f | %.2f | %s | %.2f× |", c.peerCPU[0], c.peerCPU[1], mib(c.peerRSSMiB), ratio(c.cpu[1], c.peerCPU[1]))
			}
			b.WriteString("\n")
		}
		for _, c := range cells {
			for _, p := range c.problems {
				fmt.Fprintf(&b, "\nProblem at N=%d %s: %s", c.n, c.phase, p)
			}
		}
		b.WriteString("\n")
	}
	if rr := res.Rate; rr != nil {
		s := rr.Sample
		fmt.Fprintf(&b, "\nRate-limited apply (N=%d, server limit %g requests/s, burst %s): %.2f s, %d requests (%d accepted, %d answered 429, %d 5xx); "+
			"achieved %.1f requests/s = %.2f × R between the first and the last answer (%.1f/s over the whole apply); %d of %d objects failed; terraform exit code %d; provider peak RSS %.1f MiB.\n",
			rr.N, rr.Rate, burstName(rr.Burst), s.Wall.Seconds(), s.Stats.Requests, s.Stats.Accepted, s.Stats.Status429, s.Stats.Status5xx,
			rr.Achieved, rr.Achieved/rr.Rate, rr.OverWall, rr.FailedRes, rr.N, s.ExitCode, float64(s.PeakRSSKiB)/1024)
		fmt.Fprintf(&b, "Accepted requests/s, by 5-second window: %s.\n", formatSeries(s.Stats.PerSecond))
		if cl := rr.ClientLoop; cl != nil {
			fmt.Fprintf(&b, "The provider's API client alone against the same limit (%d goroutines in a closed loop for %s): %.1f requests/s sustained (after the first 5 s) = %.2f × R, %d 429s, %d errors.\n",
				cl.Goroutines, cl.Duration, cl.Achieved, cl.Achieved/rr.Rate, cl.Status429, cl.Errors)
		}
		if u := res.unlimitedApply(rr.N); u != nil {
			fmt.Fprintf(&b, "The same apply without a rate limit (round %d, %.2f s, %.1f requests/s between the first and the last answer): %s.\n",
				u.Round, u.Wall.Seconds(), u.Stats.rate(), formatSeries(u.Stats.PerSecond))
		}
	}
	return b.String()
}

// hasProtocol reports whether the protocol floor was run.
func (res *Result) hasProtocol() bool { return res.has(ConfigProtocol) }

// has reports whether the configuration was run.
func (res *Result) has(cfg string) bool {
	for _, s := range res.Samples {
		if s.Config == cfg {
			return true
		}
	}
	return false
}

func mib(v float64) string {
	if v <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f MiB", v)
}

// unlimitedApply is the last flero apply of n objects of the rounds, if any.
func (res *Result) unlimitedApply(n int) *Sample {
	ss := res.samples(ConfigFlero, n, PhaseApply)
	if len(ss) == 0 {
		return nil
	}
	return &ss[len(ss)-1]
}

func phaseName(p string) string {
	switch p {
	case PhasePlan:
		return "no-change plan"
	case PhaseChange:
		return "change 10% (plan+apply)"
	}
	return p
}

func (res *Result) loads() []float64 {
	var out []float64
	for _, s := range res.Samples {
		if s.Load1 >= 0 {
			out = append(out, s.Load1)
		}
	}
	if res.Rate != nil && res.Rate.StartLoad1 >= 0 {
		out = append(out, res.Rate.StartLoad1)
	}
	return out
}

// Targets reads the figures against the targets.
func (res *Result) Targets() string {
	var b strings.Builder
	verdict := func(ok bool) string {
		if ok {
			return "MET"
		}
		return "NOT MET"
	}
	cells := res.cells()
	find := func(n int, phase string) (cell, bool) {
		for _, c := range cells {
			if c.n == n && c.phase == phase {
				return c, true
			}
		}
		return cell{}, false
	}

	// No-change plan: requests = a·N + b; a from the two largest sizes.
	var plan []cell
	for _, c := range cells {
		if c.phase == PhasePlan {
			plan = append(plan, c)
		}
	}
	if len(plan) >= 2 {
		x, y := plan[len(plan)-2], plan[len(plan)-1]
		slope := (y.requests - x.requests) / float64(y.n-x.n)
		constant := y.requests - slope*float64(y.n)
		fmt.Fprintf(&b, "- No-change plan ≤ %.0f request per object + a constant: %.3f requests per object + %.0f per run (from N=%d and N=%d): %s.\n",
			TargetPlanRequestsPerObject, slope, constant, x.n, y.n, verdict(slope <= TargetPlanRequestsPerObject))
	} else if len(plan) == 1 {
		fmt.Fprintf(&b, "- No-change plan: %.0f requests at N=%d (%.3f per object); run two sizes to separate the constant.\n", plan[0].requests, plan[0].n, plan[0].perObject)
	}

	n := TargetN
	if _, ok := find(n, PhaseApply); !ok && len(res.Options.Ns) > 0 {
		n = slices.Max(res.Options.Ns)
	}
	for _, phase := range Phases {
		c, ok := find(n, phase)
		if !ok {
			continue
		}
		line := fmt.Sprintf("- N=%d %s within %.2f× of the floor: %.2f s vs %.2f s = %.2f×", n, phaseName(phase), TargetFloorRatio, c.oursMed, c.floorMed, c.ratio)
		switch {
		case n != TargetN:
			line += fmt.Sprintf(" (for reference: the target is for N=%d, which was not run)", TargetN)
		case phase == PhaseChange:
			line += " (not a target; for reference)"
		default:
			line += ": " + verdict(c.ratio <= TargetFloorRatio)
		}
		if c.protocolMed > 0 {
			// What any framework provider costs, and what is left for flero's own.
			line += fmt.Sprintf("; protocol floor %.2f s = %.2f× the floor, flero / protocol floor = %.2f×", c.protocolMed, c.protocolRatio, c.oursOverProtocol)
		}
		if c.peerMed > 0 {
			line += fmt.Sprintf("; flero / real peer (time_static) = %.2f s / %.2f s = %.2f× (target ≤ %.1f×: %s)", c.oursMed, c.peerMed, c.oursOverPeer, TargetPeerRatio, verdict(c.oursOverPeer <= TargetPeerRatio))
		}
		b.WriteString(line + ".\n")
	}

	if rr := res.Rate; rr != nil {
		share := rr.Achieved / rr.Rate
		fmt.Fprintf(&b, "- Rate-limited apply (N=%d, R=%g/s): %d failed objects, %d 429s received, achieved %.1f/s = %.2f × R: %s",
			rr.N, rr.Rate, rr.FailedRes, rr.Sample.Stats.Status429, rr.Achieved, share,
			verdict(rr.FailedRes == 0 && rr.Sample.ExitCode == 0 && share >= TargetRateShare))
		busiest := 0.0
		for i := 0; i+5 <= len(rr.Sample.Stats.PerSecond); i++ {
			var sum int64
			for _, v := range rr.Sample.Stats.PerSecond[i : i+5] {
				sum += v
			}
			busiest = max(busiest, float64(sum)/5)
		}
		fmt.Fprintf(&b, "; busiest 5 s: %.1f/s = %.2f × R", busiest, busiest/rr.Rate)
		if u := res.unlimitedApply(rr.N); u != nil {
			fmt.Fprintf(&b, "; without the limit the same apply took %.2f s and offered %.1f/s on average", u.Wall.Seconds(), u.Stats.rate())
			if u.Stats.rate() < rr.Rate {
				b.WriteString(" (< R: Terraform, not the limit, sets the pace for most of the apply)")
			}
		}
		if cl := rr.ClientLoop; cl != nil {
			fmt.Fprintf(&b, "; the API client alone sustains %.1f/s = %.2f × R with %d 429s", cl.Achieved, cl.Achieved/rr.Rate, cl.Status429)
		}
		b.WriteString(".\n")
	}

	for _, cr := range res.Concurrent {
		var failed int
		var tooMany int64
		for _, r := range cr.Runs {
			failed += r.Failed
			tooMany += r.Status429
		}
		limit := cr.Rate
		if cr.Tokens == TokensPerRun {
			limit *= float64(len(cr.Runs))
		}
		fmt.Fprintf(&b, "- Concurrent applies (%s tokens, %d × %d objects, R=%g/s): %d failed resources, %d 429s, accepted throughput %.2f of the limit (target ≥ %.2f), max/min share %.2f (target ≤ 2): %s.\n",
			cr.Tokens, len(cr.Runs), cr.Size, cr.Rate, failed, tooMany, cr.Throughput/limit, TargetRateShare, cr.ShareRatio,
			verdict(failed == 0 && cr.Throughput/limit >= TargetRateShare && cr.ShareRatio > 0 && cr.ShareRatio <= 2))
	}

	var peak float64
	for _, c := range cells {
		if c.n == n {
			peak = max(peak, c.peakRSSMiB)
		}
	}
	if peak > 0 {
		v := verdict(peak*1.048576 < TargetPeakRSSMiB)
		if n != TargetN {
			v = fmt.Sprintf("for reference (the target is for N=%d)", TargetN)
		}
		fmt.Fprintf(&b, "- Provider peak RSS < %d MB at N=%d: %.1f MiB (%.1f MB): %s.\n", TargetPeakRSSMiB, n, peak, peak*1.048576, v)
	}
	return b.String()
}

// Routes is the requests by route of the last round's runs at the largest size, for
// each phase: where the requests go.
func (res *Result) Routes() string {
	if len(res.Options.Ns) == 0 {
		return ""
	}
	n := slices.Max(res.Options.Ns)
	var b strings.Builder
	for _, phase := range Phases {
		ss := res.samples(ConfigFlero, n, phase)
		if len(ss) == 0 {
			continue
		}
		s := ss[len(ss)-1]
		fmt.Fprintf(&b, "N=%d %s (round %d): %d requests\n%s", n, phaseName(phase), s.Round, s.Stats.Requests, formatRoutes(s.Stats.ByRoute, "    "))
	}
	if rr := res.Rate; rr != nil {
		fmt.Fprintf(&b, "rate-limited apply N=%d: %d requests\n%s", rr.N, rr.Sample.Stats.Requests, formatRoutes(rr.Sample.Stats.ByRoute, "    "))
	}
	return b.String()
}

// seriesWindow is the width, in seconds, of the windows formatSeries averages over
// (the reports call them "5-second windows").
const seriesWindow = 5

// formatSeries renders requests per second, averaged over windows of seriesWindow seconds.
func formatSeries(perSecond []int64) string {
	n := seriesWindow
	var parts []string
	for i := 0; i < len(perSecond); i += n {
		end := min(i+n, len(perSecond))
		var sum int64
		for _, v := range perSecond[i:end] {
			sum += v
		}
		parts = append(parts, fmt.Sprintf("%.0f", float64(sum)/float64(end-i)))
	}
	return strings.Join(parts, " ")
}

func formatRoutes(m map[string]int64, indent string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s%6d  %s\n", indent, m[k], k)
	}
	return b.String()
}
