package store

import (
	"context"
	"fmt"
)

// migrations are applied in order, each once, recorded in schema_migrations. Never
// edit an applied migration: append a new one.
var migrations = []string{
	// 1: the platform's tables.
	`
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value BLOB NOT NULL
);
CREATE TABLE users (
	seq            INTEGER PRIMARY KEY,
	id             TEXT NOT NULL UNIQUE,
	email          TEXT NOT NULL UNIQUE, -- normalised (lower case)
	name           TEXT NOT NULL DEFAULT '',
	status         TEXT NOT NULL,
	platform_admin INTEGER NOT NULL DEFAULT 0,
	created_at     INTEGER NOT NULL
);
CREATE TABLE tokens (
	seq         INTEGER PRIMARY KEY,
	id          TEXT NOT NULL UNIQUE,
	user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	hash        TEXT NOT NULL UNIQUE, -- hex SHA-256 of the token; the token itself is never stored
	description TEXT NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL
);
CREATE INDEX tokens_user ON tokens(user_id);
CREATE TABLE organizations (
	seq         INTEGER PRIMARY KEY,
	id          TEXT NOT NULL UNIQUE,
	name        TEXT NOT NULL UNIQUE,
	description TEXT NOT NULL DEFAULT '',
	avatar_url  TEXT NOT NULL DEFAULT '',
	plan        TEXT NOT NULL,
	sso_enabled INTEGER NOT NULL DEFAULT 0,
	version     INTEGER NOT NULL DEFAULT 1,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
);
CREATE TABLE org_memberships (
	seq        INTEGER PRIMARY KEY,
	org_id     TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
	user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	role       TEXT NOT NULL,
	status     TEXT NOT NULL,
	version    INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	UNIQUE (org_id, user_id)
);
CREATE INDEX org_memberships_user ON org_memberships(user_id);
CREATE TABLE workspaces (
	seq           INTEGER PRIMARY KEY,
	id            TEXT NOT NULL UNIQUE,
	org_id        TEXT NOT NULL REFERENCES organizations(id),
	name          TEXT NOT NULL,
	description   TEXT NOT NULL DEFAULT '',
	avatar_url    TEXT NOT NULL DEFAULT '',
	custom_domain TEXT UNIQUE, -- NULL when none
	version       INTEGER NOT NULL DEFAULT 1,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL,
	UNIQUE (org_id, name)
);
CREATE TABLE teams (
	seq         INTEGER PRIMARY KEY,
	id          TEXT NOT NULL UNIQUE,
	org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
	name        TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	avatar_url  TEXT NOT NULL DEFAULT '',
	version     INTEGER NOT NULL DEFAULT 1,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	UNIQUE (org_id, name)
);
CREATE TABLE team_memberships (
	seq        INTEGER PRIMARY KEY,
	team_id    TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
	user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	version    INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	UNIQUE (team_id, user_id)
);
CREATE INDEX team_memberships_user ON team_memberships(user_id);
CREATE TABLE workspace_memberships (
	seq            INTEGER PRIMARY KEY,
	workspace_id   TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	principal_type TEXT NOT NULL,
	principal_id   TEXT NOT NULL,
	user_id        TEXT REFERENCES users(id) ON DELETE CASCADE,
	team_id        TEXT REFERENCES teams(id) ON DELETE CASCADE,
	role           TEXT NOT NULL,
	version        INTEGER NOT NULL DEFAULT 1,
	created_at     INTEGER NOT NULL,
	UNIQUE (workspace_id, principal_type, principal_id),
	CHECK ((principal_type = 'user' AND user_id = principal_id AND team_id IS NULL) OR
	       (principal_type = 'team' AND team_id = principal_id AND user_id IS NULL))
);
CREATE INDEX workspace_memberships_principal ON workspace_memberships(principal_id);
CREATE TABLE credentials (
	seq           INTEGER PRIMARY KEY,
	id            TEXT NOT NULL UNIQUE,
	workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
	org_id        TEXT NOT NULL REFERENCES organizations(id),
	name          TEXT NOT NULL,
	type          TEXT NOT NULL,
	description   TEXT NOT NULL DEFAULT '',
	scope         TEXT NOT NULL,
	owner_id      TEXT NOT NULL REFERENCES users(id),
	status        TEXT NOT NULL,
	data          BLOB NOT NULL, -- AES-GCM sealed JSON
	data_revision INTEGER NOT NULL DEFAULT 1,
	version       INTEGER NOT NULL DEFAULT 1,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL,
	UNIQUE (workspace_id, name)
);
CREATE INDEX credentials_org ON credentials(org_id, scope);
CREATE INDEX credentials_owner ON credentials(owner_id);
CREATE TABLE credential_uses (
	seq           INTEGER PRIMARY KEY,
	credential_id TEXT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
	workspace_id  TEXT NOT NULL,
	workflow      TEXT NOT NULL,
	user_id       TEXT NOT NULL,
	used_at       INTEGER NOT NULL
);
CREATE INDEX credential_uses_cred ON credential_uses(credential_id, used_at);
CREATE TABLE audit_events (
	seq          INTEGER PRIMARY KEY,
	id           TEXT NOT NULL UNIQUE,
	actor_id     TEXT NOT NULL,
	action       TEXT NOT NULL,
	entity_type  TEXT NOT NULL,
	entity_id    TEXT NOT NULL,
	org_id       TEXT NOT NULL DEFAULT '',
	workspace_id TEXT NOT NULL DEFAULT '',
	time         INTEGER NOT NULL,
	details      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_org ON audit_events(org_id, seq);
CREATE TABLE idempotency_keys (
	user_id     TEXT NOT NULL,
	key         TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	status      INTEGER NOT NULL,
	etag        TEXT NOT NULL DEFAULT '',
	body        BLOB NOT NULL, -- AES-GCM sealed reply (a token reply holds a secret)
	created_at  INTEGER NOT NULL,
	PRIMARY KEY (user_id, key)
);
`,
	// 2: tokens get a name, an optional expiry and a last use (rule 13).
	`
ALTER TABLE tokens ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;   -- 0: never
ALTER TABLE tokens ADD COLUMN last_used_at INTEGER NOT NULL DEFAULT 0; -- 0: never used
`,
	// 3 (day2): pending invitations get their time and expiry; a credential use names its run.
	`
ALTER TABLE org_memberships ADD COLUMN invited_at INTEGER NOT NULL DEFAULT 0;            -- 0: never invited (an organization's creator)
ALTER TABLE org_memberships ADD COLUMN invitation_expires_at INTEGER NOT NULL DEFAULT 0; -- 0: no invitation
UPDATE org_memberships SET invited_at = created_at, invitation_expires_at = created_at + 604800000000000 WHERE status = 'invited';
ALTER TABLE credential_uses ADD COLUMN run_id TEXT NOT NULL DEFAULT '';
`,
	// 4 (apikeys): Flero API keys (rule 14), in an organization or in one of its
	// workspaces; only the key's hash is stored. A revoked key keeps its row (listed
	// with revoked_at) and authenticates no more.
	`
CREATE TABLE api_keys (
	seq          INTEGER PRIMARY KEY,
	id           TEXT NOT NULL UNIQUE,
	org_id       TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
	workspace_id TEXT REFERENCES workspaces(id) ON DELETE CASCADE, -- NULL: an organization key
	hash         TEXT NOT NULL UNIQUE, -- hex SHA-256 of the key; the key itself is never stored
	name         TEXT NOT NULL,
	created_by   TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL DEFAULT 0,   -- 0: never
	last_used_at INTEGER NOT NULL DEFAULT 0,   -- 0: never used
	revoked_at   INTEGER NOT NULL DEFAULT 0    -- 0: not revoked
);
CREATE INDEX api_keys_org ON api_keys(org_id, workspace_id);
`,
	// 5 (growth): the audit log's lists by kind of event (a review of a membership's
	// removal lists the organization's credential deletions and updates, and the
	// user's creations; a refresh, a credential's deletion), each read from its own
	// index instead of every event of the organization.
	`
CREATE INDEX audit_events_org_kind ON audit_events(org_id, entity_type, action, seq);
CREATE INDEX audit_events_org_kind_actor ON audit_events(org_id, entity_type, action, actor_id, seq);
CREATE INDEX audit_events_org_entity ON audit_events(org_id, entity_type, entity_id, seq);
`,
}

// migrate applies the engine's migrations (migrations, or pgMigrations on PostgreSQL)
// in order, each once, recorded in schema_migrations; each runs in a write transaction
// (on PostgreSQL under the writer lock, so that instances starting together migrate
// one at a time).
func (s *Store) migrate(ctx context.Context) error {
	list, integer := migrations, "INTEGER"
	seen, record := `SELECT count(*) FROM schema_migrations WHERE version = ?`,
		`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`
	if s.pg {
		list, integer = pgMigrations, "BIGINT"
		seen, record = `SELECT count(*) FROM schema_migrations WHERE version = $1`,
			`INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`
	}
	table := `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    ` + integer + ` PRIMARY KEY,
		applied_at ` + integer + ` NOT NULL)`
	for i, m := range list {
		version := i + 1
		err := s.Write(ctx, func(tx *Tx) error {
			if _, err := tx.tx.ExecContext(ctx, table); err != nil {
				return err
			}
			var n int
			if err := tx.tx.QueryRowContext(ctx, seen, version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.tx.ExecContext(ctx, m); err != nil {
				return err
			}
			_, err := tx.tx.ExecContext(ctx, record, version, now())
			return err
		})
		if err != nil {
			return fmt.Errorf("store: migration %d: %w", version, err)
		}
	}
	return nil
}

// SchemaVersion is the highest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.r.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}
