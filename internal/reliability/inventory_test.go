package reliability

import (
	"database/sql"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"

	_ "modernc.org/sqlite" // the server's own driver, read-only here

	"github.com/flero/terraform-provider-flero/internal/store"
)

// An inventory is what the server holds, keyed by natural identity (names and emails,
// not ids) so that it can be compared with a configuration: "ws org-a/ws-1" →
// "desc=… domain=…". It is read from the database itself, so that no object escapes
// it (the API would hide other users' personal credentials).
type inventory map[string]string

// openDB opens the server's database read-only, beside a running server.
func openDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// dbInventory reads every user, organization, membership, workspace, team and
// credential of the database. dups lists the natural keys seen more than once.
func dbInventory(t testing.TB, path string) (inv inventory, dups []string) {
	t.Helper()
	db := openDB(t, path)
	inv = inventory{}
	add := func(key, val string) {
		if _, seen := inv[key]; seen {
			dups = append(dups, key)
		}
		inv[key] = val
	}
	queries := []struct {
		q   string
		row func(cols []string) (string, string)
	}{
		{`SELECT email, status FROM users`, func(c []string) (string, string) { return "user " + c[0], "" }},
		{`SELECT name, plan, description, avatar_url, sso_enabled FROM organizations`, func(c []string) (string, string) {
			return "org " + c[0], fmt.Sprintf("plan=%s desc=%s avatar=%s sso=%s", c[1], c[2], c[3], c[4])
		}},
		{`SELECT o.name, u.email, m.role FROM org_memberships m JOIN organizations o ON o.id = m.org_id JOIN users u ON u.id = m.user_id`,
			func(c []string) (string, string) { return "orgm " + c[0] + " " + c[1], "role=" + c[2] }},
		{`SELECT o.name, w.name, w.description, w.avatar_url, coalesce(w.custom_domain, '') FROM workspaces w JOIN organizations o ON o.id = w.org_id`,
			func(c []string) (string, string) {
				return "ws " + c[0] + "/" + c[1], fmt.Sprintf("desc=%s avatar=%s domain=%s", c[2], c[3], c[4])
			}},
		{`SELECT o.name, t.name, t.description, t.avatar_url FROM teams t JOIN organizations o ON o.id = t.org_id`,
			func(c []string) (string, string) {
				return "team " + c[0] + "/" + c[1], fmt.Sprintf("desc=%s avatar=%s", c[2], c[3])
			}},
		{`SELECT o.name, t.name, u.email FROM team_memberships m JOIN teams t ON t.id = m.team_id JOIN organizations o ON o.id = t.org_id JOIN users u ON u.id = m.user_id`,
			func(c []string) (string, string) { return "teamm " + c[0] + "/" + c[1] + " " + c[2], "" }},
		{`SELECT o.name, w.name, m.principal_type, coalesce(u.email, t.name), m.role FROM workspace_memberships m
			JOIN workspaces w ON w.id = m.workspace_id JOIN organizations o ON o.id = w.org_id
			LEFT JOIN users u ON u.id = m.user_id LEFT JOIN teams t ON t.id = m.team_id`,
			func(c []string) (string, string) {
				return "wsm " + c[0] + "/" + c[1] + " " + c[2] + ":" + c[3], "role=" + c[4]
			}},
		{`SELECT o.name, w.name, c.name, c.type, c.scope, c.description, c.status, u.email FROM credentials c
			JOIN workspaces w ON w.id = c.workspace_id JOIN organizations o ON o.id = c.org_id JOIN users u ON u.id = c.owner_id`,
			func(c []string) (string, string) {
				return "cred " + c[0] + "/" + c[1] + "/" + c[2], fmt.Sprintf("type=%s scope=%s desc=%s status=%s owner=%s", c[3], c[4], c[5], c[6], c[7])
			}},
	}
	for _, q := range queries {
		rows, err := db.Query(q.q)
		if err != nil {
			t.Fatalf("%s: %v", q.q, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			strs := make([]string, len(cols))
			for i, v := range vals {
				strs[i] = v.String
			}
			add(q.row(strs))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return inv, dups
}

// countRows counts the rows of table.
func countRows(t testing.TB, path, table string) int {
	t.Helper()
	var n int
	if err := openDB(t, path).QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// integrityCheck runs SQLite's PRAGMA integrity_check and foreign_key_check.
func integrityCheck(t testing.TB, path string) (verdict string, fkProblems int) {
	t.Helper()
	db := openDB(t, path)
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&verdict); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		fkProblems++
	}
	return verdict, fkProblems
}

// compare reports what the server holds against want: objects missing, objects the
// configuration does not have (orphans), objects whose attributes differ.
func compare(want, got inventory) (missing, orphans, mismatched []string) {
	for k, v := range want {
		g, ok := got[k]
		switch {
		case !ok:
			missing = append(missing, k)
		case g != v:
			mismatched = append(mismatched, fmt.Sprintf("%s: want %q, got %q", k, v, g))
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			orphans = append(orphans, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(orphans)
	sort.Strings(mismatched)
	return missing, orphans, mismatched
}

// serverMatches checks that the database at dbPath holds exactly want: no duplicate,
// no orphan, nothing missing, every attribute as configured. It returns the number of
// duplicates and orphans found (both 0 when the check passes).
func serverMatches(t testing.TB, dbPath string, want inventory) (dups, orphans int) {
	t.Helper()
	got, dupKeys := dbInventory(t, dbPath)
	missing, orph, mismatched := compare(want, got)
	if len(dupKeys) > 0 {
		t.Errorf("duplicates on the server: %s", strings.Join(dupKeys, "; "))
	}
	if len(orph) > 0 {
		t.Errorf("orphans on the server (not in the configuration): %s", strings.Join(orph, "; "))
	}
	if len(missing) > 0 {
		t.Errorf("missing on the server: %s", strings.Join(missing, "; "))
	}
	if len(mismatched) > 0 {
		t.Errorf("attributes that differ from the configuration: %s", strings.Join(mismatched, "; "))
	}
	return len(dupKeys), len(orph)
}

// adminInventory is what a fresh server holds: the bootstrap platform admin.
func adminInventory() inventory {
	return inventory{"user " + store.BootstrapEmail: ""}
}
