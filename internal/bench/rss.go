package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// readRSS returns the largest peak RSS (KiB) the wrappers recorded in dir and how
// many provider processes recorded one, and empties dir. It waits (up to timeout)
// for every wrapper that started to record its figure.
func readRSS(dir string, timeout time.Duration) (peakKiB int64, processes int, err error) {
	deadline := time.Now().Add(timeout)
	var entries []os.DirEntry
	for {
		if entries, err = os.ReadDir(dir); err != nil {
			return 0, 0, err
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
			return 0, 0, fmt.Errorf("bench: %d provider process(es) did not record their peak RSS within %s", started-ended, timeout)
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
			return 0, 0, err
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("bench: %s: %w", p, err)
		}
		peakKiB = max(peakKiB, n)
		processes++
		os.Remove(p)
	}
	return peakKiB, processes, nil
}
