package bench

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestShares(t *testing.T) {
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	for _, tc := range []struct {
		name       string
		perSecond  [][]int64
		throughput float64
		shares     []float64
		ratio      float64
		overlap    int
	}{
		{"equal", [][]int64{{10, 10, 10}, {10, 10, 10}}, 20, []float64{10, 10}, 1, 3},
		// Run 2 starts a second late and stops a second early: shares over seconds 1-2.
		{"overlap", [][]int64{{20, 10, 10, 20}, {0, 30, 30}}, 120.0 / 4, []float64{10, 30}, 3, 2},
		// A run that was never answered: share 0, ratio 0 (starved).
		{"starved", [][]int64{{5, 5}, nil}, 5, []float64{5, 0}, 0, 2},
		// Runs one after the other: each its own active seconds.
		{"disjoint", [][]int64{{10, 10}, {0, 0, 0, 40}}, 60.0 / 4, []float64{10, 40}, 4, 0},
		{"none", nil, 0, []float64{}, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			th, shares, ratio, overlap := Shares(tc.perSecond)
			if !near(th, tc.throughput) || !near(ratio, tc.ratio) || overlap != tc.overlap || len(shares) != len(tc.shares) {
				t.Fatalf("Shares = %v %v %v %d, want %v %v %v %d", th, shares, ratio, overlap, tc.throughput, tc.shares, tc.ratio, tc.overlap)
			}
			for i := range shares {
				if !near(shares[i], tc.shares[i]) {
					t.Errorf("share %d = %v, want %v", i, shares[i], tc.shares[i])
				}
			}
		})
	}
}

func TestParseSizesAndTokens(t *testing.T) {
	ns, err := ParseSizes("1000, 5000,10000")
	if err != nil || !slices.Equal(ns, []int{1000, 5000, 10000}) {
		t.Errorf("ParseSizes = %v, %v", ns, err)
	}
	for _, bad := range []string{"", "10", "100,x", "1e3", "500;1000"} {
		if _, err := ParseSizes(bad); err == nil {
			t.Errorf("ParseSizes(%q) accepted", bad)
		}
	}
	for in, want := range map[string][]string{"shared": {TokensShared}, "per-run": {TokensPerRun}, "both": {TokensShared, TokensPerRun}} {
		if got, err := ParseTokens(in); err != nil || !slices.Equal(got, want) {
			t.Errorf("ParseTokens(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseTokens("each"); err == nil {
		t.Errorf("ParseTokens accepted each")
	}
}

func TestConcurrentTable(t *testing.T) {
	cr := &ConcurrentResult{Tokens: TokensPerRun, Rate: 50, Size: 500, Throughput: 150, ShareRatio: 1.5, Overlap: 30, Runs: []ConcurrentRun{
		{Index: 1, Wall: 40 * time.Second, Objects: 500, Accepted: 600, Status429: 3, Share: 30},
		{Index: 2, Wall: 41 * time.Second, Objects: 498, Failed: 2, ExitCode: 1, Accepted: 590, Share: 45},
	}}
	table := cr.Table()
	for _, want := range []string{
		"| 2 | 41.00 | 498 | 2 | 1 | 590 | 0 | 0 | 45.0 | — |",
		"Total: 2 failed resources, 3 429s; accepted throughput 150.0 requests/s = 3.00 × R = 1.50 of the runs' combined limit (2 × R); max/min share 1.50",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("the table lacks %q:\n%s", want, table)
		}
	}
}
