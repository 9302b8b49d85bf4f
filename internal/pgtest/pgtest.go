// Package pgtest gives tests a throwaway PostgreSQL schema on the cluster that
// `make test-postgres` starts (scripts/pg-test-cluster.sh).
//
// FLERO_TEST_POSTGRES is that cluster's URL. Without it, a test that needs PostgreSQL
// is skipped with a message saying how to run it; FLERO_TEST_DB=postgres (every test
// server on PostgreSQL, internal/testserver) without it is an error.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

// EnvURL names the variable holding the test cluster's URL.
const EnvURL = "FLERO_TEST_POSTGRES"

// EnvEngine names the variable choosing the test servers' engine ("postgres" or
// "sqlite", the default).
const EnvEngine = "FLERO_TEST_DB"

// Enabled reports whether the test servers run on PostgreSQL (FLERO_TEST_DB=postgres).
func Enabled() bool { return os.Getenv(EnvEngine) == "postgres" }

// URL is the test cluster's URL; the test is skipped when there is none.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		if Enabled() {
			t.Fatalf("%s=postgres but %s is unset: run `make test-postgres`", EnvEngine, EnvURL)
		}
		t.Skipf("needs PostgreSQL: %s is unset (run `make test-postgres`, which starts a throwaway cluster)", EnvURL)
	}
	return u
}

// NewDatabase creates an empty schema on the test cluster, dropped when the test ends,
// and returns a URL whose connections use it (search_path). The test is skipped when
// there is no cluster.
func NewDatabase(t testing.TB) string {
	t.Helper()
	base := URL(t)
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	defer db.Close()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := db.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("pgtest: create schema: %v", err)
	}
	t.Cleanup(func() { Drop(base, schema) })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("pgtest: %s: %v", EnvURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Drop removes a schema made by NewDatabase (best effort).
func Drop(base, schema string) {
	db, err := sql.Open("pgx", base)
	if err != nil {
		return
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, _ = db.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE`)
}
