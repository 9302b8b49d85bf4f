//go:build flero_profile

package serve

import (
	"fmt"
	"os"
	"runtime/pprof"
	"sync"
)

// StartCPUProfile: with the flero_profile build tag, FLERO_CPUPROFILE=dir makes the
// provider process write a CPU profile to dir/cpu-<pid>.pprof, ended by the returned
// function when Terraform shuts the provider down (how BENCHMARKS.md's profiles were
// taken: go build -tags flero_profile). Release builds hold none of this
// (profile_off.go).
func StartCPUProfile() (stop func()) {
	dir := os.Getenv("FLERO_CPUPROFILE")
	if dir == "" {
		return func() {}
	}
	f, err := os.Create(fmt.Sprintf("%s/cpu-%d.pprof", dir, os.Getpid()))
	if err != nil {
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		return func() {}
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			pprof.StopCPUProfile()
			f.Close()
		})
	}
}
