package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// providerUsage is what the wrappers recorded for one terraform command.
type providerUsage struct {
	PeakRSSKiB int64         // the largest peak RSS of the provider processes
	Processes  int           // how many provider processes ran
	CPU        time.Duration // their user + system CPU time
}

// readRSS returns what the wrappers recorded in dir, and empties dir. It waits (up
// to timeout) for every wrapper that started to record its figures.
func readRSS(dir string, timeout time.Duration) (u providerUsage, err error) {
	deadline := time.Now().Add(timeout)
	var entries []os.DirEntry
	for {
		if entries, err = os.ReadDir(dir); err != nil {
			return u, err
		}
		started, ended := 0, 0
		for _, e := range entries {
			switch filepath.Ext(e.Name()) {
			case ".start":
				started++
			case ".rss":
				ended++
			}
		}
		if ended >= started {
			break
		}
		if time.Now().After(deadline) {
			return u, fmt.Errorf("bench: %d provider process(es) did not record their peak RSS within %s", started-ended, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".start") {
			os.Remove(filepath.Join(dir, e.Name()))
			continue
		}
		if !strings.HasSuffix(e.Name(), ".rss") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(p)
		if err != nil {
			return u, err
		}
		var f [3]int64
		for i, field := range strings.Fields(string(b)) {
			if i >= len(f) {
				break
			}
			if f[i], err = strconv.ParseInt(field, 10, 64); err != nil {
				return u, fmt.Errorf("bench: %s: %w", p, err)
			}
		}
		u.PeakRSSKiB = max(u.PeakRSSKiB, f[0])
		u.CPU += time.Duration(f[1]+f[2]) * time.Microsecond
		u.Processes++
		os.Remove(p)
	}
	return u, nil
}
