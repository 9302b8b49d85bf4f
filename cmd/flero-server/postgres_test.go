package main

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestUnreachablePostgresExitsWithoutThePassword: a postgres:// database that does not
// answer stops the server at once with an error naming the database, its password
// masked.
func TestUnreachablePostgresExitsWithoutThePassword(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a port nothing answers on once closed
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	db := "postgres://flero:pw-never-logged@" + addr + "/flero?sslmode=disable&connect_timeout=5"
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "--addr", "127.0.0.1:0", "--db", db)
	cmd.Env = append(os.Environ(), "FLERO_TOKEN=", "FLERO_ENCRYPTION_KEY=", "FLERO_DB=")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 {
		t.Errorf("exit %v, want a non-zero status\n%s", err, out)
	}
	if strings.Contains(string(out), "pw-never-logged") {
		t.Errorf("the database password is in the output:\n%s", out)
	}
	if !strings.Contains(string(out), `"msg":"open database"`) || !strings.Contains(string(out), addr) {
		t.Errorf("the error does not name the database:\n%s", out)
	}
}
