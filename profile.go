//go:build flero_profile

package main

import (
	"fmt"
	"os"
	"runtime/pprof"
	"sync/atomic"
)

// With the flero_profile build tag, FLERO_CPUPROFILE=dir makes every provider process
// write a CPU profile to dir/cpu-<pid>.pprof when Terraform shuts it down (how
// BENCHMARKS.md's profiles were taken: go build -tags flero_profile). Release builds
// hold none of this.
var profileSeq atomic.Int64

func init() {
	dir := os.Getenv("FLERO_CPUPROFILE")
	if dir == "" {
		return
	}
	f, err := os.Create(fmt.Sprintf("%s/cpu-%d.pprof", dir, os.Getpid()))
	if err != nil {
		return
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		return
	}
	stopProfile = func() {
		if profileSeq.Add(1) == 1 {
			pprof.StopCPUProfile()
			f.Close()
		}
	}
}
