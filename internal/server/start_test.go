package server_test

import (
	"context"
	"net/http"
	"path/filepath"
	"sync"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/server"
	"github.com/flero/terraform-provider-flero/internal/store"
)

// getStatus is the status of a GET /v1/me with token ("" none).
func getStatus(t *testing.T, url, token string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url+"/v1/me", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestStartBootstrapsListensAndShutsDown(t *testing.T) {
	db := filepath.Join(t.TempDir(), "flero.db")
	var generated []string
	var mu sync.Mutex
	var statuses []int
	run, err := server.Start(server.StartOptions{DB: db, Addr: "127.0.0.1:0",
		OnGeneratedToken: func(tok string) { generated = append(generated, tok) },
		Server: server.Options{Observe: func(status int) {
			mu.Lock()
			defer mu.Unlock()
			statuses = append(statuses, status)
		}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(generated) != 1 || run.AdminUserID == "" {
		t.Fatalf("new database without a token: generated %d tokens, admin %q; want one token and the admin", len(generated), run.AdminUserID)
	}
	if got := getStatus(t, run.URL, generated[0]); got != http.StatusOK {
		t.Errorf("GET /v1/me with the generated token: %d", got)
	}
	if got := getStatus(t, run.URL, ""); got != http.StatusUnauthorized {
		t.Errorf("GET /v1/me without a token: %d", got)
	}
	if err := run.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := run.Err(); err != nil {
		t.Errorf("Err after Shutdown: %v", err)
	}
	mu.Lock()
	if len(statuses) != 2 || statuses[0] != http.StatusOK || statuses[1] != http.StatusUnauthorized {
		t.Errorf("observed statuses %v, want [200 401]", statuses)
	}
	mu.Unlock()

	// The same database again: no user is bootstrapped without a token, a given token
	// is added to the first platform admin.
	generated = nil
	run, err = server.Start(server.StartOptions{DB: db, Addr: "127.0.0.1:0",
		OnGeneratedToken: func(tok string) { generated = append(generated, tok) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(generated) != 0 || run.AdminUserID != "" {
		t.Errorf("existing database without a token: generated %d tokens, admin %q; want none", len(generated), run.AdminUserID)
	}
	run.Shutdown(context.Background())
	tok := store.NewToken()
	run, err = server.Start(server.StartOptions{DB: db, Addr: "127.0.0.1:0", BootstrapToken: tok,
		OnGeneratedToken: func(tok string) { generated = append(generated, tok) }})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Shutdown(context.Background())
	if len(generated) != 0 || run.AdminUserID == "" {
		t.Errorf("existing database with a token: generated %d tokens, admin %q; want none and the admin", len(generated), run.AdminUserID)
	}
	if got := getStatus(t, run.URL, tok); got != http.StatusOK {
		t.Errorf("GET /v1/me with the given token: %d", got)
	}
}

func TestStartFailsAndLeavesNothingOpen(t *testing.T) {
	if _, err := server.Start(server.StartOptions{DB: filepath.Join(t.TempDir(), "missing", "dir", "flero.db"), Addr: "127.0.0.1:0"}); err == nil {
		t.Error("a database in a missing directory: no error")
	}
	db := filepath.Join(t.TempDir(), "flero.db")
	if _, err := server.Start(server.StartOptions{DB: db, Addr: "127.0.0.1:-1"}); err == nil {
		t.Fatal("a bad address: no error")
	}
	// The store was closed: the database opens again.
	run, err := server.Start(server.StartOptions{DB: db, Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	run.Shutdown(context.Background())
}
