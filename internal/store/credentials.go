package store

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// Credential is a credential row; its data stays sealed until Data is called.
type Credential struct {
	api.Credential
	sealed []byte
}

const credCols = `seq, id, workspace_id, org_id, name, type, description, scope, owner_id, status, data, data_revision, version, created_at, updated_at`

func scanCred(r scanner) (Credential, int64, error) {
	var c Credential
	var seq, cr, up int64
	err := r.Scan(&seq, &c.ID, &c.WorkspaceID, &c.OrganizationID, &c.Name, &c.Type, &c.Description, &c.Scope, &c.OwnerID, &c.Status, &c.sealed, &c.DataRevision, &c.Version, &cr, &up)
	c.CreatedAt, c.UpdatedAt = toTime(cr), toTime(up)
	return c, seq, err
}

// Credential returns a credential.
func (t *Tx) Credential(id string) (Credential, error) {
	return one(t, `SELECT `+credCols+` FROM credentials WHERE id = ?`, scanCred, id)
}

// CredentialData decrypts a credential's data.
func (t *Tx) CredentialData(c Credential) (map[string]string, error) {
	plain, err := t.s.crypto.open(c.sealed, c.ID)
	if err != nil {
		return nil, errors.New("store: credential data cannot be decrypted")
	}
	var data map[string]string
	if err := json.Unmarshal(plain, &data); err != nil {
		return nil, errors.New("store: credential data is corrupt")
	}
	return data, nil
}

func (t *Tx) sealData(id string, data map[string]string) ([]byte, error) {
	plain, err := json.Marshal(data)
	if err != nil {
		return nil, err
	}
	return t.s.crypto.seal(plain, id), nil
}

// InsertCredential creates a credential with its data sealed.
func (t *Tx) InsertCredential(c *Credential, data map[string]string) error {
	c.ID, c.Version, c.DataRevision = NewID("cred"), 1, 1
	c.CreatedAt = toTime(now())
	c.UpdatedAt = c.CreatedAt
	sealed, err := t.sealData(c.ID, data)
	if err != nil {
		return err
	}
	c.sealed = sealed
	_, err = t.exec(`INSERT INTO credentials (id, workspace_id, org_id, name, type, description, scope, owner_id, status, data, data_revision, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		c.ID, c.WorkspaceID, c.OrganizationID, c.Name, c.Type, c.Description, c.Scope, c.OwnerID, c.Status, sealed, c.DataRevision, c.Version, c.CreatedAt.UnixNano(), c.UpdatedAt.UnixNano())
	return err
}

// UpdateCredential writes c and bumps its version; non-nil data rotates the secret.
func (t *Tx) UpdateCredential(c *Credential, data map[string]string) error {
	if data != nil {
		sealed, err := t.sealData(c.ID, data)
		if err != nil {
			return err
		}
		c.sealed = sealed
		c.DataRevision++
	}
	c.Version++
	c.UpdatedAt = toTime(now())
	return t.updated(t.exec(`UPDATE credentials SET name=?, description=?, scope=?, status=?, data=?, data_revision=?, version=?, updated_at=? WHERE id=? AND version=?`,
		c.Name, c.Description, c.Scope, c.Status, c.sealed, c.DataRevision, c.Version, c.UpdatedAt.UnixNano(), c.ID, c.Version-1))
}

// DeleteCredential removes a credential and its usage records.
func (t *Tx) DeleteCredential(id string) error {
	return t.updated(t.exec(`DELETE FROM credentials WHERE id = ?`, id))
}

// ListCredentials lists credentials by home workspace (wsID) or organization
// (orgID, optionally one scope), keeping those keep accepts.
func (t *Tx) ListCredentials(orgID, wsID, scope string, after int64, limit int, keep func(Credential) bool) ([]Credential, int64, error) {
	q := `SELECT ` + credCols + ` FROM credentials WHERE 1=1`
	var args []any
	if orgID != "" {
		q += ` AND org_id = ?`
		args = append(args, orgID)
	}
	if wsID != "" {
		q += ` AND workspace_id = ?`
		args = append(args, wsID)
	}
	if scope != "" {
		q += ` AND scope = ?`
		args = append(args, scope)
	}
	return listPage(t, q, args, after, limit, scanCred, keep)
}

// PersonalCredentialsOwnedIn lists a user's personal credentials in an organization.
func (t *Tx) PersonalCredentialsOwnedIn(orgID, ownerID string) ([]Credential, error) {
	items, _, err := listPage(t, `SELECT `+credCols+` FROM credentials WHERE org_id = ? AND owner_id = ? AND scope = 'personal'`, []any{orgID, ownerID}, 0, 1<<30, scanCred, nil)
	return items, err
}

// OrganizationScopedCredentialNames names the organization-scoped credentials of an organization.
func (t *Tx) OrganizationScopedCredentialNames(orgID string) ([]string, error) {
	return t.strings(`SELECT name FROM credentials WHERE org_id = ? AND scope = 'organization' ORDER BY name`, orgID)
}

// CredentialNamesInWorkspace names the credentials whose home is a workspace.
func (t *Tx) CredentialNamesInWorkspace(wsID string) ([]string, error) {
	return t.strings(`SELECT name FROM credentials WHERE workspace_id = ? ORDER BY name`, wsID)
}

// InsertCredentialUse records that a workflow (in its run runID, "" when unknown) used
// a credential.
func (t *Tx) InsertCredentialUse(credID, wsID, workflow, runID, userID string) error {
	_, err := t.exec(`INSERT INTO credential_uses (credential_id, workspace_id, workflow, run_id, user_id, used_at) VALUES (?,?,?,?,?,?)`, credID, wsID, workflow, runID, userID, now())
	return err
}

// CredentialUsage aggregates a credential's uses since a time by workspace, workflow
// and user (and run, when byRun), with workspace names.
func (t *Tx) CredentialUsage(credID string, since time.Time, byRun bool) ([]api.CredentialUsage, error) {
	run, group := `''`, ``
	if byRun {
		run, group = `u.run_id`, `, u.run_id`
	}
	rows, err := t.query(`SELECT u.workspace_id, coalesce(w.name, ''), u.workflow, `+run+`, u.user_id, count(*), max(u.used_at)
		FROM credential_uses u LEFT JOIN workspaces w ON w.id = u.workspace_id
		WHERE u.credential_id = ? AND u.used_at >= ?
		GROUP BY u.workspace_id, w.name, u.workflow, u.user_id`+group+`
		ORDER BY 2, 3, 4, 5`, credID, since.UnixNano())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []api.CredentialUsage{}
	for rows.Next() {
		var u api.CredentialUsage
		var last int64
		if err := rows.Scan(&u.WorkspaceID, &u.WorkspaceName, &u.Workflow, &u.RunID, &u.UserID, &u.Uses, &last); err != nil {
			return nil, err
		}
		u.LastUsedAt = toTime(last)
		out = append(out, u)
	}
	return out, rows.Err()
}
