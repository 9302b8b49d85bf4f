package server

import (
	"errors"
	"fmt"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/store"
)

func listOrganizations(c *call) (*reply, error) {
	name := c.query("name")
	return listWith(c, func(after int64, limit int) ([]api.Organization, int64, error) {
		if c.key != nil {
			return c.tx.ListOrganizationsWithID(c.key.OrganizationID, "", after, limit, byName(name, func(o api.Organization) string { return o.Name }, nil))
		}
		return c.tx.ListOrganizations(c.user.ID, "", after, limit, byName(name, func(o api.Organization) string { return o.Name }, nil))
	})
}

func createOrganization(c *call) (*reply, error) {
	if err := check(rules.CheckAPIKeyCreatesOrganization(c.key != nil)); err != nil {
		return nil, err
	}
	req, err := decode[api.CreateOrganizationRequest](c)
	if err != nil {
		return nil, err
	}
	if req.Plan == "" {
		req.Plan = string(rules.PlanFree)
	}
	if err := validate(rules.ValidateName("name", req.Name), rules.ValidateDescription("description", req.Description),
		optional("avatar_url", req.AvatarURL, rules.ValidateHTTPSURL), rules.OneOf("plan", req.Plan, rules.Plans)); err != nil {
		return nil, err
	}
	if err := check(rules.CheckSSOSetting(req.Name, false, req.SSOEnabled, c.user.PlatformAdmin)); err != nil {
		return nil, err
	}
	if err := c.taken(rules.NameOrganization, "", req.Name, ""); err != nil {
		return nil, err
	}
	o := api.Organization{Name: req.Name, Description: req.Description, AvatarURL: req.AvatarURL, Plan: req.Plan, SSOEnabled: req.SSOEnabled}
	if err := c.tx.InsertOrganization(&o); err != nil {
		return nil, err
	}
	m := api.OrganizationMembership{OrganizationID: o.ID, UserID: c.user.ID, Email: c.user.Email, Role: string(rules.OrgRoleAdmin), Status: string(rules.StatusActive)}
	if err := c.tx.InsertOrganizationMembership(&m); err != nil {
		return nil, err
	}
	var details map[string]string
	if o.SSOEnabled {
		details = map[string]string{"sso_enabled": "true"}
	}
	if err := c.audit("created", "organization", o.ID, o.ID, "", details); err != nil {
		return nil, err
	}
	if err := c.audit("created", "organization_membership", c.user.ID, o.ID, "", map[string]string{"role": m.Role}); err != nil {
		return nil, err
	}
	return created(o, o.Version)
}

func getOrganization(c *call) (*reply, error) {
	o, _, err := c.org(c.path("organization_id"))
	if err != nil {
		return nil, err
	}
	return ok(o, o.Version)
}

func updateOrganization(c *call) (*reply, error) {
	req, err := decode[api.UpdateOrganizationRequest](c)
	if err != nil {
		return nil, err
	}
	id := c.path("organization_id")
	ssoOnly := req.Name == nil && req.Description == nil && req.AvatarURL == nil && req.Plan == nil && req.SSOEnabled != nil
	var (
		o api.Organization
		a rules.Actor
	)
	if c.user.PlatformAdmin && ssoOnly {
		// The operator switches SSO on any organization (rule 11), member or not.
		if o, err = c.tx.Organization(id); errors.Is(err, store.ErrNotFound) {
			return nil, notFound("Organization", id)
		} else if err != nil {
			return nil, err
		}
	} else {
		if o, a, err = c.org(id); err != nil {
			return nil, err
		}
		if err := check(rules.CheckManage(a, rules.ManageOrganization)); err != nil {
			return nil, err
		}
	}
	if req.SSOEnabled != nil {
		if err := check(rules.CheckSSOSetting(o.Name, o.SSOEnabled, *req.SSOEnabled, c.user.PlatformAdmin)); err != nil {
			return nil, err
		}
	}
	if err := c.ifMatch(o.Version); err != nil {
		return nil, err
	}
	patch := profilePatch{req.Name, req.Description, req.AvatarURL}
	vs := patch.violations()
	if req.Plan != nil {
		vs = append(vs, rules.OneOf("plan", *req.Plan, rules.Plans))
	}
	if err := validate(vs...); err != nil {
		return nil, err
	}
	var ch changes
	if err := c.applyProfile(profile{rules.NameOrganization, "", o.ID, &o.Name, &o.Description, &o.AvatarURL}, patch, &ch); err != nil {
		return nil, err
	}
	if req.Plan != nil && *req.Plan != o.Plan {
		names, err := c.tx.OrganizationScopedCredentialNames(o.ID)
		if err != nil {
			return nil, err
		}
		if err := check(rules.CheckPlanChange(o.Name, rules.Plan(o.Plan), rules.Plan(*req.Plan), names)); err != nil {
			return nil, err
		}
		o.Plan = *req.Plan
		ch.add("plan")
	}
	details := map[string]string{}
	if req.SSOEnabled != nil && *req.SSOEnabled != o.SSOEnabled {
		details["sso_enabled"] = fmt.Sprintf("%t -> %t", o.SSOEnabled, *req.SSOEnabled)
		o.SSOEnabled = *req.SSOEnabled
		ch.add("sso_enabled")
	}
	if len(ch) == 0 {
		return ok(o, o.Version)
	}
	if err := c.tx.UpdateOrganization(&o); err != nil {
		return nil, err
	}
	for k, v := range ch.details() {
		details[k] = v
	}
	if err := c.audit("updated", "organization", o.ID, o.ID, "", details); err != nil {
		return nil, err
	}
	return ok(o, o.Version)
}

func deleteOrganization(c *call) (*reply, error) {
	o, a, err := c.org(c.path("organization_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManage(a, rules.ManageOrganization)); err != nil {
		return nil, err
	}
	if err := c.ifMatch(o.Version); err != nil {
		return nil, err
	}
	names, err := c.tx.WorkspaceNames(o.ID)
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckDeleteOrganization(o.Name, names)); err != nil {
		return nil, err
	}
	if err := c.tx.DeleteOrganization(o.ID); err != nil {
		return nil, err
	}
	c.revoked = true // its API keys went with it: the auth cache forgets them
	if err := c.audit("deleted", "organization", o.ID, o.ID, "", map[string]string{"name": o.Name}); err != nil {
		return nil, err
	}
	return noContent()
}

// org loads an organization the caller belongs to (others: 404).
func (c *call) org(id string) (api.Organization, rules.Actor, error) {
	o, err := c.tx.Organization(id)
	if errors.Is(err, store.ErrNotFound) {
		return o, rules.Actor{}, notFound("Organization", id)
	}
	if err != nil {
		return o, rules.Actor{}, err
	}
	roles, err := c.roles(o.ID, "")
	if err != nil {
		return o, rules.Actor{}, err
	}
	if !roles.OrgMember {
		return o, rules.Actor{}, notFound("Organization", id)
	}
	return o, actor(c.user.ID, roles), nil
}
