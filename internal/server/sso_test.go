package server_test

import (
	"testing"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// TestSSOSettingIsForPlatformAdmins is rule 11: organization admins view SSO; only a
// platform admin sets or clears sso_enabled, and the change is audited. An
// organization admin cannot turn SSO off, change memberships and turn it back on.
func TestSSOSettingIsForPlatformAdmins(t *testing.T) {
	srv := testserver.Start(t)
	w := newWorld(t, srv, "free")
	orgPath := "/v1/organizations/" + w.org.ID

	w.admin.do("PATCH", orgPath, map[string]any{"sso_enabled": true}).want(200)
	if o := get[api.Organization](w.orgAdmin, orgPath); !o.SSOEnabled {
		t.Fatalf("the organization admin should see SSO on: %+v", o)
	}
	// The attack: turn it off to manage memberships the identity provider owns.
	e := w.orgAdmin.do("PATCH", orgPath, map[string]any{"sso_enabled": false}).wantErr(403, rules.CodeSSOSettingForbidden)
	if len(e.Fields) != 1 || e.Fields[0].Path != "sso_enabled" {
		t.Errorf("the refusal should name sso_enabled: %+v", e.Fields)
	}
	w.orgAdmin.do("PATCH", orgPath+"/memberships/"+w.member.id, map[string]string{"role": "admin"}).wantErr(409, rules.CodeSSOManaged)
	if o := get[api.Organization](w.orgAdmin, orgPath); !o.SSOEnabled {
		t.Fatalf("SSO was switched off by an organization admin: %+v", o)
	}
	// Setting the value it already has is no change, and other fields still change.
	w.orgAdmin.do("PATCH", orgPath, map[string]any{"sso_enabled": true, "description": "d"}).want(200)

	// Nor may an organization admin create an organization with SSO on.
	w.orgAdmin.do("POST", "/v1/organizations", api.CreateOrganizationRequest{Name: "sso-" + slug(t), SSOEnabled: true}).wantErr(403, rules.CodeSSOSettingForbidden)
	created := create[api.Organization](w.orgAdmin, "/v1/organizations", api.CreateOrganizationRequest{Name: "plain-" + slug(t)})
	w.orgAdmin.do("PATCH", "/v1/organizations/"+created.ID, map[string]any{"sso_enabled": true}).wantErr(403, rules.CodeSSOSettingForbidden)
	// The platform admin switches it on an organization it is not a member of.
	w.admin.do("PATCH", "/v1/organizations/"+created.ID, map[string]any{"sso_enabled": true}).want(200)
	// ...but changes nothing else there.
	w.admin.do("PATCH", "/v1/organizations/"+created.ID, map[string]any{"description": "x"}).wantErr(404, api.CodeNotFound)

	// The platform admin switches it off; both changes are in the audit log.
	w.admin.do("PATCH", orgPath, map[string]any{"sso_enabled": false}).want(200)
	var ev api.Page[api.AuditEvent]
	w.admin.do("GET", orgPath+"/audit-events?action=updated&entity_id="+w.org.ID, nil).want(200).into(&ev)
	var switches []string
	for _, e := range ev.Items {
		if s := e.Details["sso_enabled"]; s != "" {
			if e.ActorID != w.admin.id {
				t.Errorf("SSO switched by %s, want the platform admin", e.ActorID)
			}
			switches = append(switches, s)
		}
	}
	if len(switches) != 2 || switches[0] != "false -> true" || switches[1] != "true -> false" {
		t.Errorf("audited SSO switches: %v", switches)
	}
}
