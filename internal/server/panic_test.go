package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/server"
	"github.com/flero/terraform-provider-flero/internal/store"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestHandlerPanicIsA500: a panic in a handler is answered 500 with the error shape
// and logged (with the request id), never a dropped connection; the server goes on.
func TestHandlerPanicIsA500(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "flero.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	token := store.NewToken()
	if _, err := st.Bootstrap(t.Context(), token); err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	srv := server.New(server.Options{Store: st, Logger: slog.New(slog.NewJSONHandler(&logs, nil)), Faults: server.Faults{PanicRate: 1}})
	hs := httptest.NewServer(srv)
	defer hs.Close()

	req, _ := http.NewRequest("GET", hs.URL+"/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("the connection was dropped: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var e api.ErrorResponse
	if resp.StatusCode != 500 || json.Unmarshal(body, &e) != nil || e.Error.Code != api.CodeInternal || e.Error.RequestID == "" {
		t.Fatalf("answer to a panic: %d %s", resp.StatusCode, body)
	}
	if l := logs.String(); !strings.Contains(l, `"msg":"handler panic"`) || !strings.Contains(l, e.Error.RequestID) || !strings.Contains(l, "injected fault") {
		t.Errorf("the panic is not in the log with its request id:\n%s", l)
	}
	srv.SetFaults(server.Faults{})
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("after the panic: %v %v", resp, err)
	}
	resp.Body.Close()
}
