package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/ephemeralvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/framework"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/validators"
)

var (
	_ provider.ProviderWithEphemeralResources         = (*fleroProvider)(nil)
	_ ephemeral.EphemeralResourceWithConfigure        = (*apiKeyEphemeral)(nil)
	_ ephemeral.EphemeralResourceWithRenew            = (*apiKeyEphemeral)(nil)
	_ ephemeral.EphemeralResourceWithClose            = (*apiKeyEphemeral)(nil)
	_ ephemeral.EphemeralResourceWithConfigValidators = (*apiKeyEphemeral)(nil)
)

// NewAPIKeyEphemeralResource is the flero_api_key ephemeral resource.
func NewAPIKeyEphemeralResource() ephemeral.EphemeralResource { return &apiKeyEphemeral{} }

type apiKeyEphemeral struct {
	framework.EphemeralResourceWithConfigure
}

type apiKeyEphemeralModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	WorkspaceID    types.String `tfsdk:"workspace_id"`
	Name           types.String `tfsdk:"name"`
	TTL            types.String `tfsdk:"ttl"`
	ID             types.String `tfsdk:"id"`
	Value          types.String `tfsdk:"value"`
	ExpiresAt      types.String `tfsdk:"expires_at"`
}

// ephemeralKeyPrivate is what Open hands to Renew and Close (the ephemeral resource's
// private data): the key's id and lifetime, never its value.
type ephemeralKeyPrivate struct {
	ID  string        `json:"id"`
	TTL time.Duration `json:"ttl"`
}

const ephemeralKeyPrivateKey = "api_key"

func (e *apiKeyEphemeral) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_api_key"
}

func (e *apiKeyEphemeral) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "A short-lived Flero API key (rule 14) for one Terraform run (Terraform 1.10+, OpenTofu 1.11+): minted when the run opens it, " +
			"renewed if the run outlasts it, revoked when the run closes it. It is never written to the state or the plan. " +
			"An organization key acts as an organization admin of that organization only; a workspace key as a workspace admin of that workspace only. " +
			"Use its value as the token of a second `flero` provider configuration to confine part of a configuration to one workspace.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				Description: "The organization the key is created in. Exactly one of organization_id and workspace_id.",
				Optional:    true,
			},
			"workspace_id": schema.StringAttribute{
				Description: "The workspace the key is created in. Exactly one of organization_id and workspace_id.",
				Optional:    true,
			},
			"name": schema.StringAttribute{
				Description: "The key's name, as the platform lists it while the run holds it.",
				Required:    true,
				Validators:  []validator.String{validators.Name()},
			},
			"ttl": schema.StringAttribute{
				Description: fmt.Sprintf("How long the key lives, as a duration such as \"30m\" or \"2h\". Default %q. A run that outlasts it renews it (the expiry moves ttl ahead); Terraform closes it, which revokes it, when the run ends.", durationWords(rules.DefaultAPIKeyTTL)),
				Optional:    true,
				Validators:  []validator.String{validators.Duration()},
			},
			"id":         schema.StringAttribute{Description: "The key's id (key_…).", Computed: true},
			"value":      schema.StringAttribute{Description: "The key, to use as a token (a provider's `token`).", Computed: true, Sensitive: true},
			"expires_at": schema.StringAttribute{Description: "When the key expires unless renewed (RFC 3339).", Computed: true},
		},
	}
}

func durationWords(d time.Duration) string {
	if d%time.Hour == 0 {
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return d.String()
}

func (e *apiKeyEphemeral) ConfigValidators(context.Context) []ephemeral.ConfigValidator {
	return []ephemeral.ConfigValidator{
		ephemeralvalidator.ExactlyOneOf(path.MatchRoot("organization_id"), path.MatchRoot("workspace_id")),
	}
}

// Open mints the key for the run, with an expiry ttl ahead, and asks Terraform to
// renew it before it expires.
func (e *apiKeyEphemeral) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var cfg apiKeyEphemeralModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !e.Configured(&resp.Diagnostics) {
		return
	}
	ttl := rules.DefaultAPIKeyTTL
	if !cfg.TTL.IsNull() {
		ttl, _ = time.ParseDuration(cfg.TTL.ValueString()) // validated statically
	}
	minted := time.Now()
	expires := minted.Add(ttl).UTC()
	k, err := createAPIKey(ctx, e.Client(), cfg.OrganizationID, cfg.WorkspaceID, api.CreateAPIKeyRequest{Name: cfg.Name.ValueString(), ExpiresAt: &expires})
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "create", apiKeyName(cfg.Name.ValueString()), err)
		return
	}
	if k.ExpiresAt != nil {
		expires = *k.ExpiresAt
	}
	cfg.ID = types.StringValue(k.ID)
	cfg.Value = types.StringValue(k.Key)
	cfg.ExpiresAt = types.StringValue(expires.UTC().Format(time.RFC3339))
	resp.Diagnostics.Append(resp.Result.Set(ctx, cfg)...)
	resp.Diagnostics.Append(setEphemeralKeyPrivate(ctx, resp.Private, ephemeralKeyPrivate{ID: k.ID, TTL: ttl})...)
	resp.RenewAt = rules.APIKeyRenewAt(minted, expires)
}

// Renew moves the key's expiry ttl ahead: the run still uses it.
func (e *apiKeyEphemeral) Renew(ctx context.Context, req ephemeral.RenewRequest, resp *ephemeral.RenewResponse) {
	st, diags := ephemeralKeyFrom(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || st.ID == "" || !e.Configured(&resp.Diagnostics) {
		return
	}
	renewAt, err := renewAPIKey(ctx, e.Client(), st, time.Now())
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, "renew", "API key "+st.ID, err)
		return
	}
	resp.RenewAt = renewAt
}

// Close revokes the key: the run is over. A key already gone is fine.
func (e *apiKeyEphemeral) Close(ctx context.Context, req ephemeral.CloseRequest, resp *ephemeral.CloseResponse) {
	st, diags := ephemeralKeyFrom(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || st.ID == "" || !e.Configured(&resp.Diagnostics) {
		return
	}
	if err := e.Client().APIKeys.Revoke(ctx, st.ID); err != nil && !errors.Is(err, client.ErrNotFound) {
		framework.AddAPIError(&resp.Diagnostics, "revoke", "API key "+st.ID, err)
	}
}

// renewAPIKey moves a key's expiry ttl after now and returns when to renew it next.
func renewAPIKey(ctx context.Context, c *client.Client, st ephemeralKeyPrivate, now time.Time) (time.Time, error) {
	expires := now.Add(st.TTL).UTC()
	k, err := c.APIKeys.Update(ctx, st.ID, api.UpdateAPIKeyRequest{ExpiresAt: &expires})
	if err != nil {
		return time.Time{}, err
	}
	if k.ExpiresAt != nil {
		expires = *k.ExpiresAt
	}
	return rules.APIKeyRenewAt(now, expires), nil
}

// privateData is the ephemeral resource's private data (Open's, Renew's and Close's).
type privateData interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

func setEphemeralKeyPrivate(ctx context.Context, p privateData, st ephemeralKeyPrivate) diag.Diagnostics {
	b, err := json.Marshal(st)
	if err != nil {
		var d diag.Diagnostics
		d.AddError("Internal error", err.Error())
		return d
	}
	return p.SetKey(ctx, ephemeralKeyPrivateKey, b)
}

func ephemeralKeyFrom(ctx context.Context, p privateData) (ephemeralKeyPrivate, diag.Diagnostics) {
	var st ephemeralKeyPrivate
	if p == nil {
		return st, nil
	}
	b, diags := p.GetKey(ctx, ephemeralKeyPrivateKey)
	if diags.HasError() || len(b) == 0 {
		return st, diags
	}
	if err := json.Unmarshal(b, &st); err != nil {
		diags.AddError("Invalid private data", "The API key's private data could not be read: "+err.Error())
	}
	return st, diags
}

// createAPIKey creates a key in the workspace when one is given, else in the
// organization.
func createAPIKey(ctx context.Context, c *client.Client, orgID, wsID types.String, body api.CreateAPIKeyRequest) (*api.APIKey, error) {
	if !wsID.IsNull() && wsID.ValueString() != "" {
		return c.APIKeys.CreateInWorkspace(ctx, wsID.ValueString(), body)
	}
	return c.APIKeys.CreateInOrganization(ctx, orgID.ValueString(), body)
}
