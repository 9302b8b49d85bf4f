package bench

import (
	"fmt"
	"slices"
	"strings"
)

// TargetGrowth bounds the provider's CPU per object at the largest N against that
// at the smallest (printed, never asserted).
const TargetGrowth = 1.5

// PerObject is the "time per object" table: for each phase and N, the medians of
// wall time, of the flero provider's CPU and of Terraform's own CPU divided by N (in
// milliseconds), their growth against the smallest N run, the real peer's figures
// beside them when it was run, and the API requests per object.
func (res *Result) PerObject() string {
	cells := res.cells()
	if len(cells) == 0 {
		return ""
	}
	ns := slices.Sorted(slices.Values(slices.Compact(slices.Sorted(slices.Values(res.Options.Ns)))))
	peer := res.has(ConfigPeer)
	var b strings.Builder
	b.WriteString("Time per object, milliseconds (median per command / N); growth: against the smallest N of the phase:\n\n")
	b.WriteString("| phase | N | flero wall | flero: provider CPU | growth | flero: terraform CPU | growth |")
	sep := "|---|---:|---:|---:|---:|---:|---:|"
	if peer {
		b.WriteString(" peer: provider CPU | growth | peer: terraform CPU | growth | flero / peer, provider CPU |")
		sep += "---:|---:|---:|---:|---:|"
	}
	b.WriteString(" API requests per object |\n" + sep + "---:|\n")
	for _, phase := range Phases {
		var base *cell
		for _, n := range ns {
			i := slices.IndexFunc(cells, func(c cell) bool { return c.n == n && c.phase == phase })
			if i < 0 {
				continue
			}
			c := cells[i]
			if base == nil {
				base = &cells[i]
			}
			per := func(v float64) float64 { return 1000 * v / float64(c.n) }
			growth := func(v, v0 float64, n0 int) string {
				if v0 <= 0 {
					return "—"
				}
				return fmt.Sprintf("%.2f×", (v/float64(c.n))/(v0/float64(n0)))
			}
			fmt.Fprintf(&b, "| %s | %d | %.2f | %.3f | %s | %.3f | %s |", phaseName(phase), c.n, per(c.oursMed),
				per(c.cpu[1]), growth(c.cpu[1], base.cpu[1], base.n), per(c.cpu[0]), growth(c.cpu[0], base.cpu[0], base.n))
			if peer {
				fmt.Fprintf(&b, " %.3f | %s | %.3f | %s | %.2f× |", per(c.peerCPU[1]), growth(c.peerCPU[1], base.peerCPU[1], base.n),
					per(c.peerCPU[0]), growth(c.peerCPU[0], base.peerCPU[0], base.n), ratio(c.cpu[1], c.peerCPU[1]))
			}
			fmt.Fprintf(&b, " %.3f |\n", c.perObject)
		}
	}
	if len(ns) >= 2 {
		lo, hi := ns[0], ns[len(ns)-1]
		for _, phase := range Phases {
			i := slices.IndexFunc(cells, func(c cell) bool { return c.n == lo && c.phase == phase })
			j := slices.IndexFunc(cells, func(c cell) bool { return c.n == hi && c.phase == phase })
			if i < 0 || j < 0 || cells[i].cpu[1] <= 0 {
				continue
			}
			g := (cells[j].cpu[1] / float64(hi)) / (cells[i].cpu[1] / float64(lo))
			verdict := "MET"
			if g > TargetGrowth {
				verdict = "NOT MET"
			}
			fmt.Fprintf(&b, "\n- %s: provider CPU per object at N=%d is %.2f× that at N=%d (target ≤ %.1f×): %s", phaseName(phase), hi, g, lo, TargetGrowth, verdict)
			if cells[i].cpu[0] > 0 {
				fmt.Fprintf(&b, "; Terraform's own: %.2f×", (cells[j].cpu[0]/float64(hi))/(cells[i].cpu[0]/float64(lo)))
			}
			b.WriteString(".")
		}
		b.WriteString("\n")
	}
	return b.String()
}
