package testserver

import (
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"testing"
)

// PortHold keeps a 127.0.0.1 port for a test while nothing listens on it: connections
// to it are refused, yet no other test's server can be given it. Closing a listener
// and using its port later is racy: a parallel test's server, asking for any port,
// may get that one (it happened: a test meant for "nothing listens" met another test's
// server and got a 401).
//
// The port is held by a socket that is bound but does not listen, with SO_REUSEADDR.
// Linux never hands a port with such an owner to a socket that asks for any port (it
// picks from those with no owner, or fails), while an explicit bind of the port by a
// socket that also has SO_REUSEADDR, as net.Listen sets it, succeeds: the test's own
// server (in process or a restarted flero-server process) listens there again while
// the hold stands, and the hold is released after.
type PortHold struct {
	fd   int
	addr string
}

// HoldPort holds addr ("127.0.0.1:port", or "127.0.0.1:0" for a new port) until
// Release or the end of the test.
func HoldPort(t testing.TB, addr string) *PortHold {
	t.Helper()
	ap, err := netip.ParseAddrPort(addr)
	if err != nil || !ap.Addr().Is4() {
		t.Fatalf("testserver: hold %q: want an IPv4 address and port (%v)", addr, err)
	}
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatalf("testserver: socket: %v", err)
	}
	h := &PortHold{fd: fd}
	t.Cleanup(h.Release)
	if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1); err != nil {
		t.Fatalf("testserver: SO_REUSEADDR: %v", err)
	}
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: ap.Addr().As4(), Port: int(ap.Port())}); err != nil {
		t.Fatalf("testserver: hold %s: %v", addr, err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatalf("testserver: getsockname: %v", err)
	}
	h.addr = fmt.Sprintf("%s:%d", ap.Addr(), sa.(*syscall.SockaddrInet4).Port)
	return h
}

// Release lets the port go (idempotent).
func (h *PortHold) Release() {
	if h.fd >= 0 {
		syscall.Close(h.fd)
		h.fd = -1
	}
}

// Listen listens on the held port, then releases the hold.
func (h *PortHold) Listen() (net.Listener, error) {
	ln, err := net.Listen("tcp", h.addr)
	if err == nil {
		h.Release()
	}
	return ln, err
}
