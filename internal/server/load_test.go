package server_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/pgtest"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// loadFixture is a server with one organization, workspace and credential.
type loadFixture struct {
	srv    *testserver.Server
	urls   []string // every instance serving the fixture's database (one, or two on PostgreSQL)
	pick   atomic.Int64
	client *http.Client
	wsID   string
	credID string
	seq    atomic.Int64
}

func newLoadFixture(tb testing.TB) *loadFixture {
	srv := testserver.Start(tb)
	a := admin(tb, srv)
	org := create[api.Organization](a, "/v1/organizations", api.CreateOrganizationRequest{Name: "load"})
	ws := create[api.Workspace](a, "/v1/organizations/"+org.ID+"/workspaces", api.CreateWorkspaceRequest{Name: "load"})
	cred := create[api.Credential](a, "/v1/workspaces/"+ws.ID+"/credentials", api.CreateCredentialRequest{Name: "c", Type: "slack", Data: map[string]string{"k": "v"}})
	tr := &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64}
	tb.Cleanup(tr.CloseIdleConnections)
	return &loadFixture{srv: srv, urls: []string{srv.URL}, client: &http.Client{Transport: tr}, wsID: ws.ID, credID: cred.ID}
}

// addInstance starts another server on the fixture's (PostgreSQL) database; requests
// then alternate between the instances.
func (f *loadFixture) addInstance(tb testing.TB) {
	other := testserver.Start(tb, testserver.WithDatabase(f.srv.DBPath))
	f.urls = append(f.urls, other.URL)
}

// op sends one request of a kind and checks its status.
func (f *loadFixture) op(kind string) error {
	var req *http.Request
	want := http.StatusOK
	base := f.urls[int(f.pick.Add(1))%len(f.urls)]
	switch kind {
	case "get":
		req, _ = http.NewRequest("GET", base+"/v1/credentials/"+f.credID, nil)
	case "list":
		req, _ = http.NewRequest("GET", base+"/v1/workspaces/"+f.wsID+"/credentials?limit=20", nil)
	case "create":
		n := f.seq.Add(1)
		body := fmt.Sprintf(`{"name":"load-%d","type":"slack","data":{"token":"t"}}`, n)
		req, _ = http.NewRequest("POST", base+"/v1/workspaces/"+f.wsID+"/credentials", bytes.NewReader([]byte(body)))
		req.Header.Set("Idempotency-Key", fmt.Sprintf("load-%d", n))
		want = http.StatusCreated
	}
	req.Header.Set("Authorization", "Bearer "+f.srv.AdminToken)
	resp, err := f.client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		return fmt.Errorf("%s: status %d", kind, resp.StatusCode)
	}
	return nil
}

func benchmarkOp(b *testing.B, kind string) {
	f := newLoadFixture(b)
	b.SetParallelism(8) // 8 × GOMAXPROCS clients
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := f.op(kind); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkServerGetCredential(b *testing.B)    { benchmarkOp(b, "get") }
func BenchmarkServerListCredentials(b *testing.B)  { benchmarkOp(b, "list") }
func BenchmarkServerCreateCredential(b *testing.B) { benchmarkOp(b, "create") }

// TestLoad prints requests/s and latency percentiles at 16 concurrent clients.
// Run: FLERO_LOAD=1 go test ./internal/server -run TestLoad -v
// (FLERO_LOAD_SECONDS sets each phase's length, default 5.) Figures are printed,
// never asserted: the machine is shared. The engine is the test servers' (SQLite, or
// PostgreSQL with FLERO_TEST_DB=postgres under make test-postgres, or with
// FLERO_TEST_POSTGRES set); FLERO_LOAD_INSTANCES=2 on PostgreSQL spreads the clients
// over two server instances on the one database.
func TestLoad(t *testing.T) {
	if os.Getenv("FLERO_LOAD") == "" {
		t.Skip("set FLERO_LOAD=1 to run the load test")
	}
	seconds := 5
	fmt.Sscan(os.Getenv("FLERO_LOAD_SECONDS"), &seconds)
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400)) // as cmd/flero-server does
	}
	f := newLoadFixture(t)
	engine := "sqlite"
	if pgtest.Enabled() {
		engine = "postgres"
		if os.Getenv("FLERO_LOAD_INSTANCES") == "2" {
			f.addInstance(t)
		}
	}
	engine = fmt.Sprintf("%s×%d", engine, len(f.urls))
	const clients = 16
	for _, kind := range []string{"get", "list", "create"} {
		var mu sync.Mutex
		var lat []time.Duration
		var errs atomic.Int64
		deadline := time.Now().Add(time.Duration(seconds) * time.Second)
		start := time.Now()
		var wg sync.WaitGroup
		for c := 0; c < clients; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				local := make([]time.Duration, 0, 4096)
				for time.Now().Before(deadline) {
					t0 := time.Now()
					if err := f.op(kind); err != nil {
						errs.Add(1)
						continue
					}
					local = append(local, time.Since(t0))
				}
				mu.Lock()
				lat = append(lat, local...)
				mu.Unlock()
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		slices.Sort(lat)
		pct := func(p float64) time.Duration {
			if len(lat) == 0 {
				return 0
			}
			return lat[min(len(lat)-1, int(float64(len(lat))*p))]
		}
		t.Logf("%-10s %-6s %d clients: %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms  (%d ok, %d errors)",
			engine, kind, clients, float64(len(lat))/elapsed.Seconds(), ms(pct(0.50)), ms(pct(0.99)), ms(pct(1)), len(lat), errs.Load())
		if errs.Load() > 0 {
			t.Errorf("%s: %d errors", kind, errs.Load())
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
