package planrun

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// held names every answer the cache holds, sorted.
func (c *Cache) held() []string {
	var out []string
	add := func(kind string, keys []string) {
		for _, k := range keys {
			out = append(out, kind+" "+k)
		}
	}
	add("access", memoKeys(&c.access, func(k [2]string) string { return k[0] + "/" + k[1] }))
	add("organization", memoKeys(&c.orgs, func(k string) string { return k }))
	add("workspace", memoKeys(&c.workspaces, func(k string) string { return k }))
	add("team", memoKeys(&c.teams, func(k string) string { return k }))
	add("membership", memoKeys(&c.orgMembers, func(k [2]string) string { return k[0] + "/" + k[1] }))
	add("admins", memoKeys(&c.orgAdmins, func(k string) string { return k }))
	add("in-team", memoKeys(&c.inTeam, func(k string) string { return k }))
	slices.Sort(out)
	return out
}

func memoKeys[K comparable, V any](m *memo[K, V], name func(K) string) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for k := range m.m {
		out = append(out, name(k))
	}
	return out
}

// TestClientWritesInvalidateTheCache: each write made through the client a run was
// built on (New) drops exactly the answers it may have changed, whatever code made
// it, and keeps what its answer says (a workspace or team just changed). Without the
// hook (New not registering Cache.Wrote) the first write leaves a stale workspace.
func TestClientWritesInvalidateTheCache(t *testing.T) {
	srv := testserver.Start(t)
	ctx := context.Background()
	c, err := client.New(client.Config{Endpoint: srv.URL, Token: srv.AdminToken, RetryMax: -1, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	me, err := c.Me(ctx)
	must(err)
	org, err := c.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "hook", Plan: "enterprise"})
	must(err)
	ws1, err := c.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "one"})
	must(err)
	ws2, err := c.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "two"})
	must(err)
	team, err := c.Teams.Create(ctx, org.ID, api.CreateTeamRequest{Name: "ops"})
	must(err)
	uid, _ := srv.CreateUser(t, "someone@example.com")
	_, err = c.OrganizationMemberships.Create(ctx, org.ID, api.CreateOrganizationMembershipRequest{Email: "someone@example.com", Role: "member"})
	must(err)

	wsGone, teamGone := false, false
	var r *Run
	fill := func() {
		t.Helper()
		reads := []func() error{
			func() error { _, err := r.Organization(ctx, org.ID); return err },
			func() error { _, err := r.Access(ctx, org.ID, ""); return err },
			func() error { _, err := r.Access(ctx, org.ID, ws1.ID); return err },
			func() error { _, err := r.Workspace(ctx, ws1.ID); return err },
			func() error { _, err := r.OrganizationMembership(ctx, org.ID, uid); return err },
			func() error { _, err := r.OrganizationAdmins(ctx, org.ID); return err },
		}
		if !wsGone {
			reads = append(reads,
				func() error { _, err := r.Access(ctx, org.ID, ws2.ID); return err },
				func() error { _, err := r.Workspace(ctx, ws2.ID); return err })
		}
		if !teamGone {
			reads = append(reads, func() error { _, err := r.Team(ctx, team.ID); return err })
		}
		for _, read := range reads {
			must(read())
		}
	}
	access := func(ws string) string { return "access " + org.ID + "/" + ws }
	desc, admin := "changed", "admin"
	srv.CreateUser(t, "other@example.com")
	for _, step := range []struct {
		name  string
		write func() error
		drop  func() []string // what the write drops from a full cache
	}{
		{"update a workspace", func() error {
			_, err := c.Workspaces.Update(ctx, ws1.ID, api.UpdateWorkspaceRequest{Description: &desc}, client.WriteOptions{})
			return err
		}, func() []string { return []string{access(ws1.ID)} }}, // the workspace itself: its new version, from the answer
		{"update a team", func() error {
			_, err := c.Teams.Update(ctx, team.ID, api.UpdateTeamRequest{Description: &desc}, client.WriteOptions{})
			return err
		}, func() []string { return nil }}, // its new version, from the answer
		{"change another user's membership", func() error {
			_, err := c.OrganizationMemberships.Update(ctx, org.ID, uid, api.UpdateOrganizationMembershipRequest{Role: &admin}, client.WriteOptions{})
			return err
		}, func() []string { return nil }}, // the membership and the admins: from the answer (below)
		{"invite another user", func() error {
			_, err := c.OrganizationMemberships.Create(ctx, org.ID, api.CreateOrganizationMembershipRequest{Email: "other@example.com", Role: "member"})
			return err
		}, func() []string { return nil }}, // and the new membership is held (below); the admins unchanged
		{"add another user to a team", func() error {
			_, err := c.TeamMemberships.Create(ctx, team.ID, api.CreateTeamMembershipRequest{UserID: uid})
			return err
		}, func() []string { return nil }},
		{"give the token's user a workspace role", func() error {
			_, err := c.WorkspaceMemberships.Create(ctx, ws1.ID, api.CreateWorkspaceMembershipRequest{UserID: me.ID, Role: "viewer"})
			return err
		}, func() []string { return []string{access(""), access(ws1.ID), access(ws2.ID)} }},
		{"update the organization", func() error {
			_, err := c.Organizations.Update(ctx, org.ID, api.UpdateOrganizationRequest{Description: &desc}, client.WriteOptions{})
			return err
		}, func() []string {
			return []string{"organization " + org.ID, access(""), access(ws1.ID), access(ws2.ID), "membership " + org.ID + "/" + uid, "admins " + org.ID}
		}},
		{"create a credential", func() error {
			_, err := c.Credentials.Create(ctx, ws1.ID, api.CreateCredentialRequest{Name: "c", Type: "generic", Scope: "workspace", Data: map[string]string{"k": "v"}})
			return err
		}, func() []string { return nil }},
		{"delete a workspace", func() error { return c.Workspaces.Delete(ctx, ws2.ID, client.WriteOptions{}) },
			func() []string { return []string{access(ws2.ID), "workspace " + ws2.ID} }},
		{"delete a team", func() error { return c.Teams.Delete(ctx, team.ID, client.WriteOptions{}) },
			func() []string { return []string{"team " + team.ID} }},
	} {
		r = New(c)
		r.SetMe(me)
		fill()
		before := r.held()
		must(step.write())
		switch step.name {
		case "delete a workspace":
			wsGone = true
		case "delete a team":
			teamGone = true
		}
		got := r.held()
		if step.name == "invite another user" {
			m, err := c.OrganizationMemberships.GetByEmail(ctx, org.ID, "other@example.com")
			must(err)
			held := "membership " + org.ID + "/" + m.UserID
			if !slices.Contains(got, held) {
				t.Errorf("%s: the new membership is not held from the create's answer", step.name)
			}
			got = slices.DeleteFunc(got, func(s string) bool { return s == held })
		}
		drop := step.drop()
		want := slices.DeleteFunc(slices.Clone(before), func(s string) bool { return slices.Contains(drop, s) })
		if !slices.Equal(got, want) {
			t.Errorf("%s: the cache holds\n  %v\nwant\n  %v", step.name, got, want)
		}
		if step.name == "change another user's membership" {
			held, _ := r.orgMembers.peek([2]string{org.ID, uid})
			admins, _ := r.orgAdmins.peek(org.ID)
			if held == nil || held.Role != admin || !slices.ContainsFunc(admins, func(m api.OrganizationMembership) bool { return m.UserID == uid }) {
				t.Errorf("%s: the cache holds %+v among admins %+v, want the new admin from the write's answer", step.name, held, admins)
			}
		}
		if step.name == "update a workspace" {
			cur, err := c.Workspaces.Get(ctx, ws1.ID)
			must(err)
			if held, _ := r.workspaces.peek(ws1.ID); held == nil || held.Version != cur.Version {
				t.Errorf("%s: the cache holds %+v, want version %d (the write's answer)", step.name, held, cur.Version)
			}
		}
	}
}
