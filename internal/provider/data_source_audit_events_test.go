package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
)

// TestAccAuditEventsDataSource_filtersAndPages: the activity log filtered by email,
// workspace, action and entity type, read across API pages (two events a page).
func TestAccAuditEventsDataSource_filtersAndPages(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	o, ws := credentialTenancy(t, env, "free")
	for _, n := range []string{"a", "b", "c"} {
		if _, err := env.Admin.Credentials.Create(ctx, ws.ID, api.CreateCredentialRequest{Name: "cred-" + n, Type: "slack", Data: map[string]string{"k": "v"}}); err != nil {
			t.Fatal(err)
		}
	}
	me, err := env.Admin.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const route = "/v1/organizations/{organization_id}/audit-events"
	var before int64
	created := knownvalue.ObjectPartial(map[string]knownvalue.Check{
		"action": knownvalue.StringExact("created"), "entity_type": knownvalue.StringExact("credential"),
		"workspace_id": knownvalue.StringExact(ws.ID), "actor_id": knownvalue.StringExact(me.ID),
		"actor_email": knownvalue.StringExact(me.Email),
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProviderFactoriesWithPageSize(2),
		Steps: []resource.TestStep{{
			PreConfig: func() { before = env.Server.Requests("GET", route) },
			Config: env.Config(fmt.Sprintf(`
data "flero_audit_events" "created" {
  organization_id = %[1]q
  email           = %[2]q
  workspace_id    = %[3]q
  action          = "created"
  entity_type     = "credential"
  since           = "2000-01-01T00:00:00Z"
}
data "flero_audit_events" "nobody" {
  organization_id = %[1]q
  email           = "nobody@example.com"
}
`, o.ID, strings.ToUpper(me.Email), ws.ID)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.flero_audit_events.created", tfjsonpath.New("events"),
					knownvalue.ListExact([]knownvalue.Check{created, created, created})),
				statecheck.ExpectKnownValue("data.flero_audit_events.nobody", tfjsonpath.New("events"), knownvalue.ListSizeExact(0)),
			},
			Check: func(*terraform.State) error {
				// Three matching events at two a page: at least two requests for that
				// data source in each of plan and apply's reads.
				if n := env.Server.Requests("GET", route) - before; n < 3 {
					return fmt.Errorf("the audit log was read in %d requests: it was not paged", n)
				}
				return nil
			},
		}},
	})
}
