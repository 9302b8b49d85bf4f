package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
)

func TestOpenMigrateReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "f.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v != len(migrations) {
		t.Fatalf("schema version %d %v", v, err)
	}
	token := NewToken()
	adminID, err := s.Bootstrap(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	var credID string
	err = s.Write(ctx, func(tx *Tx) error {
		o := api.Organization{Name: "o", Plan: "free"}
		if err := tx.InsertOrganization(&o); err != nil {
			return err
		}
		w := api.Workspace{OrganizationID: o.ID, Name: "w"}
		if err := tx.InsertWorkspace(&w); err != nil {
			return err
		}
		c := Credential{Credential: api.Credential{WorkspaceID: w.ID, OrganizationID: o.ID, Name: "c", Type: "t", Scope: "workspace", OwnerID: adminID, Status: "active"}}
		if err := tx.InsertCredential(&c, map[string]string{"k": "plain-secret-value"}); err != nil {
			return err
		}
		credID = c.ID
		// Foreign keys are on: a workspace of a missing organization is refused.
		bad := api.Workspace{OrganizationID: "org_missing", Name: "x"}
		if err := tx.InsertWorkspace(&bad); !errors.Is(err, ErrConstraint) {
			t.Errorf("foreign key not enforced: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if bytes.Contains(b, []byte("plain-secret-value")) || bytes.Contains(b, []byte(token)) {
		t.Fatal("a secret is stored in the clear")
	}
	// Reopen: migrations are not re-applied, the data decrypts, the token is known.
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.Read(ctx, func(tx *Tx) error {
		u, err := tx.UserByTokenHash(HashToken(token))
		if err != nil || u.ID != adminID || !u.PlatformAdmin {
			t.Errorf("bootstrap user: %+v %v", u, err)
		}
		c, err := tx.Credential(credID)
		if err != nil {
			return err
		}
		data, err := tx.CredentialData(c)
		if err != nil || data["k"] != "plain-secret-value" {
			t.Errorf("data: %v %v", data, err)
		}
		var mode string
		if err := tx.row(`PRAGMA journal_mode`, nil, &mode); err != nil || !strings.EqualFold(mode, "wal") {
			t.Errorf("journal_mode %q %v", mode, err)
		}
		var fk int
		if err := tx.row(`PRAGMA foreign_keys`, nil, &fk); err != nil || fk != 1 {
			t.Errorf("foreign_keys %d %v", fk, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := s.IntegrityCheck(ctx); err != nil || res != "ok" {
		t.Fatalf("integrity: %q %v", res, err)
	}
}

func TestEncryptionKeys(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	fi, err := os.Stat(KeyFile(path))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	key, _ := os.ReadFile(KeyFile(path))
	// The same key given explicitly works; another is refused.
	if s, err := Open(path, Options{EncryptionKey: string(key)}); err != nil {
		t.Fatalf("explicit key: %v", err)
	} else {
		s.Close()
	}
	if _, err := Open(path, Options{EncryptionKey: strings.Repeat("0", 64)}); err == nil {
		t.Fatal("a wrong key was accepted")
	}
	for _, bad := range []string{"short", strings.Repeat("z", 64)} {
		if _, err := ParseKey(bad); err == nil {
			t.Errorf("ParseKey(%q) accepted", bad)
		}
	}
}
