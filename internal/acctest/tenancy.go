package acctest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// Tenancy is an existing organization, made through the API (not by Terraform): 3
// workspaces, 2 teams, 12 memberships (4 of the organization besides its creator's,
// 3 of teams, 5 of workspaces: users and teams) and 6 credentials (2 of each scope),
// each holding one of Secrets as its secret. SeedTenancy makes it as the admin.
type Tenancy struct {
	Org         *api.Organization
	Workspaces  map[string]*api.Workspace
	Teams       map[string]*api.Team
	Users       map[string]string // email → user id
	Credentials map[string]*api.Credential
	Secrets     []string
}

// SeedTenancy makes a Tenancy named orgName through admin (the platform admin's
// client), minting its users on srv.
func SeedTenancy(t *testing.T, srv *testserver.Server, admin *client.Client, orgName string) *Tenancy {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	tn := &Tenancy{Workspaces: map[string]*api.Workspace{}, Teams: map[string]*api.Team{}, Users: map[string]string{}, Credentials: map[string]*api.Credential{}}
	org, err := admin.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: orgName, Plan: "enterprise"})
	must(err)
	tn.Org = org
	for _, name := range []string{"payments", "web", "ops"} {
		ws, err := admin.Workspaces.Create(ctx, tn.Org.ID, api.CreateWorkspaceRequest{Name: name, Description: "the " + name + " workspace"})
		must(err)
		tn.Workspaces[name] = ws
	}
	for _, name := range []string{"sre", "devs"} {
		team, err := admin.Teams.Create(ctx, tn.Org.ID, api.CreateTeamRequest{Name: name})
		must(err)
		tn.Teams[name] = team
	}
	for email, role := range map[string]string{"alice@example.com": "admin", "bob@example.com": "member", "carol+ops@example.com": "member", "dave@example.com": "member"} {
		srv.CreateUser(t, email)
		m, err := admin.OrganizationMemberships.Create(ctx, tn.Org.ID, api.CreateOrganizationMembershipRequest{Email: email, Role: role})
		must(err)
		tn.Users[email] = m.UserID
	}
	for team, emails := range map[string][]string{"sre": {"alice@example.com", "bob@example.com"}, "devs": {"carol+ops@example.com"}} {
		for _, email := range emails {
			_, err := admin.TeamMemberships.Create(ctx, tn.Teams[team].ID, api.CreateTeamMembershipRequest{UserID: tn.Users[email]})
			must(err)
		}
	}
	for _, m := range []struct{ ws, user, team, role string }{
		{ws: "payments", user: "bob@example.com", role: "viewer"},
		{ws: "payments", team: "sre", role: "editor"},
		{ws: "web", user: "carol+ops@example.com", role: "editor"},
		{ws: "web", team: "devs", role: "viewer"},
		{ws: "ops", user: "dave@example.com", role: "admin"},
	} {
		req := api.CreateWorkspaceMembershipRequest{Role: m.role}
		if m.user != "" {
			req.UserID = tn.Users[m.user]
		} else {
			req.TeamID = tn.Teams[m.team].ID
		}
		_, err := admin.WorkspaceMemberships.Create(ctx, tn.Workspaces[m.ws].ID, req)
		must(err)
	}
	for _, c := range []struct{ ws, name, scope string }{
		{"payments", "slack-bot", "workspace"}, {"payments", "stripe-key", "organization"}, {"payments", "my-token", "personal"},
		{"web", "web-hook", "workspace"}, {"web", "cdn-key", "organization"}, {"ops", "pager", "personal"},
	} {
		secret := randomSecret(t)
		cred, err := admin.Credentials.Create(ctx, tn.Workspaces[c.ws].ID, api.CreateCredentialRequest{
			Name: c.name, Type: "api_key", Scope: c.scope, Description: c.scope + " credential", Data: map[string]string{"token": secret},
		})
		must(err)
		tn.Credentials[c.name] = cred
		tn.Secrets = append(tn.Secrets, secret)
	}
	return tn
}

// randomSecret is a credential secret unique to this run, to look for where it must
// never be.
func randomSecret(t *testing.T) string {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "s3cr3t-" + hex.EncodeToString(b) // the shape the trace scans look for
}

// ListBlock is a list block of a query file (terraform query): list resourceType
// named name, with include_resource when whole objects are wanted, and filters given
// as name, value pairs (values as HCL expressions, strings quoted).
func ListBlock(resourceType, name string, includeResource bool, filters ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "list %q %q {\n  provider = %s\n", resourceType, name, ProviderName)
	if includeResource {
		b.WriteString("  include_resource = true\n")
	}
	if len(filters) > 0 {
		b.WriteString("  config {\n")
		for i := 0; i+1 < len(filters); i += 2 {
			fmt.Fprintf(&b, "    %s = %s\n", filters[i], filters[i+1])
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	return b.String()
}
