package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/store"
)

func credentials(items []store.Credential) []api.Credential {
	out := make([]api.Credential, len(items))
	for i, c := range items {
		out[i] = c.Credential
	}
	return out
}

func listWorkspaceCredentials(c *call) (*reply, error) {
	ws, _, a, err := c.workspace(c.path("workspace_id"))
	if err != nil {
		return nil, err
	}
	return listWith(c, func(after int64, limit int) ([]api.Credential, int64, error) {
		items, next, err := c.tx.ListCredentials("", ws.ID, "", after, limit, func(cr store.Credential) bool {
			return rules.CanSeeCredential(a, ruleCred(cr))
		})
		return credentials(items), next, err
	})
}

func listOrganizationCredentials(c *call) (*reply, error) {
	o, a, err := c.org(c.path("organization_id"))
	if err != nil {
		return nil, err
	}
	scope := c.query("scope")
	if scope != "" {
		if err := validate(rules.OneOf("scope", scope, rules.Scopes)); err != nil {
			return nil, err
		}
	}
	actorIn, err := c.workspaceActors(o.ID, a)
	if err != nil {
		return nil, err
	}
	return listWith(c, func(after int64, limit int) ([]api.Credential, int64, error) {
		items, next, err := c.tx.ListCredentials(o.ID, "", scope, after, limit, func(cr store.Credential) bool {
			return rules.CanSeeCredential(actorIn(cr.WorkspaceID), ruleCred(cr))
		})
		return credentials(items), next, err
	})
}

func createCredential(c *call) (*reply, error) {
	req, err := decode[api.CreateCredentialRequest](c)
	if err != nil {
		return nil, err
	}
	ws, o, a, err := c.workspace(c.path("workspace_id"))
	if err != nil {
		return nil, err
	}
	if req.Scope == "" {
		req.Scope = string(rules.DefaultScope)
	}
	if err := validate(rules.OneOf("scope", req.Scope, rules.Scopes)); err != nil {
		return nil, err
	}
	rc := rules.Credential{Name: req.Name, Scope: rules.Scope(req.Scope), OwnerID: c.ownerID()}
	if err := check(rules.CheckCredentialAction(a, rules.ActionCreate, rc)); err != nil {
		return nil, err
	}
	if err := validate(rules.ValidateName("name", req.Name), rules.ValidateCredentialType("type", req.Type),
		rules.ValidateDescription("description", req.Description), rules.ValidateCredentialData("data", req.Data)); err != nil {
		return nil, err
	}
	if err := check(rules.CheckScopeAllowed(o.Name, rules.Plan(o.Plan), rc.Scope)); err != nil {
		return nil, err
	}
	if err := c.taken(rules.NameCredential, ws.ID, req.Name, ""); err != nil {
		return nil, err
	}
	cr := store.Credential{Credential: api.Credential{WorkspaceID: ws.ID, OrganizationID: o.ID, Name: req.Name, Type: req.Type,
		Description: req.Description, Scope: req.Scope, OwnerID: c.ownerID(), Status: string(rules.CredentialActive)}}
	if err := c.tx.InsertCredential(&cr, req.Data); err != nil {
		return nil, err
	}
	if err := c.audit("created", "credential", cr.ID, o.ID, ws.ID, map[string]string{"scope": cr.Scope, "name": cr.Name}); err != nil {
		return nil, err
	}
	return created(cr.Credential, cr.Version)
}

func getCredential(c *call) (*reply, error) {
	cr, _, _, err := c.credential(c.path("credential_id"))
	if err != nil {
		return nil, err
	}
	return ok(cr.Credential, cr.Version)
}

func updateCredential(c *call) (*reply, error) {
	req, err := decode[api.UpdateCredentialRequest](c)
	if err != nil {
		return nil, err
	}
	cr, o, a, err := c.credential(c.path("credential_id"))
	if err != nil {
		return nil, err
	}
	rc := ruleCred(cr)
	update := rules.ClassifyCredentialUpdate(rules.CredentialUpdate{
		Profile: (req.Name != nil && *req.Name != cr.Name) || (req.Description != nil && *req.Description != cr.Description),
		Data:    req.Data != nil,
		Scope:   req.Scope != nil && *req.Scope != cr.Scope,
	})
	rescope, rotate := update.Rescope, update.Rotate
	if update.Edit {
		if err := check(rules.CheckCredentialAction(a, rules.ActionEdit, rc)); err != nil {
			return nil, err
		}
	}
	if rotate {
		if err := check(rules.CheckCredentialAction(a, rules.ActionRotate, rc)); err != nil {
			return nil, err
		}
	}
	if err := c.ifMatch(cr.Version); err != nil {
		return nil, err
	}
	patch := profilePatch{name: req.Name, description: req.Description}
	vs := patch.violations()
	if req.Scope != nil {
		vs = append(vs, rules.OneOf("scope", *req.Scope, rules.Scopes))
	}
	if rotate {
		vs = append(vs, rules.ValidateCredentialData("data", req.Data))
	}
	if err := validate(vs...); err != nil {
		return nil, err
	}
	details := map[string]string{}
	var ch changes
	if rescope {
		to := rules.Scope(*req.Scope)
		if err := check(rules.CheckRescope(a, rc, to)); err != nil {
			return nil, err
		}
		if err := check(rules.CheckScopeAllowed(o.Name, rules.Plan(o.Plan), to)); err != nil {
			return nil, err
		}
		details["scope"] = cr.Scope + " -> " + *req.Scope
		cr.Scope = *req.Scope
		ch.add("scope")
	}
	credential := profile{kind: rules.NameCredential, parentID: cr.WorkspaceID, id: cr.ID, name: &cr.Name, description: &cr.Description}
	if err := c.applyProfile(credential, patch, &ch); err != nil {
		return nil, err
	}
	if rotate {
		ch.add("data") // never the values
	}
	if len(ch) == 0 {
		return ok(cr.Credential, cr.Version)
	}
	if err := c.tx.UpdateCredential(&cr, req.Data); err != nil {
		return nil, err
	}
	for k, v := range ch.details() {
		details[k] = v
	}
	if err := c.audit("updated", "credential", cr.ID, o.ID, cr.WorkspaceID, details); err != nil {
		return nil, err
	}
	return ok(cr.Credential, cr.Version)
}

func deleteCredential(c *call) (*reply, error) {
	cr, o, a, err := c.credential(c.path("credential_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckCredentialAction(a, rules.ActionDelete, ruleCred(cr))); err != nil {
		return nil, err
	}
	if err := c.ifMatch(cr.Version); err != nil {
		return nil, err
	}
	if err := c.tx.DeleteCredential(cr.ID); err != nil {
		return nil, err
	}
	if err := c.audit("deleted", "credential", cr.ID, o.ID, cr.WorkspaceID, map[string]string{"name": cr.Name}); err != nil {
		return nil, err
	}
	return noContent()
}

func recordCredentialUse(c *call) (*reply, error) {
	req, err := decode[api.RecordUseRequest](c)
	if err != nil {
		return nil, err
	}
	cr, o, a, err := c.credential(c.path("credential_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckCredentialAction(a, rules.ActionUse, ruleCred(cr))); err != nil {
		return nil, err
	}
	vs := []*rules.Violation{rules.ValidateWorkflow("workflow", req.Workflow)}
	if req.RunID != "" {
		vs = append(vs, rules.ValidateWorkflow("run_id", req.RunID))
	}
	if req.WorkspaceID == "" {
		vs = append(vs, rules.Required("workspace_id"))
	}
	if err := validate(vs...); err != nil {
		return nil, err
	}
	// Rule 12: the caller works in the workspace, and the credential is usable there.
	ws, err := c.tx.Workspace(req.WorkspaceID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	exists := err == nil && ws.OrganizationID == cr.OrganizationID
	var there rules.Actor
	if exists {
		roles, err := c.roles(ws.OrganizationID, ws.ID)
		if err != nil {
			return nil, err
		}
		there = actor(c.user.ID, roles)
	}
	if err := check(rules.CheckCredentialUse(there, ruleCred(cr), req.WorkspaceID, exists)); err != nil {
		if v := (*rules.Violation)(nil); errors.As(err, &v) && v.Kind == rules.KindInvalid {
			return nil, validate(v)
		}
		return nil, err
	}
	if err := check(rules.CheckCredentialActive(cr.Name, rules.CredentialStatus(cr.Status))); err != nil {
		return nil, err
	}
	if err := c.tx.InsertCredentialUse(cr.ID, ws.ID, req.Workflow, req.RunID, c.user.ID); err != nil {
		return nil, err
	}
	details := map[string]string{"workflow": req.Workflow}
	if req.RunID != "" {
		details["run_id"] = req.RunID
	}
	if err := c.audit("used", "credential", cr.ID, o.ID, ws.ID, details); err != nil {
		return nil, err
	}
	return noContent()
}

func credentialUsage(c *call) (*reply, error) {
	cr, _, _, err := c.credential(c.path("credential_id"))
	if err != nil {
		return nil, err
	}
	days := 30
	if s := c.query("since_days"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 3650 {
			return nil, &apiError{status: http.StatusBadRequest, code: api.CodeBadRequest, msg: "since_days must be a whole number from 1 to 3650.",
				fields: []api.FieldError{{Path: "since_days", Message: "must be a whole number from 1 to 3650"}}}
		}
		days = n
	}
	byRun := false
	if s := c.query("by_run"); s != "" {
		if byRun, err = strconv.ParseBool(s); err != nil {
			return nil, &apiError{status: http.StatusBadRequest, code: api.CodeBadRequest, msg: "by_run must be true or false.",
				fields: []api.FieldError{{Path: "by_run", Message: "must be true or false"}}}
		}
	}
	items, err := c.tx.CredentialUsage(cr.ID, time.Now().Add(-time.Duration(days)*24*time.Hour), byRun)
	if err != nil {
		return nil, err
	}
	return ok(api.CredentialUsageList{SinceDays: days, Items: items}, 0)
}

func testCredential(c *call) (*reply, error) {
	cr, o, a, err := c.credential(c.path("credential_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckCredentialAction(a, rules.ActionUse, ruleCred(cr))); err != nil {
		return nil, err
	}
	res := api.CredentialTestResult{OK: true}
	if v := rules.CheckCredentialActive(cr.Name, rules.CredentialStatus(cr.Status)); v != nil {
		res = api.CredentialTestResult{OK: false, Message: v.Message}
	} else if data, err := c.tx.CredentialData(cr); err != nil {
		res = api.CredentialTestResult{OK: false, Message: fmt.Sprintf("Credential %q cannot be decrypted with the server's encryption key.", cr.Name)}
	} else {
		res.Message = fmt.Sprintf("Credential %q is active and its data (%d key(s), revision %d) decrypts.", cr.Name, len(data), cr.DataRevision)
	}
	if err := c.audit("tested", "credential", cr.ID, o.ID, cr.WorkspaceID, map[string]string{"ok": strconv.FormatBool(res.OK)}); err != nil {
		return nil, err
	}
	return ok(res, 0)
}

func ruleCred(cr store.Credential) rules.Credential {
	return rules.Credential{Name: cr.Name, Scope: rules.Scope(cr.Scope), OwnerID: cr.OwnerID, WorkspaceID: cr.WorkspaceID}
}

// credential loads a credential the caller sees (rule 4; others: 404), with the
// caller's roles in its home workspace.
func (c *call) credential(id string) (store.Credential, api.Organization, rules.Actor, error) {
	cr, err := c.tx.Credential(id)
	if errors.Is(err, store.ErrNotFound) {
		return cr, api.Organization{}, rules.Actor{}, notFound("Credential", id)
	}
	if err != nil {
		return cr, api.Organization{}, rules.Actor{}, err
	}
	o, a, err := c.orgRoles(cr.OrganizationID, cr.WorkspaceID)
	if errors.Is(err, errInvisible) || (err == nil && !rules.CanSeeCredential(a, ruleCred(cr))) {
		err = notFound("Credential", id)
	}
	return cr, o, a, err
}
