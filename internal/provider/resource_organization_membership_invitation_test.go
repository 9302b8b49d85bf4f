package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
)

// TestAccOrganizationMembership_resendExpired: an invitation shows its status and
// times; once it expires, resend_expired = true resends it on the next apply (an
// in-place update), after which the plan is empty (no perpetual diff); without
// resend_expired an expired invitation plans nothing.
func TestAccOrganizationMembership_resendExpired(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	o := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("invite")})
	cfg := func(resend bool) string {
		return env.Config(fmt.Sprintf(`
resource "flero_organization_membership" "x" {
  organization_id = %[1]q
  email           = "late@example.com"
  role            = "member"
  resend_expired  = %[2]t
}
`, o.ID, resend))
	}
	const addr = "flero_organization_membership.x"
	expire := func() {
		// Resend out of band with a TTL of a nanosecond: the invitation has expired.
		m, err := env.Admin.OrganizationMemberships.GetByEmail(ctx, o.ID, "late@example.com")
		if err != nil {
			t.Fatal(err)
		}
		env.Server.SetInvitationTTL(time.Nanosecond)
		defer env.Server.SetInvitationTTL(0)
		if _, err := env.Admin.OrganizationMemberships.ResendInvitation(ctx, o.ID, m.UserID); err != nil {
			t.Fatal(err)
		}
	}
	invitedAt := statecheck.CompareValue(compare.ValuesDiffer())
	nonEmpty := knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT`))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: cfg(true),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("invited")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("invited_at"), nonEmpty),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("invitation_expires_at"), nonEmpty),
					invitedAt.AddStateValue(addr, tfjsonpath.New("invited_at")),
				},
			},
			{
				// Expired: the plan resends it, and the plan after the apply is empty
				// (plugin-testing checks that).
				PreConfig: expire,
				Config:    cfg(true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("invited_at")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("invited")),
					invitedAt.AddStateValue(addr, tfjsonpath.New("invited_at")),
				},
			},
			{
				Config:           cfg(true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// Without resend_expired, an expired invitation is a warning, not a change.
				PreConfig: expire,
				Config:    cfg(false),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate), // resend_expired true -> false only
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("invited_at"), nonEmpty),
				}},
			},
			{
				Config:           cfg(false),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				ResourceName: addr, ImportState: true, ImportStateVerify: true,
			},
		},
	})
}
