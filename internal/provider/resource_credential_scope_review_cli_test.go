package provider_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/provider"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/serve"
)

// plugin-testing cannot see warnings, so these tests run the real terraform CLI on a
// configuration and read its output: the provider is served in-process (as
// plugin-testing does) and Terraform reattaches to it through TF_REATTACH_PROVIDERS.

// TestAccCredentialCLI_scopeReviewWarnings: a real `terraform plan` that narrows an
// organization-scoped credential shows the in-place `~ scope` change and the warning
// that lists the other workspace and the workflow that used it; widening it back
// warns how many workspaces gain it.
func TestAccCredentialCLI_scopeReviewWarnings(t *testing.T) {
	env := acctest.NewEnv(t)
	ctx := context.Background()
	o := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("review"), Plan: "enterprise"})
	var home, growth *api.Workspace
	for _, ws := range []struct {
		name string
		dst  **api.Workspace
	}{{"payments", &home}, {"growth", &growth}, {"sandbox", new(*api.Workspace)}} {
		w, err := env.Admin.Workspaces.Create(ctx, o.ID, api.CreateWorkspaceRequest{Name: ws.name})
		if err != nil {
			t.Fatal(err)
		}
		*ws.dst = w
	}
	tf := newTerraformCLI(t, env, env.Server.AdminToken)
	secret := randomSecret(t)
	tf.setSecret(secret)
	cfg := func(scope string) string {
		return ephemeralSecretVariable + testAccCredentialConfig("stripe-live", scope, dataWO(1), home.ID)
	}
	tf.write(cfg("organization"))
	tf.run(t, "apply", "-auto-approve")
	id := tf.output(t, "flero_credential.x", "id")

	// Another workspace's workflow uses the credential (organization scope allows it).
	for i := 0; i < 2; i++ {
		if err := env.Admin.Credentials.RecordUse(ctx, id, api.RecordUseRequest{Workflow: "nightly-sync", WorkspaceID: growth.ID}); err != nil {
			t.Fatal(err)
		}
	}

	tf.write(cfg("workspace"))
	out := tf.run(t, "plan")
	t.Logf("terraform plan (narrowing):\n%s", out)
	flat := flattenSpaces(out)
	for _, want := range []string{
		`flero_credential.x will be updated in-place`,
		`~ scope = "organization" -> "workspace"`,
		`Warning: Narrowing credential "stripe-live" from organization to workspace scope`,
		`Only workflows in workspace "payments" keep access`,
		`Used in the last 30 days by 1 workflow that will lose access (2 uses):`,
		`workspace "growth", workflow "nightly-sync": 2 uses`,
		`Who loses access: 2 workspaces ("growth" and "sandbox").`,
		`Plan: 0 to add, 1 to change, 0 to destroy.`,
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("terraform plan does not show %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "must be replaced") || strings.Contains(out, secret) {
		t.Errorf("the plan replaces the credential or shows its secret:\n%s", out)
	}

	// Apply the narrowing, then plan to widen again.
	tf.run(t, "apply", "-auto-approve")
	if got := tf.output(t, "flero_credential.x", "id"); got != id {
		t.Fatalf("the narrowing replaced the credential: id %s, was %s", got, id)
	}
	tf.write(cfg("organization"))
	flat = flattenSpaces(tf.run(t, "plan"))
	if want := `Warning: Widening credential "stripe-live" from workspace to organization scope`; !strings.Contains(flat, want) {
		t.Errorf("no widening warning:\n%s", flat)
	}
	if want := `it becomes usable in 2 other workspaces of the organization, besides workspace "payments". Who gains access: 2 workspaces ("growth" and "sandbox").`; !strings.Contains(flat, want) {
		t.Errorf("the widening warning does not count the workspaces:\n%s", flat)
	}

	// No warning when the scope does not change.
	tf.write(cfg("workspace"))
	flat = flattenSpaces(tf.run(t, "plan"))
	if strings.Contains(flat, "Warning:") || !strings.Contains(flat, "No changes.") {
		t.Errorf("an unchanged scope planned something or warned:\n%s", flat)
	}
	tf.run(t, "destroy", "-auto-approve")
}

// TestAccCredentialCLI_inactiveWarning: the owner of a personal credential left the
// organization; their plan has no change and warns why the credential is inactive,
// both while they are out of the organization (it is hidden from them) and once they
// are back.
func TestAccCredentialCLI_inactiveWarning(t *testing.T) {
	env := acctest.NewEnv(t)
	o, ws := credentialTenancy(t, env, "free")
	userID, token := credentialMember(t, env, o, ws, "leaver@example.com", "editor")
	tf := newTerraformCLI(t, env, token)
	tf.setSecret(randomSecret(t))
	tf.write(ephemeralSecretVariable + testAccCredentialConfig("mine", "personal", dataWO(1), ws.ID))
	tf.run(t, "apply", "-auto-approve")

	check := func(when string) {
		t.Helper()
		flat := flattenSpaces(tf.run(t, "plan"))
		for _, want := range []string{"No changes.", "Warning: Credential is inactive", rules.InactiveReason("mine")} {
			if !strings.Contains(flat, want) {
				t.Errorf("%s, the plan does not say %q:\n%s", when, want, flat)
			}
		}
	}
	leaveOrganization(t, env, o.ID, userID)
	check("out of the organization")
	joinOrganization(t, env, o.ID, "leaver@example.com")
	check("back in the organization")
	tf.run(t, "destroy", "-auto-approve")
}

// ---------------------------------------------------------------------------
// The terraform CLI against the in-process provider.

type terraformCLI struct {
	bin, dir string
	env      []string
}

// newTerraformCLI serves the provider in-process, acting on env's server with token,
// until the test ends, and prepares a working directory whose configuration starts
// with env's provider block (which holds neither endpoint nor token).
func newTerraformCLI(t *testing.T, env *acctest.Env, token string) *terraformCLI {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig)
	closed := make(chan struct{})
	factory := serve.NewServer(provider.New("test", provider.WithDefaultConnection(env.Server.URL, token)))
	go func() {
		err := tf6server.Serve("registry.terraform.io/flero/flero", factory,
			tf6server.WithDebug(ctx, reattach, closed),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithLoggingSink(t))
		if err != nil {
			t.Errorf("serving the provider: %v", err)
		}
	}()
	var rc *plugin.ReattachConfig
	select {
	case rc = <-reattach:
	case <-time.After(30 * time.Second):
		t.Fatal("the provider did not start")
	}
	t.Cleanup(func() {
		cancel()
		<-closed
	})
	type addr struct{ Network, String string }
	attach := map[string]any{
		"Protocol": string(rc.Protocol), "ProtocolVersion": rc.ProtocolVersion, "Pid": rc.Pid, "Test": true,
		"Addr": addr{rc.Addr.Network(), rc.Addr.String()},
	}
	// "flero/flero" is registry.terraform.io/flero/flero to Terraform and
	// registry.opentofu.org/flero/flero to OpenTofu (make testacc-tofu).
	info, err := json.Marshal(map[string]any{
		"registry.terraform.io/flero/flero": attach,
		"registry.opentofu.org/flero/flero": attach,
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cliConfig := filepath.Join(dir, "terraformrc")
	if err := os.WriteFile(cliConfig, []byte("disable_checkpoint = true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "provider.tf"), []byte(`
terraform {
  required_providers {
    flero = { source = "flero/flero" }
  }
}
`+env.ProviderConfig()), 0o600); err != nil {
		t.Fatal(err)
	}
	var environ []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); !strings.HasPrefix(k, "TF_") {
			environ = append(environ, kv)
		}
	}
	environ = append(environ, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0",
		"TF_CLI_CONFIG_FILE="+cliConfig, "TF_REATTACH_PROVIDERS="+string(info))
	tf := &terraformCLI{bin: os.Getenv("TF_ACC_TERRAFORM_PATH"), dir: work, env: environ}
	tf.run(t, "init")
	return tf
}

// setSecret values the configuration's variable "secret" through the environment
// (TF_VAR_secret), so that it is neither in a file nor on a command line.
func (c *terraformCLI) setSecret(secret string) {
	c.env = append(c.env, "TF_VAR_secret="+secret)
}

// write sets the configuration besides the provider block.
func (c *terraformCLI) write(config string) {
	if err := os.WriteFile(filepath.Join(c.dir, "main.tf"), []byte(config), 0o600); err != nil {
		panic(err)
	}
}

// exec runs terraform with args (and -no-color) and returns its combined output.
func (c *terraformCLI) exec(args ...string) (string, error) {
	cmd := exec.Command(c.bin, append(args, "-no-color")...)
	cmd.Dir, cmd.Env = c.dir, c.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// run is exec that fails the test when terraform fails.
func (c *terraformCLI) run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := c.exec(args...)
	if err != nil {
		t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// output reads an attribute of a resource from the state.
func (c *terraformCLI) output(t *testing.T, addr, attr string) string {
	t.Helper()
	out := c.run(t, "show", "-json")
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string         `json:"address"`
					Values  map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(out), &state); err != nil {
		t.Fatalf("terraform show -json: %v", err)
	}
	for _, r := range state.Values.RootModule.Resources {
		if r.Address == addr {
			return fmt.Sprint(r.Values[attr])
		}
	}
	t.Fatalf("%s is not in the state", addr)
	return ""
}
