package reliability

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/pgtest"
	"github.com/flero/terraform-provider-flero/internal/store"
)

// startServerProcOn starts flero-server on an existing database (a PostgreSQL URL: one
// more instance of a shared platform) with the given bootstrap token.
func startServerProcOn(t testing.TB, db, token string, flags ...string) *serverProc {
	t.Helper()
	dir := t.TempDir()
	p := &serverProc{t: t, bin: getBinaries(t).Server, DB: db, Dir: dir, Addr: "127.0.0.1:0",
		Token: token, Log: filepath.Join(dir, "server.log"), flags: flags}
	p.Start()
	t.Cleanup(p.Stop)
	return p
}

// TestPostgresKillOneInstanceDuringCreateStorm: two flero-server processes on one
// PostgreSQL database; 16 clients create workspaces through both (each create with its
// own Idempotency-Key); after 80 acknowledged creates one instance is killed with
// SIGKILL. A create that fails on the killed instance is retried with the same key on
// the other. The other instance keeps serving every client to the end, every
// acknowledged create is in the database, and no retry made a second object.
func TestPostgresKillOneInstanceDuringCreateStorm(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	token := store.NewToken()
	a := startServerProcOn(t, dsn, token)
	b := startServerProcOn(t, dsn, token)
	hc := &http.Client{Timeout: 2 * time.Minute}

	post := func(url, path, key string, body any) (int, []byte, error) {
		j, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", url+path, bytes.NewReader(j))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		out, err := io.ReadAll(resp.Body)
		return resp.StatusCode, out, err
	}
	st, body, err := post(b.URL, "/v1/organizations", "", api.CreateOrganizationRequest{Name: "storm"})
	if err != nil || st != http.StatusCreated {
		t.Fatalf("create organization: %d %s %v", st, body, err)
	}
	var org api.Organization
	if err := json.Unmarshal(body, &org); err != nil {
		t.Fatal(err)
	}

	const clients, perClient, killAfter = 16, 30, 80
	var (
		acks       atomic.Int64
		killOnce   sync.Once
		killed     atomic.Bool
		afterKillB atomic.Int64 // creates instance b acknowledged after the kill
		mu         sync.Mutex
		acked      = map[string]string{} // workspace id → name
		retried    atomic.Int64
	)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			useA := c%2 == 0
			for n := range perClient {
				name, key := fmt.Sprintf("storm-%d-%d", c, n), fmt.Sprintf("storm-key-%d-%d", c, n)
				req := api.CreateWorkspaceRequest{Name: name}
				url := b.URL
				if useA && !killed.Load() {
					url = a.URL
				}
				st, body, err := post(url, "/v1/organizations/"+org.ID+"/workspaces", key, req)
				if url == a.URL && (err != nil || st >= 500) {
					// The instance died under this request: the same key, the other instance.
					useA = false
					retried.Add(1)
					url = b.URL
					st, body, err = post(url, "/v1/organizations/"+org.ID+"/workspaces", key, req)
				}
				if err != nil || st != http.StatusCreated {
					t.Errorf("client %d create %d through %s: %d %s %v", c, n, url, st, body, err)
					return
				}
				var ws api.Workspace
				if err := json.Unmarshal(body, &ws); err != nil || ws.Name != name {
					t.Errorf("client %d create %d: %s %v", c, n, body, err)
					return
				}
				mu.Lock()
				if prev, dup := acked[ws.ID]; dup {
					t.Errorf("workspace %s acknowledged twice (%s, %s)", ws.ID, prev, name)
				}
				acked[ws.ID] = name
				mu.Unlock()
				if killed.Load() && url == b.URL {
					afterKillB.Add(1)
				}
				if acks.Add(1) == killAfter {
					killOnce.Do(func() {
						a.Kill()
						killed.Store(true)
					})
				}
			}
		}()
	}
	wg.Wait()
	if !killed.Load() {
		t.Fatal("the storm ended before the kill")
	}
	if t.Failed() {
		t.Logf("instance a's log:\n%s", tail(a.readLog(), 20))
		return
	}
	if afterKillB.Load() == 0 {
		t.Error("the surviving instance acknowledged nothing after the kill")
	}

	// Every acknowledged create is there, once (read through the survivor).
	req, _ := http.NewRequest("GET", b.URL+"/v1/organizations/"+org.ID+"/workspaces?limit=500", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page api.Page[api.Workspace]
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil || resp.StatusCode != 200 {
		t.Fatalf("list: %d %v", resp.StatusCode, err)
	}
	names := map[string]int{}
	found := map[string]bool{}
	for _, ws := range page.Items {
		names[ws.Name]++
		found[ws.ID] = true
	}
	for id, name := range acked {
		if !found[id] {
			t.Errorf("acknowledged workspace %s (%s) is missing", id, name)
		}
	}
	if len(page.Items) != clients*perClient || len(acked) != clients*perClient || page.NextCursor != "" {
		t.Errorf("%d workspaces listed, %d acknowledged; want %d each", len(page.Items), len(acked), clients*perClient)
	}
	t.Logf("FIGURES postgres kill -9: %d creates acknowledged (%d before the kill), %d retried on the survivor, %d acknowledged by it after the kill",
		len(acked), killAfter, retried.Load(), afterKillB.Load())
}
