package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/pgtest"
)

// Both engines' migration lists advance together: a migration added to one only fails
// here, with or without a PostgreSQL cluster.
func TestMigrationListsAdvanceTogether(t *testing.T) {
	if len(migrations) != len(pgMigrations) {
		t.Fatalf("schema.go has %d SQLite migrations, schema_postgres.go %d PostgreSQL ones: "+
			"every migration needs its twin (same version, same tables and columns)", len(migrations), len(pgMigrations))
	}
}

// column is what both engines must agree on: name, kind of value and nullability.
type column struct {
	Name, Kind string
	NotNull    bool
}

func (c column) String() string {
	n := ""
	if c.NotNull {
		n = " not null"
	}
	return c.Name + " " + c.Kind + n
}

// TestSchemasDescribeTheSameEntities migrates a SQLite file and a PostgreSQL schema and
// compares what they hold: the same tables, each with the same columns, of the same
// kind (integer, text, bytes) and nullability, and the same unique keys.
func TestSchemasDescribeTheSameEntities(t *testing.T) {
	ctx := context.Background()
	lite, err := Open(filepath.Join(t.TempDir(), "f.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg, err := Open(pgtest.NewDatabase(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()

	liteTables := sqliteColumns(t, lite)
	pgTables := postgresColumns(t, pg)
	if len(liteTables) < 10 {
		t.Fatalf("read %d SQLite tables: the comparison would prove nothing", len(liteTables))
	}
	if got, want := keys(pgTables), keys(liteTables); got != want {
		t.Fatalf("tables differ:\nPostgreSQL %s\nSQLite     %s", got, want)
	}
	for table, want := range liteTables {
		if got := pgTables[table]; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("table %s differs:\nPostgreSQL %v\nSQLite     %v", table, got, want)
		}
	}
	liteUnique, pgUnique := sqliteUniqueKeys(t, lite), postgresUniqueKeys(t, pg)
	if len(liteUnique) < 10 {
		t.Fatalf("read %d SQLite unique keys: the comparison would prove nothing", len(liteUnique))
	}
	if fmt.Sprint(liteUnique) != fmt.Sprint(pgUnique) {
		t.Errorf("unique keys differ:\nPostgreSQL %v\nSQLite     %v", pgUnique, liteUnique)
	}
	for _, s := range []*Store{lite, pg} {
		if v, err := s.SchemaVersion(ctx); err != nil || v != len(migrations) {
			t.Errorf("%s: schema version %d, %v; want %d", s.Engine(), v, err, len(migrations))
		}
	}
}

func keys[V any](m map[string]V) string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	sort.Strings(k)
	return strings.Join(k, " ")
}

func kindOf(declared string) string {
	switch strings.ToLower(declared) {
	case "integer", "bigint":
		return "integer"
	case "text":
		return "text"
	case "blob", "bytea":
		return "bytes"
	}
	return "?" + declared
}

func sqliteColumns(t *testing.T, s *Store) map[string][]column {
	t.Helper()
	out := map[string][]column{}
	rows, err := s.r.Query(`SELECT m.name, p.name, p.type, p."notnull", p.pk FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, name, typ string
		var notNull bool
		var pk int
		if err := rows.Scan(&table, &name, &typ, &notNull, &pk); err != nil {
			t.Fatal(err)
		}
		// SQLite lets a primary key column hold NULL unless it says NOT NULL; its
		// INTEGER PRIMARY KEY (the rowid) never does. PostgreSQL's keys are NOT NULL.
		out[table] = append(out[table], column{name, kindOf(typ), notNull || pk > 0})
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func postgresColumns(t *testing.T, s *Store) map[string][]column {
	t.Helper()
	out := map[string][]column{}
	rows, err := s.r.Query(`SELECT table_name, column_name, data_type, is_nullable = 'NO' FROM information_schema.columns
		WHERE table_schema = current_schema() ORDER BY table_name, column_name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, name, typ string
		var notNull bool
		if err := rows.Scan(&table, &name, &typ, &notNull); err != nil {
			t.Fatal(err)
		}
		out[table] = append(out[table], column{name, kindOf(typ), notNull})
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// sqliteUniqueKeys lists "table(col,col)" for every primary key and unique constraint.
func sqliteUniqueKeys(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.r.Query(`SELECT m.name, l.name, l.origin, i.name FROM sqlite_master m, pragma_index_list(m.name) l, pragma_index_info(l.name) i
		WHERE m.type = 'table' AND l."unique" = 1 ORDER BY m.name, l.name, i.seqno`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	idx := map[string][]string{}
	for rows.Next() {
		var table, index, origin, col string
		if err := rows.Scan(&table, &index, &origin, &col); err != nil {
			t.Fatal(err)
		}
		idx[table+"\x00"+index] = append(idx[table+"\x00"+index], col)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var out []string
	for k, cols := range idx {
		out = append(out, strings.SplitN(k, "\x00", 2)[0]+"("+strings.Join(cols, ",")+")")
	}
	// The rowid primary keys (seq INTEGER PRIMARY KEY) have no index in SQLite.
	tables, err := s.r.Query(`SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND p.pk = 1 AND lower(p.type) = 'integer'
		AND (SELECT count(*) FROM pragma_table_info(m.name) q WHERE q.pk > 0) = 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer tables.Close()
	for tables.Next() {
		var table, col string
		if err := tables.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		out = append(out, table+"("+col+")")
	}
	sort.Strings(out)
	return out
}

func postgresUniqueKeys(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.r.Query(`SELECT c.conrelid::regclass::text, string_agg(a.attname, ',' ORDER BY k.ord)
		FROM pg_constraint c
		CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
		JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
		WHERE c.contype IN ('p', 'u') AND c.connamespace = current_schema()::regnamespace
		GROUP BY c.oid, c.conrelid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var table, cols string
		if err := rows.Scan(&table, &cols); err != nil {
			t.Fatal(err)
		}
		out = append(out, table+"("+cols+")")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}
