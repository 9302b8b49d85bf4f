package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/rules"
)

// plugin-testing 1.16 cannot invoke an action (terraform apply -invoke), so these tests
// run the terraform CLI (TF_ACC_TERRAFORM_PATH, Terraform >= 1.14 such as 1.15.9) on
// the in-process provider, as the scope review's CLI tests do.

// skipBelowActions skips a test on a Terraform without actions (< 1.14).
func skipBelowActions(t *testing.T) {
	t.Helper()
	acctest.PreCheck(t)
	out, err := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), "version", "-json").Output()
	if err != nil {
		t.Fatalf("terraform version: %v", err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	if got, err := version.NewVersion(v.Version); err != nil || got.LessThan(version.Must(version.NewVersion("1.14.0"))) {
		t.Skipf("actions need Terraform >= 1.14 (terraform apply -invoke, action_trigger); this is %s", v.Version)
	}
}

// TestAccCredentialTestActionCLI: flero_credential_test passes when invoked directly and
// when triggered by an update of the credential (action_trigger after_update); on an
// inactive credential it fails the run with the platform's message.
func TestAccCredentialTestActionCLI(t *testing.T) {
	skipBelowActions(t)
	env := acctest.NewEnv(t)
	o, ws := credentialTenancy(t, env, "free")
	userID, token := credentialMember(t, env, o, ws, "tester@example.com", "editor")
	tf := newTerraformCLI(t, env, token)
	tf.setSecret(randomSecret(t))
	cfg := func(description string) string {
		return ephemeralSecretVariable + testAccCredentialConfig("mine", "personal", dataWO(1)+fmt.Sprintf(`
  description = %q
  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.flero_credential_test.x]
    }
  }
`, description), ws.ID) + `
action "flero_credential_test" "x" {
  config {
    credential_id = flero_credential.x.id
  }
}
`
	}
	tf.write(cfg("one"))
	tf.run(t, "apply", "-auto-approve")
	before := testedEvents(t, env, o.ID)

	out := tf.run(t, "apply", "-auto-approve", "-invoke=action.flero_credential_test.x")
	t.Logf("invoke:\n%s", out)
	tf.write(cfg("two"))
	out = tf.run(t, "apply", "-auto-approve")
	t.Logf("update with action_trigger:\n%s", out)
	if got := testedEvents(t, env, o.ID); got != before+2 {
		t.Errorf("the platform ran %d credential tests, want 2 (the invocation and the trigger)", got-before)
	}

	// The owner leaves and comes back: the personal credential stays inactive, and the
	// test fails the run with the platform's message.
	leaveOrganization(t, env, o.ID, userID)
	joinOrganization(t, env, o.ID, "tester@example.com")
	out, err := tf.exec("apply", "-auto-approve", "-invoke=action.flero_credential_test.x")
	flat := flattenSpaces(out)
	if err == nil || !strings.Contains(flat, "Credential test failed") || !strings.Contains(flat, flattenSpaces(rules.InactiveReason("mine"))) {
		t.Errorf("the test of an inactive credential did not fail the run with the platform's message (err %v):\n%s", err, out)
	}
}

// TestAccInvitationResendActionCLI: flero_invitation_resend resends a pending
// invitation, and fails on an accepted one.
func TestAccInvitationResendActionCLI(t *testing.T) {
	skipBelowActions(t)
	env := acctest.NewEnv(t)
	ctx := context.Background()
	o := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("resend")})
	m, err := env.Admin.OrganizationMemberships.Create(ctx, o.ID, api.CreateOrganizationMembershipRequest{Email: "pending@example.com", Role: "member"})
	if err != nil {
		t.Fatal(err)
	}
	tf := newTerraformCLI(t, env, env.Server.AdminToken)
	cfg := func(email string) string {
		return fmt.Sprintf(`
action "flero_invitation_resend" "x" {
  config {
    organization_id = %q
    email           = %q
  }
}
`, o.ID, email)
	}
	tf.write(cfg("Pending@example.com"))
	tf.run(t, "apply", "-auto-approve", "-invoke=action.flero_invitation_resend.x")
	again, err := env.Admin.OrganizationMemberships.Get(ctx, o.ID, m.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Version != m.Version+1 || !again.InvitedAt.After(*m.InvitedAt) {
		t.Errorf("the invitation was not resent: %+v, was %+v", again, m)
	}
	env.CreateUser("pending@example.com") // accepts it
	out, err := tf.exec("apply", "-auto-approve", "-invoke=action.flero_invitation_resend.x")
	if err == nil || !strings.Contains(flattenSpaces(out), "already accepted the invitation") {
		t.Errorf("resending an accepted invitation did not fail with the platform's message (err %v):\n%s", err, out)
	}
}

func testedEvents(t *testing.T, env *acctest.Env, orgID string) int {
	t.Helper()
	events, err := env.Admin.Audit.List(context.Background(), orgID, clientAudit("tested"))
	if err != nil {
		t.Fatal(err)
	}
	return len(events)
}

func clientAudit(action string) client.AuditListOptions {
	return client.AuditListOptions{Action: action}
}
