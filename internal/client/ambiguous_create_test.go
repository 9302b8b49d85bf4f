package client

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// TestCreateIsNotAbandonedWhileItsOutcomeIsUnknown: a create whose first attempt was
// committed but lost its answer, and whose every retry then met a 503, must not be
// given up while the server can still tell what happened: the client sends it again,
// with the same Idempotency-Key, and gets the object it made. Given up, the object
// would exist without Terraform knowing it, and every later apply would fail with a
// name conflict (found by internal/reliability under 30% 503/429 and 10% dropped
// commits with the provider's default retries).
func TestCreateIsNotAbandonedWhileItsOutcomeIsUnknown(t *testing.T) {
	t.Run("new connection", func(t *testing.T) { testAmbiguousCreate(t, false) })
	// On a kept-alive connection, net/http itself sends a request that carries an
	// Idempotency-Key again when the connection drops before the answer: the client
	// sees only the second attempt's 503, not the lost first one.
	t.Run("reused connection", func(t *testing.T) { testAmbiguousCreate(t, true) })
}

func testAmbiguousCreate(t *testing.T, warm bool) {
	var (
		mu      sync.Mutex
		stored  = map[string][]byte{} // Idempotency-Key → the answer of the committed create
		created int
		posts   int
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.Method == http.MethodGet {
			json.NewEncoder(w).Encode(api.Me{})
			return
		}
		posts++
		key := r.Header.Get(api.HeaderIdempotencyKey)
		if body, ok := stored[key]; ok && posts > 4 { // the server is back: replay
			w.Header().Set(api.HeaderIdempotentReplay, "true")
			w.WriteHeader(http.StatusCreated)
			w.Write(body)
			return
		}
		if posts == 1 { // commit, then drop the connection
			created++
			stored[key], _ = json.Marshal(api.Workspace{ID: "ws_1", Name: "prod", Version: 1})
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		w.Header().Set(api.HeaderRetryAfter, "0")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"error":{"code":"unavailable","message":"retry"}}`))
	}))
	defer srv.Close()

	c, err := New(Config{Endpoint: srv.URL, Token: "t", RetryMax: 2, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if warm {
		if _, err := c.Me(ctx); err != nil {
			t.Fatal(err)
		}
	}
	ws, err := c.Workspaces.Create(ctx, "org_1", api.CreateWorkspaceRequest{Name: "prod"})
	if err != nil {
		t.Fatalf("create gave up (after %d POSTs) although its first attempt was committed: %v", posts, err)
	}
	if ws.ID != "ws_1" || created != 1 {
		t.Fatalf("got %+v after %d creates, want the one object made by the first attempt", ws, created)
	}
}
