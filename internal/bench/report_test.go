package bench

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// samplesOf makes one sample per round of cfg at n for every phase, with the given
// wall times (seconds) and CPU.
func samplesOf(cfg string, n int, walls []float64, tfCPU, provCPU time.Duration, rssKiB int64) []Sample {
	var out []Sample
	for _, phase := range Phases {
		for i, w := range walls {
			out = append(out, Sample{Config: cfg, N: n, Phase: phase, Round: i + 1, Wall: time.Duration(w * float64(time.Second)),
				TerraformCPU: tfCPU, ProviderCPU: provCPU, PeakRSSKiB: rssKiB, Resources: n, Load1: 1})
		}
	}
	return out
}

func TestTableAndTargetsWithTheProtocolFloor(t *testing.T) {
	res := &Result{Options: Options{Ns: []int{TargetN}, Rounds: 3, Parallelism: 10, Seed: 1}, TerraformVersion: "Terraform v1.11.4", CPUs: 2}
	res.Samples = append(res.Samples, samplesOf(ConfigFlero, TargetN, []float64{4.5, 4, 9}, 4*time.Second, 2500*time.Millisecond, 46*1024)...)
	res.Samples = append(res.Samples, samplesOf(ConfigFloor, TargetN, []float64{2, 1.5, 2.5}, 3*time.Second, 0, 0)...)
	res.Samples = append(res.Samples, samplesOf(ConfigProtocol, TargetN, []float64{3, 3.5, 2.5}, 3500*time.Millisecond, 1500*time.Millisecond, 30*1024)...)

	table := res.Table()
	for _, want := range []string{
		"| protocol floor, median s (min–max) | flero / floor | protocol floor / floor | flero / protocol floor |",
		// medians: flero 4.5, floor 2, protocol 3: 2.25×, 1.50×, 1.50×
		"| 1000 | no-change plan | 4.50 (4.00–9.00) | 2.00 (1.50–2.50) | 3.00 (2.50–3.50) | 2.25× | 1.50× | 1.50× |",
		"| protocol floor: terraform | protocol floor: provider | protocol floor provider peak RSS |",
		"| 1000 | no-change plan | 4.00 | 2.50 | 0.00 | 3.00 | 3.50 | 1.50 | 30.0 MiB |",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("the table lacks %q:\n%s", want, table)
		}
	}
	targets := res.Targets()
	want := "- N=1000 no-change plan within 1.25× of the floor: 4.50 s vs 2.00 s = 2.25×: NOT MET; protocol floor 3.00 s = 1.50× the floor, flero / protocol floor = 1.50×."
	if !strings.Contains(targets, want) {
		t.Errorf("the targets lack\n%s\n:\n%s", want, targets)
	}

	// Without the protocol floor, the table has no column for it and the targets
	// no mention of it.
	res.Samples = slices.DeleteFunc(res.Samples, func(s Sample) bool { return s.Config == ConfigProtocol })
	if table, targets := res.Table(), res.Targets(); strings.Contains(table, "protocol") || strings.Contains(targets, "protocol") {
		t.Errorf("without the protocol floor the report mentions it:\n%s\n%s", table, targets)
	}
	if want := "| 1000 | no-change plan | 4.50 (4.00–9.00) | 2.00 (1.50–2.50) | 2.25× | 0 (0.00) | 46.0 MiB | 0 / 0 |"; !strings.Contains(res.Table(), want) {
		t.Errorf("the table without the protocol floor lacks %q:\n%s", want, res.Table())
	}
}

func TestRotate(t *testing.T) {
	configs := []string{ConfigFlero, ConfigFloor, ConfigProtocol}
	first := map[string]int{}
	for k := 0; k < 6; k++ {
		r := rotate(configs, k)
		if len(r) != 3 {
			t.Fatalf("rotate(%d) = %v", k, r)
		}
		seen := map[string]bool{}
		for _, c := range r {
			seen[c] = true
		}
		if len(seen) != 3 {
			t.Errorf("rotate(%d) = %v: not every configuration once", k, r)
		}
		first[r[0]]++
	}
	for _, c := range configs {
		if first[c] != 2 {
			t.Errorf("over 6 phases %s went first %d times, want 2 (%v)", c, first[c], first)
		}
	}
	// Two configurations alternate, the floor first when k is odd (as the bench
	// always did: (phase+round)%2 == 0 puts the floor first, k = phase+round+1).
	if r := rotate([]string{ConfigFlero, ConfigFloor}, 1); r[0] != ConfigFloor {
		t.Errorf("rotate(flero, floor; 1) = %v", r)
	}
	if configs[0] != ConfigFlero {
		t.Errorf("rotate changed its argument: %v", configs)
	}
}
