// Package client is the Go client of the Flero platform API (package api is the
// wire contract). It is what the Terraform provider uses, and it is safe for
// concurrent use by many goroutines.
//
//	c, err := client.New(client.Config{Endpoint: "https://api.flero.example", Token: token})
//	ws, err := c.Workspaces.Create(ctx, orgID, api.CreateWorkspaceRequest{Name: "prod"})
//	_, err = c.Workspaces.Update(ctx, ws.ID, req, client.WriteOptions{IfMatch: ws.Version})
//	if errors.Is(err, client.ErrPreconditionFailed) { … }
//
// One service per resource (c.Organizations, c.Workspaces, …); every method takes a
// context; List methods return every page and All methods iterate lazily. Errors
// from the server are *APIError, matched with errors.Is against the Err*
// sentinels. Transport behaviour (retries, idempotency keys, If-Match, rate
// limiting, logging) is described in transport.go and ratelimit.go.
package client

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

// Defaults of Config.
const (
	DefaultUserAgent     = "terraform-provider-flero/dev"
	DefaultTimeout       = 30 * time.Second
	DefaultRetryMax      = 8
	DefaultRetryWaitMin  = 500 * time.Millisecond
	DefaultRetryWaitMax  = 5 * time.Second
	DefaultMaxRetryAfter = 30 * time.Second
	DefaultPageSize      = 100
	// MaxIdleConnsPerHost is how many idle connections to the API the default
	// HTTP client keeps.
	MaxIdleConnsPerHost = 32
)

// Config configures a Client. Only Endpoint is required.
type Config struct {
	// Endpoint is the API's base URL, e.g. "https://api.flero.example" (a trailing
	// "/v1" is accepted).
	Endpoint string
	// Token is the API token, sent as "Authorization: Bearer <token>". It is never
	// logged nor put in an error.
	Token string
	// UserAgent names the caller, e.g. "terraform-provider-flero/1.2.0".
	UserAgent string

	// Timeout bounds one attempt (not the whole call with its retries; the
	// context bounds that). Default 30s; negative means none.
	Timeout time.Duration
	// RetryMax is the number of retries after the first attempt. Default 8; a
	// negative value disables retries.
	RetryMax int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff. Defaults 500ms
	// and 5s.
	RetryWaitMin, RetryWaitMax time.Duration
	// MaxRetryAfter caps how long a server's Retry-After may make the client wait.
	// Default 30s.
	MaxRetryAfter time.Duration

	// Logger receives one entry per attempt (see Logger). nil logs nothing.
	Logger Logger
	// HTTPClient is the underlying client; nil uses a pooled one. It is copied,
	// never modified; its Transport is wrapped.
	HTTPClient *http.Client

	// PageSize is the ?limit= of list requests (1–500). Default 100.
	PageSize int
}

// Client talks to one Flero platform endpoint with one token.
type Client struct {
	Users                   *UsersService
	Admin                   *AdminService
	Tokens                  *TokensService
	Organizations           *OrganizationsService
	OrganizationMemberships *OrganizationMembershipsService
	Workspaces              *WorkspacesService
	Teams                   *TeamsService
	TeamMemberships         *TeamMembershipsService
	WorkspaceMemberships    *WorkspaceMembershipsService
	Credentials             *CredentialsService
	Audit                   *AuditService
	APIKeys                 *APIKeysService

	cfg     Config
	base    *url.URL
	http    *retryablehttp.Client
	limiter *rateLimiter
	logger  Logger
	writes  atomic.Int64
	hooks   hooks
}

// Writes is how many requests that may change the platform (every method but GET
// and HEAD) this client has started. A reader that keeps answers (the provider's
// per-run listings) compares it before and after to know that nothing it holds may
// have been changed through this client since.
func (c *Client) Writes() int64 { return c.writes.Load() }

// New validates cfg, fills in defaults and returns a Client.
func New(cfg Config) (*Client, error) {
	if strings.TrimSpace(cfg.Endpoint) == "" {
		return nil, errors.New("flero: the endpoint is empty")
	}
	base, err := url.Parse(strings.TrimSpace(cfg.Endpoint))
	if err != nil {
		return nil, fmt.Errorf("flero: the endpoint is not a URL: %w", err)
	}
	if base.Scheme != "http" && base.Scheme != "https" {
		return nil, fmt.Errorf("flero: the endpoint %q must start with https:// (or http://)", cfg.Endpoint)
	}
	if base.Host == "" {
		return nil, fmt.Errorf("flero: the endpoint %q has no host", cfg.Endpoint)
	}
	if base.User != nil {
		return nil, errors.New("flero: the endpoint must not carry credentials; use the token")
	}
	base.Path = strings.TrimSuffix(strings.TrimSuffix(base.Path, "/"), "/v1")
	base.RawQuery, base.Fragment, base.RawPath = "", "", ""
	if strings.ContainsAny(cfg.Token, "\r\n") {
		return nil, errors.New("flero: the token contains a line break")
	}

	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Timeout < 0 {
		cfg.Timeout = 0
	}
	if cfg.RetryMax == 0 {
		cfg.RetryMax = DefaultRetryMax
	}
	if cfg.RetryMax < 0 {
		cfg.RetryMax = 0
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = DefaultRetryWaitMin
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = DefaultRetryWaitMax
	}
	if cfg.RetryWaitMax < cfg.RetryWaitMin {
		cfg.RetryWaitMax = cfg.RetryWaitMin
	}
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = DefaultPageSize
	}
	if cfg.PageSize > 500 {
		cfg.PageSize = 500
	}

	c := &Client{cfg: cfg, base: base, logger: cfg.Logger, limiter: newRateLimiter(cfg.MaxRetryAfter)}

	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	} else {
		t := cleanhttp.DefaultPooledTransport()
		// Terraform runs up to -parallelism (default 10) operations at once: keep
		// that many connections to the API open between bursts instead of closing
		// all but GOMAXPROCS+1 and dialing (and TLS-handshaking) them again.
		t.MaxIdleConnsPerHost = MaxIdleConnsPerHost
		hc = http.Client{Transport: t}
	}
	next := hc.Transport
	if next == nil {
		next = cleanhttp.DefaultPooledTransport()
	}
	hc.Transport = &transport{c: c, next: next, timeout: cfg.Timeout}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.http = c.newRetryClient(&hc)

	c.Users = &UsersService{c}
	c.Admin = &AdminService{c}
	c.Tokens = &TokensService{c}
	c.Organizations = &OrganizationsService{c}
	c.OrganizationMemberships = &OrganizationMembershipsService{c}
	c.Workspaces = &WorkspacesService{c}
	c.Teams = &TeamsService{c}
	c.TeamMemberships = &TeamMembershipsService{c}
	c.WorkspaceMemberships = &WorkspaceMembershipsService{c}
	c.Credentials = &CredentialsService{c}
	c.Audit = &AuditService{c}
	c.APIKeys = &APIKeysService{c}
	return c, nil
}

// WriteOptions are the options of updates and deletes.
type WriteOptions struct {
	// IfMatch is the object's version as last read; when > 0 the write is sent
	// with If-Match: "<version>" and fails with ErrPreconditionFailed if the
	// object changed since. 0 writes unconditionally.
	IfMatch int64
}
