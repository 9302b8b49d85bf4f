package store

import "testing"

func TestPostgresQueryTranslation(t *testing.T) {
	for in, want := range map[string]string{
		`SELECT 1 FROM t WHERE a = ? AND b = ?`:                            `SELECT 1 FROM t WHERE a = $1 AND b = $2`,
		`SELECT '?' , "we?ird" FROM t WHERE a = ? -- why?` + "\nAND b = ?": `SELECT '?' , "we?ird" FROM t WHERE a = $1 -- why?` + "\nAND b = $2",
		`SELECT 'it''s ?' WHERE x = ?`:                                     `SELECT 'it''s ?' WHERE x = $1`,
		`WHERE org_id IN (SELECT value FROM json_each(?))`:                 `WHERE org_id IN (SELECT value FROM json_array_elements_text(CAST($1 AS json)))`,
		`SET last_used_at = max(last_used_at, ?) WHERE id = ?`:             `SET last_used_at = greatest(last_used_at, $1) WHERE id = $2`,
	} {
		if got := pgQuery(in); got != want {
			t.Errorf("pgQuery(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

func TestPostgresArgs(t *testing.T) {
	in := []any{true, false, "x", 3}
	out, err := pgArgs(in)
	if err != nil || out[0] != int64(1) || out[1] != int64(0) || out[2] != "x" || out[3] != 3 {
		t.Fatalf("pgArgs = %v, %v", out, err)
	}
	if in[0] != true {
		t.Fatal("pgArgs changed its caller's slice")
	}
	for _, bad := range []string{"a\x00b", "\xff"} {
		if _, err := pgArgs([]any{bad}); err != errUnstorableText {
			t.Errorf("pgArgs(%q): %v, want errUnstorableText", bad, err)
		}
	}
}

func TestEngineOf(t *testing.T) {
	for dsn, want := range map[string]Engine{
		"flero.db": SQLite, "/tmp/x.db": SQLite, "postgres://u@h/db": Postgres, "postgresql://h/db": Postgres,
	} {
		if got := EngineOf(dsn); got != want {
			t.Errorf("EngineOf(%q) = %s, want %s", dsn, got, want)
		}
	}
	for in, want := range map[string]string{
		"postgres://u:secret@h/db":                   "postgres://u:xxxxx@h/db",
		"postgres://u@h/db?password=secret&x=1":      "postgres://u@h/db?password=xxxxx&x=1",
		"postgres://u@/db?host=/tmp/s&search_path=a": "postgres://u@/db?host=/tmp/s&search_path=a",
		"flero.db": "flero.db",
	} {
		if got := Redacted(in); got != want {
			t.Errorf("Redacted(%q) = %q, want %q", in, got, want)
		}
	}
}
