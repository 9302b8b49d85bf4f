package provider_test

// Test helpers shared by the provider's tests: error matching and import ids, the
// fixtures of a tenancy (an organization with a workspace, members joining and
// leaving), the terraform CLI against the in-process provider (for what
// terraform-plugin-testing cannot see: warnings), and ModifyPlan called directly over a
// fake platform (fakePlatform).

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/flero/terraform-provider-flero/internal/acctest"
	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/provider"
	"github.com/flero/terraform-provider-flero/internal/serve"
)

// errorMatching matches an error output that holds each phrase, in order, whatever
// line wrapping Terraform applied.
func errorMatching(phrases ...string) *regexp.Regexp {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		parts[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `.*`))
}

// importID builds a composite import id from attributes of addr, joined by "/".
func importID(addr string, attrs ...string) resource.ImportStateIdFunc {
	return func(s *terraform.State) (string, error) {
		values := make([]string, len(attrs))
		for i, a := range attrs {
			v, err := acctest.Attr(s, addr, a)
			if err != nil {
				return "", err
			}
			values[i] = v
		}
		return strings.Join(values, "/"), nil
	}
}

// changeOutOfBand is a plan check that changes the platform between plan and apply.
type changeOutOfBand func() error

func (f changeOutOfBand) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f()
}

// tenancyCounts counts, through the API, the organization's workspaces and teams and
// the home workspace's credentials.
func tenancyCounts(env *acctest.Env, orgID, homeID string) (workspaces, teams, credentials int, err error) {
	ctx := context.Background()
	wss, err := env.Admin.Workspaces.List(ctx, orgID)
	if err != nil {
		return 0, 0, 0, err
	}
	ts, err := env.Admin.Teams.List(ctx, orgID)
	if err != nil {
		return 0, 0, 0, err
	}
	creds, err := env.Admin.Credentials.List(ctx, homeID)
	if err != nil {
		return 0, 0, 0, err
	}
	return len(wss), len(ts), len(creds), nil
}

// must returns a function that fails the test when err is not nil, else returns v.
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("out-of-band setup: %v", err)
		}
		return v
	}
}

// randomSecret is a secret value unique to this test, so that finding it anywhere
// means it leaked.
func randomSecret(t *testing.T) string {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "s3cr3t-" + hex.EncodeToString(b)
}

// credentialTenancy creates, out of band, an organization with one workspace.
func credentialTenancy(t *testing.T, env *acctest.Env, plan string) (*api.Organization, *api.Workspace) {
	t.Helper()
	o := env.Organization(api.CreateOrganizationRequest{Name: acctest.RandomName("people"), Plan: plan})
	ws, err := env.Admin.Workspaces.Create(context.Background(), o.ID, api.CreateWorkspaceRequest{Name: "home"})
	if err != nil {
		t.Fatal(err)
	}
	return o, ws
}

// credentialMember mints an active user, makes them an organization member and gives
// them role in the workspace; it returns their id and token.
func credentialMember(t *testing.T, env *acctest.Env, o *api.Organization, ws *api.Workspace, email, role string) (userID, token string) {
	t.Helper()
	ctx := context.Background()
	userID, token = env.CreateUser(email)
	if _, err := env.Admin.OrganizationMemberships.Create(ctx, o.ID, api.CreateOrganizationMembershipRequest{Email: email, Role: "member"}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Admin.WorkspaceMemberships.Create(ctx, ws.ID, api.CreateWorkspaceMembershipRequest{UserID: userID, Role: role}); err != nil {
		t.Fatal(err)
	}
	return userID, token
}

// leaveOrganization removes the user from the organization, which deactivates their
// personal credentials there.
func leaveOrganization(t *testing.T, env *acctest.Env, orgID, userID string) {
	t.Helper()
	if err := env.Admin.OrganizationMemberships.Delete(context.Background(), orgID, userID, client.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
}

// joinOrganization makes the user (back) a member of the organization.
func joinOrganization(t *testing.T, env *acctest.Env, orgID, email string) {
	t.Helper()
	if _, err := env.Admin.OrganizationMemberships.Create(context.Background(), orgID, api.CreateOrganizationMembershipRequest{Email: email, Role: "member"}); err != nil {
		t.Fatal(err)
	}
}

// flattenSpaces folds runs of white space (Terraform wraps long messages).
func flattenSpaces(s string) string { return strings.Join(strings.Fields(s), " ") }

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

// modifyPlan runs r's ModifyPlan for a change from state to plan (nil means null:
// create or destroy). Attributes left out are null.
func modifyPlan(t *testing.T, r fwresource.Resource, run *planrun.Run, state, plan map[string]tftypes.Value) diag.Diagnostics {
	t.Helper()
	return modifyPlanReplacing(t, r, run, state, plan, nil)
}

// modifyPlanReplacing is modifyPlan after the attribute plan modifiers asked to
// replace the resource for the attributes requiresReplace (none: no replacement).
func modifyPlanReplacing(t *testing.T, r fwresource.Resource, run *planrun.Run, state, plan map[string]tftypes.Value, requiresReplace path.Paths) diag.Diagnostics {
	t.Helper()
	return modifyPlanWith(t, r, &framework.ProviderData{Run: run}, state, plan, requiresReplace)
}

// modifyPlanWith is modifyPlanReplacing with the provider's data given whole (a client
// besides the run cache, for the checks that read through the client).
func modifyPlanWith(t *testing.T, r fwresource.Resource, data *framework.ProviderData, state, plan map[string]tftypes.Value, requiresReplace path.Paths) diag.Diagnostics {
	t.Helper()
	ctx := context.Background()
	r.(fwresource.ResourceWithConfigure).Configure(ctx, fwresource.ConfigureRequest{ProviderData: data}, &fwresource.ConfigureResponse{})
	var sr fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	value := func(m map[string]tftypes.Value) tftypes.Value {
		if m == nil {
			return tftypes.NewValue(typ, nil)
		}
		vals := map[string]tftypes.Value{}
		for name, at := range typ.AttributeTypes {
			if v, ok := m[name]; ok {
				vals[name] = v
			} else {
				vals[name] = tftypes.NewValue(at, nil)
			}
		}
		return tftypes.NewValue(typ, vals)
	}
	req := fwresource.ModifyPlanRequest{
		Config: tfsdk.Config{Schema: sr.Schema, Raw: value(plan)},
		Plan:   tfsdk.Plan{Schema: sr.Schema, Raw: value(plan)},
		State:  tfsdk.State{Schema: sr.Schema, Raw: value(state)},
	}
	resp := fwresource.ModifyPlanResponse{Plan: req.Plan, RequiresReplace: requiresReplace}
	r.(fwresource.ResourceWithModifyPlan).ModifyPlan(ctx, req, &resp)
	return resp.Diagnostics
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

var unknown = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)

func requireOne(t *testing.T, diags diag.Diagnostics, severity diag.Severity, at path.Path, contains string) {
	t.Helper()
	if len(diags) != 1 {
		t.Fatalf("want one diagnostic, got %d: %v", len(diags), diags)
	}
	d := diags[0]
	wp, ok := d.(diag.DiagnosticWithPath)
	if d.Severity() != severity || !ok || !wp.Path().Equal(at) || !strings.Contains(d.Summary()+" "+d.Detail(), contains) {
		t.Fatalf("want a %v on %s containing %q, got %v %q: %s", severity, at, contains, d.Severity(), d.Summary(), d.Detail())
	}
}

// fakePlatform is the look-ups of a run cache (planrun.NewWithFetchers) over a small
// fake platform, for ModifyPlan called directly: organization acme (org_1, on the pro
// plan, single sign-on as sso) whose memberships are members, and organization others
// (org_other, no member); the token is an admin of both; any other organization is
// gone (404). Every workspace is prod in acme; every team is outsiders in others.
// calls counts the look-ups, lists the listings of memberships.
type fakePlatform struct {
	sso     bool
	members []api.OrganizationMembership
	calls   atomic.Int64
	lists   atomic.Int64
}

func (f *fakePlatform) cache() *planrun.Run {
	notFound := &client.APIError{Status: 404, Code: api.CodeNotFound}
	names := map[string]string{"org_1": "acme", "org_other": "others"}
	return planrun.NewWithFetchers(planrun.Fetchers{
		Access: func(_ context.Context, org, ws string) (*api.Access, error) {
			f.calls.Add(1)
			if names[org] == "" {
				return nil, notFound
			}
			return &api.Access{UserID: "usr_me", OrganizationID: org, WorkspaceID: ws, OrgRole: "admin"}, nil
		},
		Organization: func(_ context.Context, id string) (*api.Organization, error) {
			f.calls.Add(1)
			if names[id] == "" {
				return nil, notFound
			}
			return &api.Organization{ID: id, Name: names[id], Plan: "pro", SSOEnabled: f.sso && id == "org_1"}, nil
		},
		Workspace: func(_ context.Context, id string) (*api.Workspace, error) {
			f.calls.Add(1)
			return &api.Workspace{ID: id, OrganizationID: "org_1", Name: "prod"}, nil
		},
		Team: func(_ context.Context, id string) (*api.Team, error) {
			f.calls.Add(1)
			return &api.Team{ID: id, OrganizationID: "org_other", Name: "outsiders"}, nil
		},
		OrganizationMembership: func(_ context.Context, org, user string) (*api.OrganizationMembership, error) {
			f.calls.Add(1)
			for _, m := range f.members {
				if org == "org_1" && m.UserID == user {
					return &m, nil
				}
			}
			return nil, notFound
		},
		ListOrganizationMemberships: func(_ context.Context, org string) ([]api.OrganizationMembership, error) {
			f.calls.Add(1)
			f.lists.Add(1)
			if names[org] == "" {
				return nil, notFound
			}
			if org != "org_1" {
				return nil, nil
			}
			return slices.Clone(f.members), nil
		},
	})
}
