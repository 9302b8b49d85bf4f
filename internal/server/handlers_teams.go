package server

import (
	"errors"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/store"
)

func listTeams(c *call) (*reply, error) {
	o, _, err := c.org(c.path("organization_id"))
	if err != nil {
		return nil, err
	}
	name := c.query("name")
	return listWith(c, func(after int64, limit int) ([]api.Team, int64, error) {
		return c.tx.ListTeams(o.ID, "", after, limit, byName(name, func(t api.Team) string { return t.Name }, nil))
	})
}

func createTeam(c *call) (*reply, error) {
	req, err := decode[api.CreateTeamRequest](c)
	if err != nil {
		return nil, err
	}
	o, a, err := c.org(c.path("organization_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManage(a, rules.ManageTeams)); err != nil {
		return nil, err
	}
	if err := validate(rules.ValidateName("name", req.Name), rules.ValidateDescription("description", req.Description),
		optional("avatar_url", req.AvatarURL, rules.ValidateHTTPSURL)); err != nil {
		return nil, err
	}
	if err := c.taken(rules.NameTeam, o.ID, req.Name, ""); err != nil {
		return nil, err
	}
	t := api.Team{OrganizationID: o.ID, Name: req.Name, Description: req.Description, AvatarURL: req.AvatarURL}
	if err := c.tx.InsertTeam(&t); err != nil {
		return nil, err
	}
	if err := c.audit("created", "team", t.ID, o.ID, "", nil); err != nil {
		return nil, err
	}
	return created(t, t.Version)
}

func getTeam(c *call) (*reply, error) {
	t, _, _, err := c.team(c.path("team_id"))
	if err != nil {
		return nil, err
	}
	return ok(t, t.Version)
}

func updateTeam(c *call) (*reply, error) {
	req, err := decode[api.UpdateTeamRequest](c)
	if err != nil {
		return nil, err
	}
	t, o, a, err := c.team(c.path("team_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManage(a, rules.ManageTeams)); err != nil {
		return nil, err
	}
	if err := c.ifMatch(t.Version); err != nil {
		return nil, err
	}
	patch := profilePatch{req.Name, req.Description, req.AvatarURL}
	if err := validate(patch.violations()...); err != nil {
		return nil, err
	}
	var ch changes
	if err := c.applyProfile(profile{rules.NameTeam, o.ID, t.ID, &t.Name, &t.Description, &t.AvatarURL}, patch, &ch); err != nil {
		return nil, err
	}
	if len(ch) == 0 {
		return ok(t, t.Version)
	}
	if err := c.tx.UpdateTeam(&t); err != nil {
		return nil, err
	}
	if err := c.audit("updated", "team", t.ID, o.ID, "", ch.details()); err != nil {
		return nil, err
	}
	return ok(t, t.Version)
}

func deleteTeam(c *call) (*reply, error) {
	t, o, a, err := c.team(c.path("team_id"))
	if err != nil {
		return nil, err
	}
	if err := check(rules.CheckManage(a, rules.ManageTeams)); err != nil {
		return nil, err
	}
	if err := c.ifMatch(t.Version); err != nil {
		return nil, err
	}
	if err := c.tx.DeleteTeam(t.ID); err != nil { // cascades to its team and workspace memberships
		return nil, err
	}
	if err := c.audit("deleted", "team", t.ID, o.ID, "", map[string]string{"name": t.Name}); err != nil {
		return nil, err
	}
	return noContent()
}

// team loads a team of an organization the caller belongs to.
func (c *call) team(id string) (api.Team, api.Organization, rules.Actor, error) {
	t, err := c.tx.Team(id)
	if errors.Is(err, store.ErrNotFound) {
		return t, api.Organization{}, rules.Actor{}, notFound("Team", id)
	}
	if err != nil {
		return t, api.Organization{}, rules.Actor{}, err
	}
	o, a, err := c.orgRoles(t.OrganizationID, "")
	if errors.Is(err, errInvisible) {
		err = notFound("Team", id)
	}
	return t, o, a, err
}
