package bench

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/server"
)

// Server is the reference server run in the bench's own process, on a fresh SQLite
// database, with counters of requests per route and per status class.
type Server struct {
	URL   string // http://127.0.0.1:port
	Token string // an API token of an ordinary active user (it creates the organization)

	run      *server.Running
	counters *server.Counters

	total, accepted, tooMany, serverErr atomic.Int64
	first, last                         atomic.Int64 // unix nanos of the first and last answer since Reset
	start                               atomic.Int64 // unix nanos of the last Reset
	perSecond                           [maxSeconds]atomic.Int64
}

// StartServer opens a new database in dir and serves it on 127.0.0.1 (server.Start).
// A zero RateLimit serves without a limit.
func StartServer(dir string, rl server.RateLimit) (*Server, error) {
	s := &Server{counters: server.NewCounters()}
	run, err := server.Start(server.StartOptions{DB: filepath.Join(dir, "flero.db"), Addr: "127.0.0.1:0",
		Server: server.Options{RateLimit: rl, Counters: s.counters, Observe: s.count}})
	if err != nil {
		return nil, err
	}
	_, token, err := run.Store.IssueToken(context.Background(), "bench@bench.example.com", "Bench", "flero-bench")
	if err != nil {
		_ = run.Shutdown(context.Background()) // the token could not be issued: stop the server we started
		return nil, err
	}
	s.URL, s.Token, s.run = run.URL, token, run
	s.start.Store(time.Now().UnixNano()) // nothing is answered before the URL is known
	go func() {
		if err := run.Err(); err != nil {
			fmt.Printf("flero-bench: server: %v\n", err)
		}
	}()
	return s, nil
}

// Close stops the server and closes the database.
func (s *Server) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.run.Shutdown(ctx) // cut short: the connections left are closed
}

// count counts an answer by its status (server.Options.Observe).
func (s *Server) count(status int) {
	s.total.Add(1)
	switch {
	case status == http.StatusTooManyRequests:
		s.tooMany.Add(1)
	case status >= 500:
		s.serverErr.Add(1)
		s.accepted.Add(1)
	default:
		s.accepted.Add(1)
	}
	now := time.Now().UnixNano()
	if sec := (now - s.start.Load()) / int64(time.Second); status != http.StatusTooManyRequests && sec >= 0 && sec < maxSeconds {
		s.perSecond[sec].Add(1)
	}
	s.first.CompareAndSwap(0, now)
	s.last.Store(now)
}

// Stats are the server's counters since the last Reset.
type Stats struct {
	Requests  int64            // every request
	Accepted  int64            // every request not refused with 429
	Status429 int64            // refused by the rate limit
	Status5xx int64            // server errors
	First     time.Time        // first answer (zero: none)
	Last      time.Time        // last answer
	ByRoute   map[string]int64 // "METHOD pattern" -> requests, only routes with some
	// PerSecond is the accepted requests answered in each second since Reset (up to
	// the last second with one).
	PerSecond []int64
}

// maxSeconds bounds Stats.PerSecond.
const maxSeconds = 3600

// Window is the time from the first answer to the last.
func (st Stats) Window() time.Duration {
	if st.First.IsZero() {
		return 0
	}
	return st.Last.Sub(st.First)
}

// rate is the accepted requests per second between the first and the last answer.
func (st Stats) rate() float64 {
	if w := st.Window().Seconds(); w > 0 {
		return float64(st.Accepted) / w
	}
	return 0
}

// Stats returns the counters.
func (s *Server) Stats() Stats {
	st := Stats{
		Requests:  s.total.Load(),
		Accepted:  s.accepted.Load(),
		Status429: s.tooMany.Load(),
		Status5xx: s.serverErr.Load(),
		ByRoute:   map[string]int64{},
	}
	if f := s.first.Load(); f != 0 {
		st.First, st.Last = time.Unix(0, f), time.Unix(0, s.last.Load())
	}
	for _, r := range api.Routes {
		if n := s.counters.Requests(r.Method, r.Pattern); n > 0 {
			st.ByRoute[r.Method+" "+r.Pattern] = n
		}
	}
	last := -1
	for i := range s.perSecond {
		if s.perSecond[i].Load() > 0 {
			last = i
		}
	}
	for i := 0; i <= last; i++ {
		st.PerSecond = append(st.PerSecond, s.perSecond[i].Load())
	}
	return st
}

// Reset zeroes the counters.
func (s *Server) Reset() {
	s.counters.Reset()
	s.total.Store(0)
	s.accepted.Store(0)
	s.tooMany.Store(0)
	s.serverErr.Store(0)
	s.first.Store(0)
	s.last.Store(0)
	for i := range s.perSecond {
		s.perSecond[i].Store(0)
	}
	s.start.Store(time.Now().UnixNano())
}

// IssueToken issues an API token of a new ordinary user (email): a user of its
// own, so a bucket of its own under the server's per-user rate limit.
func (s *Server) IssueToken(email string) (string, error) {
	_, token, err := s.run.Store.IssueToken(context.Background(), email, "Bench", "flero-bench")
	return token, err
}
