package reliability

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/flero/terraform-provider-flero/internal/store"
)

// tenancy generates a configuration with every resource type of the provider and the
// inventory the server must hold once it is applied. Each organization brings
// objectsPerOrg objects:
//
//	1 organization (enterprise), 4 workspaces (one with a custom domain), 3 teams,
//	6 organization memberships (invitations by email), 6 team memberships,
//	8 workspace memberships (4 users, 4 teams, every role),
//	12 credentials (per workspace: workspace scope with data, organization scope and
//	personal scope with data_wo).
type tenancy struct {
	Prefix string // makes names unique on a shared server
	Orgs   int
	// Description is put on every object that has one (a second apply with another
	// value is an in-place update of everything).
	Description string
	secrets     map[string]string // credential name → secret value (for the secret checks)
}

const (
	workspacesPerOrg = 4
	teamsPerOrg      = 3
	membersPerOrg    = 6
	objectsPerOrg    = 1 + workspacesPerOrg + teamsPerOrg + membersPerOrg + membersPerOrg + 2*workspacesPerOrg + 3*workspacesPerOrg
)

var workspaceRoles = []string{"viewer", "editor", "admin", "owner"}

func newTenancy(orgs int) *tenancy {
	return &tenancy{Prefix: "rel-" + randomHex(4), Orgs: orgs, Description: "managed by terraform", secrets: map[string]string{}}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (tn *tenancy) Objects() int { return tn.Orgs * objectsPerOrg }

func (tn *tenancy) orgName(i int) string { return fmt.Sprintf("%s-o%d", tn.Prefix, i) }
func (tn *tenancy) email(i, k int) string {
	return fmt.Sprintf("%s-o%d-u%d@example.com", tn.Prefix, i, k)
}
func (tn *tenancy) domain(i int) string { return fmt.Sprintf("%s-o%d.example.com", tn.Prefix, i) }
func (tn *tenancy) orgRole(k int) string {
	return map[bool]string{true: "admin", false: "member"}[k%3 == 0]
}
func (tn *tenancy) userRole(j int) string     { return workspaceRoles[j%4] }
func (tn *tenancy) teamRole(j int) string     { return workspaceRoles[(j+1)%4] }
func (tn *tenancy) teamOfMember(k int) int    { return k % teamsPerOrg }
func (tn *tenancy) teamOfWorkspace(j int) int { return j % teamsPerOrg }

// secret returns the credential's secret value, the same for the life of tn.
func (tn *tenancy) secret(name string) string {
	if s, ok := tn.secrets[name]; ok {
		return s
	}
	s := "sekret-" + randomHex(12)
	tn.secrets[name] = s
	return s
}

// Secrets are every credential value of the configuration.
func (tn *tenancy) Secrets() []string {
	var out []string
	for _, s := range tn.secrets {
		out = append(out, s)
	}
	return out
}

// HCL is the configuration (without the provider header).
func (tn *tenancy) HCL() string {
	var b strings.Builder
	for i := 0; i < tn.Orgs; i++ {
		o := fmt.Sprintf("o%d", i)
		fmt.Fprintf(&b, `
resource "flero_organization" %[1]q {
  name        = %[2]q
  plan        = "enterprise"
  description = %[3]q
}
`, o, tn.orgName(i), tn.Description)
		for j := 0; j < workspacesPerOrg; j++ {
			domain := ""
			if j == 0 {
				domain = fmt.Sprintf("\n  custom_domain   = %q", tn.domain(i))
			}
			fmt.Fprintf(&b, `
resource "flero_workspace" "%[1]s_w%[2]d" {
  organization_id = flero_organization.%[1]s.id
  name            = "ws-%[2]d"
  description     = %[3]q%[4]s
}
`, o, j, tn.Description, domain)
		}
		for k := 0; k < teamsPerOrg; k++ {
			fmt.Fprintf(&b, `
resource "flero_team" "%[1]s_t%[2]d" {
  organization_id = flero_organization.%[1]s.id
  name            = "team-%[2]d"
  description     = %[3]q
}
`, o, k, tn.Description)
		}
		for k := 0; k < membersPerOrg; k++ {
			fmt.Fprintf(&b, `
resource "flero_organization_membership" "%[1]s_m%[2]d" {
  organization_id = flero_organization.%[1]s.id
  email           = %[3]q
  role            = %[4]q
}

resource "flero_team_membership" "%[1]s_tm%[2]d" {
  team_id = flero_team.%[1]s_t%[5]d.id
  user_id = flero_organization_membership.%[1]s_m%[2]d.user_id
}
`, o, k, tn.email(i, k), tn.orgRole(k), tn.teamOfMember(k))
		}
		for j := 0; j < workspacesPerOrg; j++ {
			fmt.Fprintf(&b, `
resource "flero_workspace_membership" "%[1]s_w%[2]d_user" {
  workspace_id = flero_workspace.%[1]s_w%[2]d.id
  user_id      = flero_organization_membership.%[1]s_m%[2]d.user_id
  role         = %[3]q
}

resource "flero_workspace_membership" "%[1]s_w%[2]d_team" {
  workspace_id = flero_workspace.%[1]s_w%[2]d.id
  team_id      = flero_team.%[1]s_t%[4]d.id
  role         = %[5]q
}
`, o, j, tn.userRole(j), tn.teamOfWorkspace(j), tn.teamRole(j))
			ws := fmt.Sprintf("%s/ws-%d", tn.orgName(i), j)
			fmt.Fprintf(&b, `
resource "flero_credential" "%[1]s_w%[2]d_ws" {
  workspace_id = flero_workspace.%[1]s_w%[2]d.id
  name         = "cred-ws"
  type         = "slack_bot"
  description  = %[3]q
  data         = { token = %[4]q }
}

resource "flero_credential" "%[1]s_w%[2]d_org" {
  workspace_id    = flero_workspace.%[1]s_w%[2]d.id
  name            = "cred-org"
  type            = "github_app"
  scope           = "organization"
  description     = %[3]q
  data_wo         = { api_key = %[5]q }
  data_wo_version = 1
}

resource "flero_credential" "%[1]s_w%[2]d_me" {
  workspace_id    = flero_workspace.%[1]s_w%[2]d.id
  name            = "cred-me"
  type            = "smtp"
  scope           = "personal"
  description     = %[3]q
  data_wo         = { password = %[6]q }
  data_wo_version = 1
}
`, o, j, tn.Description, tn.secret(ws+"/cred-ws"), tn.secret(ws+"/cred-org"), tn.secret(ws+"/cred-me"))
		}
	}
	return b.String()
}

// Expected is the inventory the server holds once HCL is applied by the bootstrap
// platform admin (who becomes an admin of every organization it creates and the owner
// of every credential).
func (tn *tenancy) Expected() inventory {
	inv := adminInventory()
	admin := store.BootstrapEmail
	for i := 0; i < tn.Orgs; i++ {
		org := tn.orgName(i)
		inv["org "+org] = fmt.Sprintf("plan=enterprise desc=%s avatar= sso=0", tn.Description)
		inv["orgm "+org+" "+admin] = "role=admin"
		for j := 0; j < workspacesPerOrg; j++ {
			domain := ""
			if j == 0 {
				domain = tn.domain(i)
			}
			ws := fmt.Sprintf("%s/ws-%d", org, j)
			inv["ws "+ws] = fmt.Sprintf("desc=%s avatar= domain=%s", tn.Description, domain)
			inv["wsm "+ws+" user:"+tn.email(i, j)] = "role=" + tn.userRole(j)
			inv["wsm "+ws+" team:"+fmt.Sprintf("team-%d", tn.teamOfWorkspace(j))] = "role=" + tn.teamRole(j)
			for _, c := range []struct{ name, typ, scope string }{
				{"cred-ws", "slack_bot", "workspace"}, {"cred-org", "github_app", "organization"}, {"cred-me", "smtp", "personal"},
			} {
				inv["cred "+ws+"/"+c.name] = fmt.Sprintf("type=%s scope=%s desc=%s status=active owner=%s", c.typ, c.scope, tn.Description, admin)
			}
		}
		for k := 0; k < teamsPerOrg; k++ {
			inv[fmt.Sprintf("team %s/team-%d", org, k)] = fmt.Sprintf("desc=%s avatar=", tn.Description)
		}
		for k := 0; k < membersPerOrg; k++ {
			inv["user "+tn.email(i, k)] = ""
			inv["orgm "+org+" "+tn.email(i, k)] = "role=" + tn.orgRole(k)
			inv[fmt.Sprintf("teamm %s/team-%d %s", org, tn.teamOfMember(k), tn.email(i, k))] = ""
		}
	}
	return inv
}
