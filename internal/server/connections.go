package server

import (
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Connections: the timeouts and the cap that keep slow clients and floods from holding
// the server. cmd/flero-server and internal/testserver build their http.Server here.

// DefaultBodyReadTimeout bounds the reading of one request body.
const DefaultBodyReadTimeout = 10 * time.Second

// HTTPLimits are an http.Server's timeouts and its cap on concurrent connections.
type HTTPLimits struct {
	ReadHeaderTimeout time.Duration // the request line and headers
	ReadTimeout       time.Duration // a whole request, body included
	WriteTimeout      time.Duration // from the end of the headers to the end of the answer
	IdleTimeout       time.Duration // a kept-alive connection between requests
	MaxConnections    int           // open connections at once; more wait to be accepted
}

// DefaultHTTPLimits suit the reference server: generous for a CI runner on a busy
// machine, short enough that an idle or slow client lets go.
var DefaultHTTPLimits = HTTPLimits{
	ReadHeaderTimeout: 5 * time.Second,
	ReadTimeout:       30 * time.Second,
	WriteTimeout:      60 * time.Second,
	IdleTimeout:       2 * time.Minute,
	MaxConnections:    1024,
}

// NewHTTPServer is an http.Server for h with the limits' timeouts (zero: the default's).
func NewHTTPServer(h http.Handler, l HTTPLimits, log *slog.Logger) *http.Server {
	d := DefaultHTTPLimits
	pick := func(v, def time.Duration) time.Duration {
		if v > 0 {
			return v
		}
		return def
	}
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: pick(l.ReadHeaderTimeout, d.ReadHeaderTimeout),
		ReadTimeout:       pick(l.ReadTimeout, d.ReadTimeout),
		WriteTimeout:      pick(l.WriteTimeout, d.WriteTimeout),
		IdleTimeout:       pick(l.IdleTimeout, d.IdleTimeout),
	}
	if log != nil {
		hs.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	}
	return hs
}

// LimitListener accepts at most maxConns connections at once (≤ 0: the default's); the
// others wait in the kernel's backlog until one closes.
func LimitListener(ln net.Listener, maxConns int) net.Listener {
	if maxConns <= 0 {
		maxConns = DefaultHTTPLimits.MaxConnections
	}
	return &limitListener{Listener: ln, sem: make(chan struct{}, maxConns), done: make(chan struct{})}
}

type limitListener struct {
	net.Listener
	sem       chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitConn{Conn: c, release: func() { <-l.sem }}, nil
}

func (l *limitListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
