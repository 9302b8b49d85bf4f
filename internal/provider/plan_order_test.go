package provider_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/server"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// No false error at plan: what apply accepts in Terraform's order, plan accepts.

// TestAccOrganization_downgradeWhileDeletingItsCredentials: an enterprise organization
// moves to pro in the same run that deletes its only organization-scoped credential
// (removed from the configuration). Terraform deletes the credential before it updates
// the organization, so the plan does not refuse the downgrade, the apply succeeds, and
// the next plan is empty. Narrowing the credential to workspace scope in the same run
// instead is refused at plan: Terraform updates the organization before the credential
// that depends on it, and the platform would refuse the downgrade then.
//
// Terraform plans the credential's destroy in no set order with the organization's
// update; the organization's plan waits for it (planrun.AwaitFates). The second run
// forces the order the guard once refused: the platform answers the credential's
// reads 2 s late in the downgrade step, so its read and destroy are planned after the
// organization's update has been planned.
func TestAccOrganization_downgradeWhileDeletingItsCredentials(t *testing.T) {
	t.Run("in Terraform's order", func(t *testing.T) { testAccDowngradeWhileDeletingItsCredentials(t, false) })
	t.Run("the credential read late", func(t *testing.T) { testAccDowngradeWhileDeletingItsCredentials(t, true) })
}

func testAccDowngradeWhileDeletingItsCredentials(t *testing.T, readLate bool) {
	var late atomic.Bool
	env := acctest.NewEnv(t, testserver.WithFaults(server.Faults{LatencyFor: func(method, uri string) time.Duration {
		// The credential's read (its own GET, or a list that refreshes it), not the
		// organization's list of its organization-scoped credentials.
		if late.Load() && method == http.MethodGet && strings.Contains(uri, "credentials") && !strings.Contains(uri, "scope=organization") {
			return 2 * time.Second
		}
		return 0
	}}))
	name := acctest.RandomName("downgrade")
	credential := func(scope string) string {
		return fmt.Sprintf(`
variable "secret" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = "not-a-real-key"
}

resource "flero_credential" "deploy" {
  workspace_id    = flero_workspace.test.id
  name            = "deploy-key"
  type            = "ssh_key"
  scope           = %[1]q
  data_wo         = { key = var.secret }
  data_wo_version = 1
}
`, scope)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{Config: env.Config(testAccOrganizationWithWorkspaceConfig(name, "enterprise") + credential("organization"))},
			{
				// Narrowed in the same run: refused at plan, nothing changes.
				Config:      env.Config(testAccOrganizationWithWorkspaceConfig(name, "pro") + credential("workspace")),
				ExpectError: errorMatching(atPlan, "Organization cannot leave the Enterprise plan", `organization-scoped credentials: "deploy-key"`),
			},
			{
				PreConfig: func() { late.Store(readLate) },
				Config:    env.Config(testAccOrganizationWithWorkspaceConfig(name, "pro")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("flero_organization.test", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("flero_credential.deploy", plancheck.ResourceActionDestroy),
					},
				},
				Check: func(*terraform.State) error {
					org, err := env.Admin.Organizations.GetByName(context.Background(), name)
					if err != nil || org.Plan != "pro" {
						return fmt.Errorf("the organization after the apply: %+v %v", org, err)
					}
					creds, err := env.Admin.Credentials.ListByOrganization(context.Background(), org.ID, client.CredentialListOptions{})
					if err != nil || len(creds) != 0 {
						return fmt.Errorf("credentials left: %+v %v", creds, err)
					}
					return nil
				},
			},
		},
	})
}

// TestAccOrganizationMembershipCLI_handOverTheLastAdmin: the token's user, the
// organization's only admin, makes another member an admin and steps down to member in
// one run, the demotion ordered after the promotion (depends_on): the plan counts the
// promotion (Terraform plans and applies the demotion after it), the apply succeeds, and
// the next plan, made by the new admin (the old one no longer sees the organization's
// memberships), is empty. Without the promotion, the same demotion is refused at plan
// and nothing changes.
func TestAccOrganizationMembershipCLI_handOverTheLastAdmin(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	o, ws := credentialTenancy(t, env, "free")
	me, err := env.Admin.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const next = "next.admin@example.com"
	nextID, nextToken := credentialMember(t, env, o, ws, next, "viewer")
	config := func(ownerRole, nextRole string, ordered bool) string {
		dependsOn := ""
		if ordered {
			dependsOn = "  depends_on = [flero_organization_membership.next]\n"
		}
		return fmt.Sprintf(`
import {
  to = flero_organization_membership.owner
  id = "%[1]s/%[2]s"
}

import {
  to = flero_organization_membership.next
  id = "%[1]s/%[3]s"
}

resource "flero_organization_membership" "owner" {
  organization_id = %[1]q
  email           = %[4]q
  role            = %[5]q
%[7]s}

resource "flero_organization_membership" "next" {
  organization_id = %[1]q
  email           = %[8]q
  role            = %[6]q
}
`, o.ID, me.ID, nextID, me.Email, ownerRole, nextRole, dependsOn, next)
	}
	// roles reads the members as c sees them: the member list is the organization
	// admins' (rule 10), so after the hand-over it is read with the new admin's token.
	roles := func(c *client.Client) map[string]string {
		t.Helper()
		members, err := c.OrganizationMemberships.List(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, m := range members {
			got[m.Email] = m.Role
		}
		return got
	}

	tf := newTerraformCLI(t, env, env.Server.AdminToken)
	tf.write(config("admin", "member", false))
	tf.run(t, "apply", "-auto-approve")

	// Stepping down alone: refused at plan, nothing changes.
	tf.write(config("member", "member", false))
	out, err := tf.exec("apply", "-auto-approve")
	if err == nil {
		t.Fatalf("the last admin stepped down:\n%s", out)
	}
	if want := fmt.Sprintf("%s is its last admin", me.Email); !strings.Contains(flattenSpaces(out), want) {
		t.Errorf("the refusal does not say %q:\n%s", want, out)
	}
	if got := roles(env.Admin); got[me.Email] != "admin" || got[next] != "member" {
		t.Fatalf("the refused plan changed roles: %v", got)
	}

	// Handing over, ordered: accepted at plan, applied.
	tf.write(config("member", "admin", true))
	plan := flattenSpaces(tf.run(t, "plan"))
	if !strings.Contains(plan, "Plan: 0 to add, 2 to change, 0 to destroy.") || strings.Contains(plan, "Warning:") {
		t.Errorf("the hand-over plan:\n%s", plan)
	}
	tf.run(t, "apply", "-auto-approve")
	if got := roles(env.Client(nextToken)); got[me.Email] != "member" || got[next] != "admin" {
		t.Fatalf("roles after the hand-over: %v", got)
	}

	// The new admin's plan of the same configuration and state is empty.
	tf2 := newTerraformCLI(t, env, nextToken)
	for _, f := range []string{"main.tf", "terraform.tfstate"} {
		b, err := os.ReadFile(filepath.Join(tf.dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tf2.dir, f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if out := tf2.run(t, "plan"); !strings.Contains(out, "No changes.") {
		t.Errorf("the new admin's plan after the hand-over is not empty:\n%s", out)
	}
}

// TestAccWorkspaceMembership_unknownWorkspaceTeamOfAnotherOrganization: the unknown
// tier on memberships. A new organization and its new workspace (ids unknown at plan),
// and a role in it for an existing team of another organization: every workspace the
// id can name is in the new organization, to which no existing team belongs, so the
// plan fails on team_id with the rule's message and nothing is created. With a team of
// the new organization instead (its id unknown too), the plan passes, the apply
// succeeds and the next plan is empty.
func TestAccWorkspaceMembership_unknownWorkspaceTeamOfAnotherOrganization(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	other := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("other")})
	outsiders, err := env.Admin.Teams.Create(ctx, other.ID, api.CreateTeamRequest{Name: "outsiders"})
	if err != nil {
		t.Fatal(err)
	}
	name := acctest.RandomName("new")
	config := func(teamID string) string {
		return env.Config(fmt.Sprintf(`
resource "flero_organization" "new" {
  name = %[1]q
}

resource "flero_workspace" "ws" {
  organization_id = flero_organization.new.id
  name            = "ws"
}

resource "flero_team" "insiders" {
  organization_id = flero_organization.new.id
  name            = "insiders"
}

resource "flero_workspace_membership" "x" {
  workspace_id = flero_workspace.ws.id
  team_id      = %[2]s
  role         = "editor"
}
`, name, teamID))
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config:      config(fmt.Sprintf("%q", outsiders.ID)),
				ExpectError: errorMatching(atPlan, "Error: Not a member of the organization", "workspace_id is not known until apply", `belongs to another organization than this workspace's ("`+name+`")`),
			},
			{
				PreConfig: func() {
					if _, err := env.Admin.Organizations.GetByName(ctx, name); !errors.Is(err, client.ErrNotFound) {
						t.Fatalf("the refused plan created the organization: %v", err)
					}
				},
				Config: config("flero_team.insiders.id"),
			},
		},
	})
}
