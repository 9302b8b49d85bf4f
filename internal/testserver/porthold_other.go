//go:build !linux

package testserver

import (
	"net"
	"testing"
)

// PortHold: see porthold_linux.go. Off Linux the port is only remembered, not held,
// so a parallel test may in rare cases be given it.
type PortHold struct{ addr string }

// HoldPort remembers addr, or finds a free port for "127.0.0.1:0".
func HoldPort(t testing.TB, addr string) *PortHold {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("testserver: hold %s: %v", addr, err)
	}
	defer ln.Close()
	return &PortHold{addr: ln.Addr().String()}
}

// Release does nothing here.
func (h *PortHold) Release() {}

// Listen listens on the port.
func (h *PortHold) Listen() (net.Listener, error) { return net.Listen("tcp", h.addr) }
