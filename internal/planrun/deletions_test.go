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
