//go:build !linux

package testserver

import (
	"net"
	"testing"
)

// ClosedPort: see closedport_linux.go. Off Linux the port is only closed, not held, so a
// parallel test may in rare cases be given it.
type ClosedPort struct{ addr string }

// ReserveClosedPort finds a port nothing listens on.
func ReserveClosedPort(t testing.TB) *ClosedPort {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testserver: listen: %v", err)
	}
	defer ln.Close()
	return &ClosedPort{addr: ln.Addr().String()}
}

// Addr is "127.0.0.1:port".
func (p *ClosedPort) Addr() string { return p.addr }

// URL is "http://127.0.0.1:port".
func (p *ClosedPort) URL() string { return "http://" + p.addr }

// Listen listens on the port.
func (p *ClosedPort) Listen() (net.Listener, error) { return net.Listen("tcp", p.addr) }
