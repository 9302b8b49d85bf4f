package bench

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestReadRSS(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("11.start", "")
	write("11.rss", "30000 1500000 500000\n") // 30000 KiB, 1.5 s user, 0.5 s system
	write("12.start", "")
	write("12.rss", "45000 250000 250000\n")
	u, err := readRSS(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if u.PeakRSSKiB != 45000 || u.Processes != 2 || u.CPU != 2500*time.Millisecond {
		t.Errorf("readRSS = %+v, want peak 45000 KiB, 2 processes, 2.5s CPU", u)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("readRSS left %d files behind", len(entries))
	}

	// A provider that started and has not recorded its figures yet is waited for,
	// up to the timeout.
	write("13.start", "")
	go func() {
		time.Sleep(100 * time.Millisecond)
		write("13.rss", "1000 0 0\n")
	}()
	if u, err = readRSS(dir, 5*time.Second); err != nil || u.Processes != 1 || u.PeakRSSKiB != 1000 {
		t.Errorf("waiting for a late figure: %+v, %v", u, err)
	}
	write("14.start", "")
	if _, err = readRSS(dir, 100*time.Millisecond); err == nil {
		t.Error("a provider that never recorded its figures was not reported")
	}
}
