package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// A create refused at apply because its name is taken (the API's 409, as when another
// run created the object between plan and apply) says which object holds the name
// and how to import it, on the attribute; a membership that already exists gives its
// import id; a rule's conflict (not a taken name) is left as the API says it.
func TestCreateConflictSaysHowToImport(t *testing.T) {
	ctx := context.Background()
	srv := testserver.Start(t)
	c := testClient(t, srv.URL, srv.AdminToken)
	org, err := c.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	prod, err := c.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "prod", CustomDomain: "flows.acme.example"})
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name string
		req  api.CreateWorkspaceRequest
		at   string
		want []string
	}{
		{"name", api.CreateWorkspaceRequest{Name: "prod"}, "name",
			[]string{`Workspace name "prod" is already taken.`, `It is held by workspace "prod" (` + prod.ID + `)`, "terraform import flero_workspace.<name> " + prod.ID}},
		{"custom domain", api.CreateWorkspaceRequest{Name: "staging", CustomDomain: "flows.acme.example"}, "custom_domain",
			[]string{`Custom domain "flows.acme.example" is already taken.`, `It is held by workspace "prod"`, `id = "` + prod.ID + `"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Workspaces.Create(ctx, org.ID, tc.req)
			if err == nil {
				t.Fatal("the API accepted a taken value")
			}
			m := workspaceModel{}
			m.OrganizationID, m.Name, m.CustomDomain = types.StringValue(org.ID), types.StringValue(tc.req.Name), types.StringValue(tc.req.CustomDomain)
			var diags diag.Diagnostics
			addCreateError(ctx, &diags, c, workspaceName(tc.req.Name), err, workspaceUnique(m), nil)
			d := onlyError(t, diags)
			if wp, ok := d.(diag.DiagnosticWithPath); !ok || !wp.Path().Equal(path.Root(tc.at)) {
				t.Errorf("not on %s: %v", tc.at, d)
			}
			for _, w := range tc.want {
				if !strings.Contains(d.Detail(), w) {
					t.Errorf("detail lacks %q:\n%s", w, d.Detail())
				}
			}
		})
	}

	t.Run("membership", func(t *testing.T) {
		_, err := c.OrganizationMemberships.Create(ctx, org.ID, api.CreateOrganizationMembershipRequest{Email: "ann@example.com", Role: "member"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.OrganizationMemberships.Create(ctx, org.ID, api.CreateOrganizationMembershipRequest{Email: "ann@example.com", Role: "member"})
		var diags diag.Diagnostics
		id := org.ID + "/ann@example.com"
		addCreateError(ctx, &diags, c, "membership of ann@example.com", err, nil,
			&holder{Object: "membership of ann@example.com", ResourceType: "flero_organization_membership", ImportID: id})
		d := onlyError(t, diags)
		if !strings.Contains(d.Detail(), "terraform import flero_organization_membership.<name> "+id) {
			t.Errorf("no import command:\n%s", d.Detail())
		}
	})

	t.Run("rule conflict", func(t *testing.T) {
		// Deleting a non-empty organization is a rule's conflict, not a taken name.
		err := c.Organizations.Delete(ctx, org.ID, client.WriteOptions{})
		var diags diag.Diagnostics
		addCreateError(ctx, &diags, c, "organization", err, []uniqueValue{{Kind: rules.NameOrganization, Value: "acme"}}, nil)
		if d := onlyError(t, diags); strings.Contains(d.Detail(), "terraform import") {
			t.Errorf("a rule's conflict got an import hint:\n%s", d.Detail())
		}
	})
}

func onlyError(t *testing.T, diags diag.Diagnostics) diag.Diagnostic {
	t.Helper()
	if len(diags) != 1 || diags[0].Severity() != diag.SeverityError {
		t.Fatalf("want one error, got %v", diags)
	}
	return diags[0]
}
