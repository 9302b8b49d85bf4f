//go:build linux

package testserver

import (
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"
)

// ClosedPort is a 127.0.0.1 port that refuses connections and that no other test can
// take: it is held by a bound socket that does not listen (and, unlike the sockets of
// net.Listen, has no SO_REUSEADDR, so nobody else may bind it). Closing a listener to
// get a refused port is racy: a parallel test's server may be given the same port.
type ClosedPort struct {
	fd   int
	port int
}

// ReserveClosedPort binds the port for the test's lifetime (released at cleanup,
// unless Listen took it over).
func ReserveClosedPort(t testing.TB) *ClosedPort {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatalf("testserver: socket: %v", err)
	}
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		syscall.Close(fd)
		t.Fatalf("testserver: bind: %v", err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		syscall.Close(fd)
		t.Fatalf("testserver: getsockname: %v", err)
	}
	p := &ClosedPort{fd: fd, port: sa.(*syscall.SockaddrInet4).Port}
	t.Cleanup(func() {
		if p.fd >= 0 {
			syscall.Close(p.fd)
		}
	})
	return p
}

// Addr is "127.0.0.1:port".
func (p *ClosedPort) Addr() string { return fmt.Sprintf("127.0.0.1:%d", p.port) }

// URL is "http://127.0.0.1:port".
func (p *ClosedPort) URL() string { return "http://" + p.Addr() }

// Listen starts listening on the reserved port itself (no window in which another
// socket could take it) and hands it over as a net.Listener.
func (p *ClosedPort) Listen() (net.Listener, error) {
	if p.fd < 0 {
		return nil, fmt.Errorf("testserver: port %d already listening", p.port)
	}
	if err := syscall.Listen(p.fd, syscall.SOMAXCONN); err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(p.fd), p.Addr())
	p.fd = -1
	defer f.Close() // FileListener dups the descriptor
	return net.FileListener(f)
}
