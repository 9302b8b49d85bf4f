package server_test

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/server"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// slowBody opens a connection that sends a POST's headers without a token and then
// its body one byte at a time, as slowly as an attacker likes. The body is announced
// smaller than what net/http would give up on at once (256 KiB), so it is the body-read
// deadline that ends the connection.
func slowBody(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	_, err = fmt.Fprintf(c, "POST /v1/organizations HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{", addr)
	if err != nil {
		t.Fatalf("write: %v", err)
	}
	return c
}

// TestSlowBodiesDoNotHoldTheServer: 200 connections trickling a body without a token
// do not stop a normal request from being answered, and the server closes each of
// them by the body-read deadline (they get their 401 at once, then the connection is
// cut however slowly they keep sending).
func TestSlowBodiesDoNotHoldTheServer(t *testing.T) {
	const conns = 200
	deadline := 2 * time.Second
	// The whole-request read timeout is far away: only the body deadline can let go of
	// a slow connection within the test's guard.
	srv := testserver.Start(t, testserver.WithBodyReadTimeout(deadline), testserver.WithHTTPLimits(server.HTTPLimits{ReadTimeout: 10 * time.Minute}))
	a := admin(t, srv)
	addr := strings.TrimPrefix(srv.URL, "http://")

	start := time.Now()
	slow := make([]net.Conn, conns)
	for i := range slow {
		slow[i] = slowBody(t, addr)
		defer slow[i].Close()
	}
	// Keep trickling until the server lets go.
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				for _, c := range slow {
					_, _ = c.Write([]byte(" ")) // a closed one fails: it was let go
				}
			}
		}
	}()

	// A normal request, while the 200 are held open.
	t0 := time.Now()
	a.do("GET", "/v1/me", nil).want(http.StatusOK)
	took := time.Since(t0)
	t.Logf("FIGURES slow-bodies=%d normal request answered in %s", conns, took)
	// The bound the issue asks for. Measured at 0.8–3.6 ms over 8 runs at a load
	// average of 5–6 on 2 cores: the margin is some 300 times.
	if took > time.Second {
		t.Errorf("a normal request took %s while %d slow bodies were open", took, conns)
	}

	// Each slow connection got its 401, then is closed by the deadline.
	var closed, refused atomic.Int64
	var wg sync.WaitGroup
	var firstClose, lastClose atomic.Int64
	firstClose.Store(int64(time.Hour))
	for _, c := range slow {
		wg.Add(1)
		go func(c net.Conn) {
			defer wg.Done()
			_ = c.SetReadDeadline(time.Now().Add(deadline + 60*time.Second)) // a guard against a hang, not a timing check
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Errorf("slow connection: no answer: %v", err)
				return
			}
			if resp.StatusCode == http.StatusUnauthorized {
				refused.Add(1)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			var b [1]byte
			if _, err = c.Read(b[:]); errors.Is(err, io.EOF) || isReset(err) {
				closed.Add(1)
				at := int64(time.Since(start))
				for cur := firstClose.Load(); at < cur && !firstClose.CompareAndSwap(cur, at); cur = firstClose.Load() {
				}
				for cur := lastClose.Load(); at > cur && !lastClose.CompareAndSwap(cur, at); cur = lastClose.Load() {
				}
			} else {
				t.Errorf("slow connection still open: %v", err)
			}
		}(c)
	}
	wg.Wait()
	t.Logf("FIGURES slow-bodies=%d refused=%d closed=%d, from %s to %s after the first was opened (body-read deadline %s)",
		conns, refused.Load(), closed.Load(), time.Duration(firstClose.Load()), time.Duration(lastClose.Load()), deadline)
	if refused.Load() != conns || closed.Load() != conns {
		t.Fatalf("%d of %d slow connections refused with 401, %d closed", refused.Load(), conns, closed.Load())
	}
	// The server still answers.
	a.do("GET", "/v1/me", nil).want(http.StatusOK)
}

func isReset(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "connection reset") || strings.Contains(err.Error(), "broken pipe"))
}

// TestBogusTokenFloodKeepsLimiterMemoryBounded: 10,000 requests, each with a new
// random token, make no rate-limit bucket per token (the request limit is keyed on the
// authenticated user, failed authentications on the client address), turn into 429s
// once the address's failed-authentication budget is spent, and do not lock out a
// known token from the same address.
func TestBogusTokenFloodKeepsLimiterMemoryBounded(t *testing.T) {
	srv := testserver.Start(t, testserver.WithRateLimit(1000, 1000), testserver.WithAuthFailureLimit(5, 20))
	a := admin(t, srv)
	a.do("GET", "/v1/me", nil).want(http.StatusOK) // the admin's token is now known

	const total, workers = 10000, 8
	var next, unauthorized, limited, maxBuckets atomic.Int64
	var wg sync.WaitGroup
	tr := &http.Transport{MaxIdleConnsPerHost: workers}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := next.Add(1)
				if n > total {
					return
				}
				var b [16]byte
				_, _ = rand.Read(b[:])
				req, _ := http.NewRequest("GET", srv.URL+"/v1/me", nil)
				req.Header.Set("Authorization", "Bearer flr_"+hex.EncodeToString(b[:]))
				resp, err := client.Do(req)
				if err != nil {
					t.Errorf("request %d: %v", n, err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				switch resp.StatusCode {
				case http.StatusUnauthorized:
					unauthorized.Add(1)
				case http.StatusTooManyRequests:
					limited.Add(1)
				default:
					t.Errorf("request %d with a bogus token: %d", n, resp.StatusCode)
				}
				if n%500 == 0 {
					if b := int64(srv.LimiterBuckets()); b > maxBuckets.Load() {
						maxBuckets.Store(b)
					}
				}
			}
		}()
	}
	wg.Wait()
	buckets := srv.LimiterBuckets()
	t.Logf("FIGURES bogus-token requests=%d 401=%d 429=%d limiter buckets: at most %d while flooded, %d after", total, unauthorized.Load(), limited.Load(), maxBuckets.Load(), buckets)
	if maxBuckets.Load() > 2 || buckets > 2 {
		t.Fatalf("limiter buckets grew with the tokens: at most %d during, %d after (want ≤ 2: the address and the admin)", maxBuckets.Load(), buckets)
	}
	if limited.Load() == 0 {
		t.Errorf("the failed-authentication limit never answered 429")
	}
	// A known token from the same address still works, with its own limit announced.
	r := a.do("GET", "/v1/me", nil).want(http.StatusOK)
	if r.hdr.Get(api.HeaderRateLimitLimit) != "1000" {
		t.Errorf("rate-limit headers of the admin: %v", r.hdr)
	}
}
