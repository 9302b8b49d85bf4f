package planrun

import (
	"sync"
	"testing"
)

func TestDeletionsRecordedAcrossConcurrentPlans(t *testing.T) {
	c := NewWithFetchers(Fetchers{})
	if c.PlannedDeletion("cred_1") {
		t.Fatal("an empty run plans a deletion")
	}
	var wg sync.WaitGroup
	for _, id := range []string{"cred_1", "cred_2", "ws_1", ""} {
		wg.Add(1)
		go func() { defer wg.Done(); c.RecordDeletion(id) }()
	}
	wg.Wait()
	for _, id := range []string{"cred_1", "cred_2", "ws_1"} {
		if !c.PlannedDeletion(id) {
			t.Errorf("%s: deletion not recorded", id)
		}
	}
	if c.PlannedDeletion("cred_3") || c.PlannedDeletion("") {
		t.Error("a deletion nobody planned is reported")
	}
}

func TestFates(t *testing.T) {
	c := NewWithFetchers(Fetchers{})
	c.RecordKept("cred_kept")
	c.RecordDeletion("cred_gone")
	c.RecordKept("cred_gone") // a replacement's second plan, as a create: still deleted
	for id, want := range map[string]Fate{"cred_kept": FateKept, "cred_gone": FateDeleted, "cred_other": FateUnknown} {
		if got := c.FateOf(id); got != want {
			t.Errorf("%s: fate %v, want %v", id, got, want)
		}
	}
	if c.Refreshed("ws_1") {
		t.Fatal("nothing was refreshed")
	}
	c.RecordRefresh("ws_1")
	if !c.Refreshed("ws_1") || c.Refreshed("ws_2") {
		t.Error("refreshes not recorded per object")
	}
}
