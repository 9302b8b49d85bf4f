package client

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Terraform calls the provider with up to -parallelism operations at once: the
// default HTTP client must keep those connections open between bursts rather than
// dial again each time.
func TestDefaultClientReusesConnectionsUnderParallelism(t *testing.T) {
	var dials atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond) // keep the burst's requests in flight together
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":"usr_1","email":"a@example.com","status":"active"}`))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			dials.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()

	c, err := New(Config{Endpoint: srv.URL, Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	const parallelism, bursts = 10, 5
	for b := 0; b < bursts; b++ {
		var wg sync.WaitGroup
		for i := 0; i < parallelism; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.Me(context.Background()); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	// One connection per concurrent request at most, kept across bursts (a pool of
	// GOMAXPROCS+1 idle connections would dial about parallelism more per burst).
	if n := dials.Load(); n > parallelism+2 {
		t.Errorf("%d connections dialed for %d bursts of %d requests, want at most %d", n, bursts, parallelism, parallelism+2)
	}
}
