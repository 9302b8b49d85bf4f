package provider_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
)

// The last admin (rule 6) at plan time. The platform admin token the tests act with
// creates the organization and so becomes its admin; to make that membership the one
// Terraform demotes or removes, the configuration imports it
// (flero_organization_membership.owner). At the end such a test forgets it (a removed
// block with destroy = false): destroying it would remove the last admin.

const (
	ownerAddr = "flero_organization_membership.owner"
	otherAddr = "flero_organization_membership.other"
)

// lastAdminEnv is a test's server, an organization created out of band, and the
// email of its creator (the provider's token's user, its only admin).
type lastAdminEnv struct {
	*acctest.Env
	org   *api.Organization
	owner string
}

func newLastAdminEnv(t *testing.T) *lastAdminEnv {
	env := acctest.NewEnv(t)
	me, err := env.Admin.Me(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return &lastAdminEnv{Env: env, org: env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("admins")}), owner: me.Email}
}

// importOwner imports the creator's membership into flero_organization_membership.owner.
func (e *lastAdminEnv) importOwner() string {
	return fmt.Sprintf(`
import {
  to = %[1]s
  id = "%[2]s/%[3]s"
}
`, ownerAddr, e.org.ID, e.Server.AdminUserID)
}

func (e *lastAdminEnv) ownerMembership(role string) string {
	return e.membership("owner", e.owner, role)
}

func (e *lastAdminEnv) otherMembership(role string) string {
	return e.membership("other", "second.admin@example.com", role)
}

func (e *lastAdminEnv) membership(name, email, role string) string {
	return fmt.Sprintf(`
resource "flero_organization_membership" %[1]q {
  organization_id = %[2]q
  email           = %[3]q
  role            = %[4]q
}
`, name, e.org.ID, email, role)
}

// atPlan starts the error of a step that fails at plan time (a refusal at apply reads
// "Error running apply").
const atPlan = "Error running pre-apply plan"

const forgetOwner = `
removed {
  from = flero_organization_membership.owner
  lifecycle {
    destroy = false
  }
}
`

// roles checks through the API (as the platform admin) that the organization's
// memberships are exactly want (email → role) and returns their versions.
func (e *lastAdminEnv) roles(want map[string]string, versions map[string]int64) resource.TestCheckFunc {
	return func(*terraform.State) error {
		members, err := e.Admin.OrganizationMemberships.List(context.Background(), e.org.ID)
		if err != nil {
			return err
		}
		got := map[string]string{}
		for _, m := range members {
			got[m.Email] = m.Role
			if v, ok := versions[m.Email]; ok && v != m.Version {
				return fmt.Errorf("the membership of %s changed: version %d, was %d", m.Email, m.Version, v)
			}
			if versions != nil {
				versions[m.Email] = m.Version
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("memberships on the platform: %v, want %v", got, want)
		}
		return nil
	}
}

// unchanged is the step after a refused plan: the same memberships plan nothing, and
// the platform holds them as before (same roles, same versions).
func (e *lastAdminEnv) unchanged(config string, want map[string]string, versions map[string]int64) resource.TestStep {
	return resource.TestStep{
		Config: e.Config(config),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		Check: e.roles(want, versions),
	}
}

// TestAccOrganizationMembership_lastAdminDemotedRefusedAtPlan: demoting the only admin
// fails the plan, and nothing changes on the platform.
func TestAccOrganizationMembership_lastAdminDemotedRefusedAtPlan(t *testing.T) {
	e := newLastAdminEnv(t)
	versions := map[string]int64{}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: e.Config(e.importOwner() + e.ownerMembership("admin")),
				Check:  e.roles(map[string]string{e.owner: "admin"}, versions),
			},
			{
				Config: e.Config(e.ownerMembership("member")),
				ExpectError: errorMatching(atPlan, "Organization must keep an admin",
					fmt.Sprintf("Organization %q must keep at least one admin, and %s is its last admin", e.org.Name, e.owner),
					"Make another member an admin first"),
			},
			e.unchanged(e.ownerMembership("admin"), map[string]string{e.owner: "admin"}, versions),
			{Config: e.Config(forgetOwner)},
		},
	})
}

// TestAccOrganizationMembership_lastAdminRemovedRefusedAtPlan: destroying the only
// admin's membership fails the plan, and nothing changes on the platform.
func TestAccOrganizationMembership_lastAdminRemovedRefusedAtPlan(t *testing.T) {
	e := newLastAdminEnv(t)
	versions := map[string]int64{}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: e.Config(e.importOwner() + e.ownerMembership("admin")),
				Check:  e.roles(map[string]string{e.owner: "admin"}, versions),
			},
			{
				Config: e.Config(""),
				ExpectError: errorMatching(atPlan, fmt.Sprintf("Organization %q must keep at least one admin, and %s is its last admin", e.org.Name, e.owner),
					"Make another member an admin first", "lifecycle { destroy = false }"),
			},
			e.unchanged(e.ownerMembership("admin"), map[string]string{e.owner: "admin"}, versions),
			{Config: e.Config(forgetOwner)},
		},
	})
}

// TestAccOrganizationMembership_twoAdminsDemoteOne: with another admin (here an
// invited one: it counts), a demotion plans and applies.
func TestAccOrganizationMembership_twoAdminsDemoteOne(t *testing.T) {
	e := newLastAdminEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.ProviderFactories(),
		CheckDestroy:             e.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: e.Config(e.importOwner() + e.ownerMembership("admin") + e.otherMembership("admin")),
				Check:  e.roles(map[string]string{e.owner: "admin", "second.admin@example.com": "admin"}, nil),
			},
			{
				Config: e.Config(e.ownerMembership("admin") + e.otherMembership("member")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(otherAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(ownerAddr, plancheck.ResourceActionNoop),
					},
				},
				Check: e.roles(map[string]string{e.owner: "admin", "second.admin@example.com": "member"}, nil),
			},
			{Config: e.Config(forgetOwner + e.otherMembership("member"))},
		},
	})
}

// TestAccOrganizationMembership_twoAdminsRemovedTogetherRefusedAtPlan: each removal
// alone would leave an admin; together they leave none, and the plan fails (on
// whichever of the two Terraform plans last).
func TestAccOrganizationMembership_twoAdminsRemovedTogetherRefusedAtPlan(t *testing.T) {
	e := newLastAdminEnv(t)
	both := map[string]string{e.owner: "admin", "second.admin@example.com": "admin"}
	versions := map[string]int64{}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.ProviderFactories(),
		CheckDestroy:             e.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: e.Config(e.importOwner() + e.ownerMembership("admin") + e.otherMembership("admin")),
				Check:  e.roles(both, versions),
			},
			{
				Config: e.Config(""),
				ExpectError: errorMatching(atPlan, fmt.Sprintf("Organization %q must keep at least one admin", e.org.Name),
					"is its last admin", "This plan also removes or demotes its other admins"),
			},
			{
				// One removed, the other demoted: refused as well.
				Config: e.Config(e.ownerMembership("member")),
				ExpectError: errorMatching(atPlan, fmt.Sprintf("Organization %q must keep at least one admin", e.org.Name),
					"This plan also removes or demotes its other admins"),
			},
			e.unchanged(e.ownerMembership("admin")+e.otherMembership("admin"), both, versions),
			{Config: e.Config(forgetOwner + e.otherMembership("admin"))},
		},
	})
}

// TestAccOrganizationMembership_destroyEverything: destroying the organization with
// its memberships (an admin among them) plans and applies: Terraform destroys the
// memberships first, and the organization's creator remains its admin until the
// organization goes.
func TestAccOrganizationMembership_destroyEverything(t *testing.T) {
	env := acctest.NewEnv(t)
	name := acctest.RandomName("org")
	config := env.Config(fmt.Sprintf(`
resource "flero_organization" "test" {
  name = %[1]q
}

resource "flero_organization_membership" "admin" {
  organization_id = flero_organization.test.id
  email           = "second.admin@example.com"
  role            = "admin"
}

resource "flero_organization_membership" "member" {
  organization_id = flero_organization.test.id
  email           = "member@example.com"
  role            = "member"
}
`, name))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		Steps: []resource.TestStep{
			{Config: config},
			{
				Config:  config,
				Destroy: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("flero_organization.test", plancheck.ResourceActionDestroy),
						plancheck.ExpectResourceAction("flero_organization_membership.admin", plancheck.ResourceActionDestroy),
						plancheck.ExpectResourceAction("flero_organization_membership.member", plancheck.ResourceActionDestroy),
					},
				},
				Check: acctest.CheckDestroyWith(env.Admin), // given the state before the destroy
			},
		},
	})
}

// TestAccOrganizationMembership_organizationDestroyedWithItsOnlyAdminManaged: when the
// organization's only admin is a membership of the configuration, terraform destroy
// removes both in one run: Terraform plans and applies the membership's destroy first,
// the plan leaves it to the organization's deletion (no error), the apply's delete of
// the membership is refused by the platform and accepted as left to the organization,
// whose deletion then removes it. Nothing is left on the platform.
func TestAccOrganizationMembership_organizationDestroyedWithItsOnlyAdminManaged(t *testing.T) {
	env := acctest.NewEnv(t)
	me, err := env.Admin.Me(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	name := acctest.RandomName("org")
	org := fmt.Sprintf(`
resource "flero_organization" "test" {
  name = %[1]q
}
`, name)
	owner := fmt.Sprintf(`
resource "flero_organization_membership" "owner" {
  organization_id = flero_organization.test.id
  email           = %[1]q
  role            = "admin"
}
`, me.Email)
	importOwner := fmt.Sprintf(`
import {
  to = flero_organization_membership.owner
  id = "${flero_organization.test.id}/%[1]s"
}
`, env.Server.AdminUserID)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: env.ProviderFactories(),
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{Config: env.Config(org)},
			{Config: env.Config(org + importOwner + owner)},
			{
				// Removing the membership alone (the organization stays) is refused at
				// plan, and the message says how to remove both.
				Config: env.Config(org),
				ExpectError: errorMatching(atPlan, fmt.Sprintf("Organization %q must keep at least one admin, and %s is its last admin", name, me.Email),
					"destroy them in one run (terraform destroy)"),
			},
			{
				Config:  env.Config(org + owner),
				Destroy: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("flero_organization.test", plancheck.ResourceActionDestroy),
						plancheck.ExpectResourceAction(ownerAddr, plancheck.ResourceActionDestroy),
					},
				},
				Check: func(*terraform.State) error {
					if _, err := env.Admin.Organizations.GetByName(context.Background(), name); !errors.Is(err, client.ErrNotFound) {
						return fmt.Errorf("the organization is still there after the destroy: %v", err)
					}
					return nil
				},
			},
		},
	})
}
