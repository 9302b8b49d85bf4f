// Package provider is the flero Terraform provider: its configuration and, listed in
// one registry (the lists below fleroProvider's configuration in provider.go), its
// resources, data sources, ephemeral resources, list resources, actions and
// functions. Shared behaviour lives in package framework.
package provider

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/planrun"
	"github.com/flero/terraform-provider-flero/internal/validators"
)

var (
	_ provider.Provider                       = (*fleroProvider)(nil)
	_ provider.ProviderWithListResources      = (*fleroProvider)(nil)
	_ provider.ProviderWithActions            = (*fleroProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*fleroProvider)(nil)
	_ provider.ProviderWithFunctions          = (*fleroProvider)(nil)
)

// Environment variables read when the provider block leaves an attribute out.
const (
	EnvEndpoint = "FLERO_ENDPOINT"
	EnvToken    = "FLERO_TOKEN"
)

// Defaults of the provider configuration.
const (
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxRetries     = 4
)

// New returns the provider factory for the given version ("dev", "test" or a release).
func New(version string, opts ...Option) func() provider.Provider {
	return func() provider.Provider {
		p := &fleroProvider{version: version, activity: planrun.NewActivity()}
		for _, opt := range opts {
			opt(p)
		}
		return p
	}
}

// Option adjusts a provider built in-process by a Go program (New, served by
// serve.NewServer). The
// provider binary (main.go) uses none.
type Option func(*fleroProvider)

// WithDefaultConnection is the hook for embedding the provider in a Go process: endpoint
// and token (either may be empty) are used when the provider block leaves them unset,
// ahead of the FLERO_ENDPOINT and FLERO_TOKEN environment variables, which remain the
// fallback. The acceptance tests use it to point each test's provider at that test's
// server, with that test's token, without writing either into the configuration (the
// tests run in parallel in one process, so the environment cannot differ per test, and
// a configuration is logged at TRACE). It is not reachable from Terraform: a provider
// started by Terraform reads only its block and the environment.
func WithDefaultConnection(endpoint, token string) Option {
	return func(p *fleroProvider) {
		p.defaultEndpoint = endpoint
		p.defaultToken = token
	}
}

// WithPageSize sets the page size of the provider's list requests (default 500, the
// largest). The acceptance tests of the list resources use a small one, so that a
// listing crosses pages.
func WithPageSize(n int) Option {
	return func(p *fleroProvider) { p.pageSize = n }
}

type fleroProvider struct {
	version string
	// Set only by WithDefaultConnection.
	defaultEndpoint, defaultToken string
	// Set only by WithPageSize; 0 is the default.
	pageSize int
	// activity is how busy Terraform's walk is, told by the server (serve.CallObserver)
	// and read by the plan checks that wait for plans not made yet (planrun.AwaitFates).
	activity *planrun.Activity
}

// CallStarted and CallEnded make the provider a serve.CallObserver.
func (p *fleroProvider) CallStarted() { p.activity.CallStarted() }
func (p *fleroProvider) CallEnded()   { p.activity.CallEnded() }

type providerModel struct {
	Endpoint       types.String `tfsdk:"endpoint"`
	Token          types.String `tfsdk:"token"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
}

func (p *fleroProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "flero"
	resp.Version = p.version
}

func (p *fleroProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Manages the tenancy and credentials of the Flero workflow platform.",
		Attributes: map[string]schema.Attribute{
			"endpoint": schema.StringAttribute{
				Description: "Base URL of the Flero API, such as https://api.flero.example. Defaults to the " + EnvEndpoint + " environment variable.",
				Optional:    true,
				Validators:  []validator.String{validators.Endpoint()},
			},
			"token": schema.StringAttribute{
				Description: "API token: a user's token or a Flero API key (such as an ephemeral `flero_api_key`'s value, Terraform 1.10+). Defaults to the " + EnvToken + " environment variable.",
				Optional:    true,
				Sensitive:   true,
			},
			"request_timeout": schema.StringAttribute{
				Description: fmt.Sprintf("Timeout of one HTTP attempt, as a duration such as \"30s\". Default %s.", DefaultRequestTimeout),
				Optional:    true,
				Validators:  []validator.String{validators.Duration()},
			},
			"max_retries": schema.Int64Attribute{
				Description: fmt.Sprintf("How many times a failed request (connection error, 429, 5xx) is retried. Default %d; 0 disables retries.", DefaultMaxRetries),
				Optional:    true,
				Validators:  []validator.Int64{int64validator.Between(0, 20)},
			},
		},
	}
}

// Configure builds the client and checks the endpoint and token once, with GET /v1/me:
// a wrong endpoint or token is one clear error here rather than a failure on every
// resource.
func (p *fleroProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// Values known only after apply (an endpoint from another resource): configure later.
	if cfg.Endpoint.IsUnknown() || cfg.Token.IsUnknown() || cfg.RequestTimeout.IsUnknown() || cfg.MaxRetries.IsUnknown() {
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
		}
		tflog.Warn(ctx, "provider configuration not known yet; the provider stays unconfigured")
		return
	}

	endpoint, endpointFrom := configValue(cfg.Endpoint, p.defaultEndpoint, EnvEndpoint)
	token, _ := configValue(cfg.Token, p.defaultToken, EnvToken)
	if endpoint == "" {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Missing endpoint",
			"Set endpoint in the provider block, or the "+EnvEndpoint+" environment variable, to the Flero API's base URL.")
	}
	if token == "" {
		resp.Diagnostics.AddAttributeError(path.Root("token"), "Missing token",
			"Set token in the provider block, or the "+EnvToken+" environment variable, to a Flero API token.")
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if endpointFrom != "" {
		// Not from the block: the schema's validator did not see it.
		checkEnvEndpoint(ctx, endpoint, endpointFrom, resp)
		if resp.Diagnostics.HasError() {
			return
		}
	}

	timeout := DefaultRequestTimeout
	if !cfg.RequestTimeout.IsNull() {
		timeout, _ = time.ParseDuration(cfg.RequestTimeout.ValueString()) // validated statically
	}
	retries := DefaultMaxRetries
	if !cfg.MaxRetries.IsNull() {
		retries = int(cfg.MaxRetries.ValueInt64())
	}
	if retries == 0 {
		retries = -1 // the client reads 0 as "default"; -1 as "none"
	}

	c, err := client.New(client.Config{
		Endpoint:  endpoint,
		Token:     token,
		UserAgent: fmt.Sprintf("terraform-provider-flero/%s (+terraform %s)", p.version, req.TerraformVersion),
		Timeout:   timeout,
		RetryMax:  retries,
		Logger:    tflogLogger(token),
		// A refresh answers the reads of a collection from one list (planrun's
		// listings): the largest page makes that one request for up to 500 objects.
		PageSize: cmp.Or(p.pageSize, 500),
	})
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid provider configuration", err.Error())
		return
	}

	me, err := c.Me(ctx)
	if err != nil {
		addConfigureError(resp, endpoint, err)
		return
	}
	tflog.Debug(ctx, "flero provider configured", map[string]any{"endpoint": endpoint, "user_id": me.ID})

	run := planrun.New(c)
	run.Activity = p.activity
	run.SetMe(me)
	data := &framework.ProviderData{Client: c, Run: run}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
	resp.ActionData = data
	resp.EphemeralResourceData = data
}

// configValue is the block's value if set, else the embedding program's default (see
// WithDefaultConnection), else the environment variable env; from names where a value
// not from the block came from.
func configValue(v types.String, embedded, env string) (value, from string) {
	switch {
	case !v.IsNull() && v.ValueString() != "":
		return strings.TrimSpace(v.ValueString()), ""
	case embedded != "":
		return strings.TrimSpace(embedded), "the provider's embedded default"
	default:
		return strings.TrimSpace(os.Getenv(env)), env
	}
}

// checkEnvEndpoint applies the endpoint's static check to a value that did not come
// from the block (from says where it came from).
func checkEnvEndpoint(ctx context.Context, endpoint, from string, resp *provider.ConfigureResponse) {
	var vr validator.StringResponse
	validators.Endpoint().ValidateString(ctx, validator.StringRequest{
		Path: path.Root("endpoint"), ConfigValue: types.StringValue(endpoint),
	}, &vr)
	for _, d := range vr.Diagnostics {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), d.Summary(), d.Detail()+" (from "+from+")")
	}
}

// addConfigureError turns the failure of GET /v1/me into one error on the attribute at
// fault.
func addConfigureError(resp *provider.ConfigureResponse, endpoint string, err error) {
	var apiErr *client.APIError
	switch {
	case errors.Is(err, client.ErrUnauthorized):
		resp.Diagnostics.AddAttributeError(path.Root("token"), "Token not accepted",
			fmt.Sprintf("The token was not accepted by the Flero API at %s: it is unknown, revoked or mistyped. "+
				"Check the provider's token (or %s).", endpoint, EnvToken))
	case errors.As(err, &apiErr) && apiErr.Status == 404:
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Not a Flero API",
			fmt.Sprintf("%s answered 404 to GET /v1/me: the endpoint does not look like a Flero API. "+
				"Check the provider's endpoint (or %s).", endpoint, EnvEndpoint))
	case errors.As(err, &apiErr):
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Flero API error",
			fmt.Sprintf("The Flero API at %s answered an error while the provider checked its token: %s", endpoint, err))
	default:
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Flero API unreachable",
			fmt.Sprintf("The provider could not reach the Flero API at %s: %s. "+
				"Check the provider's endpoint (or %s) and the network.", endpoint, err, EnvEndpoint))
	}
}

// tflogLogger routes the client's log entries to tflog. The client never logs the token;
// masking it here as well keeps it out of the logs whatever an entry holds.
func tflogLogger(token string) client.Logger {
	return func(ctx context.Context, e client.LogEntry) {
		ctx = tflog.SetField(ctx, "component", "flero-client")
		ctx = tflog.MaskMessageStrings(ctx, token)
		ctx = tflog.MaskAllFieldValuesStrings(ctx, token)
		if e.Level == client.LevelTrace {
			tflog.Trace(ctx, e.Message, e.Fields())
			return
		}
		tflog.Debug(ctx, e.Message, e.Fields())
	}
}

// The registry: every type the provider serves, one line each, in plain lists (a new
// type is one added line). Each type lives in its own file: resource_<type>.go (with
// resource_<type>_plan.go when its plan step is large), data_source_<type>.go,
// ephemeral_<type>.go, list_<type>.go, action_<name>.go, function_<name>.go.
var (
	// resources are served with their identity (framework.WithIdentity).
	resources = []func() resource.Resource{
		NewOrganizationResource,
		NewWorkspaceResource,
		NewTeamResource,
		NewOrganizationMembershipResource,
		NewTeamMembershipResource,
		NewWorkspaceMembershipResource,
		NewCredentialResource,
		NewAPIKeyResource,
	}
	dataSources = []func() datasource.DataSource{
		NewOrganizationDataSource,
		NewWorkspaceDataSource,
		NewTeamDataSource,
		NewUserDataSource,
		NewCurrentUserDataSource,
		NewCredentialUsageDataSource,
		NewAuditEventsDataSource,
		NewCredentialDataSource,
	}
	// ephemeralResources are values opened for one Terraform run and never stored.
	ephemeralResources = []func() ephemeral.EphemeralResource{
		NewAPIKeyEphemeralResource,
	}
	// listResources find the objects that exist on the platform, for terraform query:
	// one per resource type, named after it (list.go).
	listResources = []func() list.ListResource{
		NewOrganizationList,
		NewWorkspaceList,
		NewTeamList,
		NewOrganizationMembershipList,
		NewTeamMembershipList,
		NewWorkspaceMembershipList,
		NewCredentialList,
	}
	// actions are day-2 operations (Terraform >= 1.14).
	actions = []func() action.Action{
		NewCredentialTestAction,
		NewInvitationResendAction,
	}
	functions = []func() function.Function{}
)

// Resources are the registry's resources, each served with its identity
// (framework.WithIdentity).
func (p *fleroProvider) Resources(context.Context) []func() resource.Resource {
	all := make([]func() resource.Resource, len(resources))
	for i, f := range resources {
		all[i] = framework.WithIdentity(f)
	}
	return all
}

func (p *fleroProvider) DataSources(context.Context) []func() datasource.DataSource {
	return dataSources
}

func (p *fleroProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return ephemeralResources
}

func (p *fleroProvider) ListResources(context.Context) []func() list.ListResource {
	return listResources
}

func (p *fleroProvider) Actions(context.Context) []func() action.Action {
	return actions
}

func (p *fleroProvider) Functions(context.Context) []func() function.Function {
	return functions
}
