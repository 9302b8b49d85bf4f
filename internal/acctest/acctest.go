// Package acctest is the acceptance tests' kit: a private Flero server per test (its
// own database), the in-process provider factories that point at it, out-of-band
// access to the API (to check destroys, make objects disappear, mint users and
// tokens), and the PreCheck.
//
// Endpoint and token never appear in a test's configuration: the harness logs every
// configuration at TRACE, and Terraform quotes configuration lines in its errors. The
// per-test factories (Env.ProviderFactories, Env.ProviderFactoriesWithToken) give them
// to the provider in-process (provider.WithDefaultConnection); the configuration's
// provider block (Env.ProviderConfig) holds neither.
//
// Acceptance tests live in package provider_test (this package imports the provider)
// and run only with TF_ACC=1 and TF_ACC_TERRAFORM_PATH set to an absolute terraform
// path: nothing is downloaded.
package acctest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/provider"
	"github.com/flero/terraform-provider-flero/internal/serve"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// ProviderName is the provider's local name in test configurations.
const ProviderName = "flero"

// Factories are provider factories for TestCase.ProtoV6ProviderFactories (or a
// TestStep's).
type Factories = map[string]func() (tfprotov6.ProviderServer, error)

// ProtoV6ProviderFactories serve the provider in-process without any default: the
// configuration (or the environment) must give endpoint and token. Only for the tests
// of the provider block itself (invalid or unreachable endpoints); every other test
// uses its Env's factories.
var ProtoV6ProviderFactories = Factories{
	ProviderName: func() (tfprotov6.ProviderServer, error) { return serve.NewServer(provider.New("test"))(), nil },
}

// FactoriesFor serve the provider in-process with endpoint and token as its defaults
// (provider.WithDefaultConnection): a provider block that leaves them out acts with
// them. Either may be empty (then the environment variable is the fallback, as for the
// released provider).
func FactoriesFor(endpoint, token string, opts ...provider.Option) Factories {
	server := serve.NewServer(provider.New("test", append([]provider.Option{provider.WithDefaultConnection(endpoint, token)}, opts...)...))
	return Factories{
		ProviderName: func() (tfprotov6.ProviderServer, error) { return server(), nil },
	}
}

// PreCheck stops a test that cannot run: acceptance tests need TF_ACC and an
// absolute TF_ACC_TERRAFORM_PATH (the Makefile sets both), so that no Terraform is
// ever downloaded.
func PreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests need TF_ACC=1")
	}
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" || !filepath.IsAbs(tf) {
		t.Fatalf("TF_ACC_TERRAFORM_PATH must be the absolute path of a terraform binary (got %q); run the tests through make testacc", tf)
	}
	if os.Getenv("TF_ACC_TERRAFORM_VERSION") != "" {
		t.Fatal("unset TF_ACC_TERRAFORM_VERSION: it makes the test harness download Terraform")
	}
}

// Env is one test's platform: a private server and database, and an API client for
// the platform admin (the bootstrap token), for out-of-band reads and changes.
type Env struct {
	Server *testserver.Server
	Admin  *client.Client
	t      *testing.T
}

// NewEnv runs PreCheck, then starts a server for this test (stopped at the end of the
// test).
func NewEnv(t *testing.T, opts ...testserver.Option) *Env {
	t.Helper()
	PreCheck(t)
	srv := testserver.Start(t, opts...)
	return &Env{Server: srv, Admin: newClient(t, srv.URL, srv.AdminToken), t: t}
}

func newClient(t *testing.T, endpoint, token string) *client.Client {
	t.Helper()
	c, err := client.New(client.Config{Endpoint: endpoint, Token: token, UserAgent: "flero-acctest", RetryMax: 2,
		RetryWaitMin: 10 * time.Millisecond, RetryWaitMax: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	return c
}

// Client is an API client acting with token.
func (e *Env) Client(token string) *client.Client { return newClient(e.t, e.Server.URL, token) }

// ProviderFactories serve the provider in-process acting on this test's server as the
// platform admin (the bootstrap token). Tests run in parallel in one process, so
// endpoint and token cannot come from the environment; they are not written in the
// configuration either (see the package comment).
func (e *Env) ProviderFactories() Factories {
	return FactoriesFor(e.Server.URL, e.Server.AdminToken)
}

// ProviderFactoriesWithPageSize serve the provider as ProviderFactories do, listing
// n objects per request (provider.WithPageSize), so that a list crosses pages.
func (e *Env) ProviderFactoriesWithPageSize(n int) Factories {
	return FactoriesFor(e.Server.URL, e.Server.AdminToken, provider.WithPageSize(n))
}

// ProviderFactoriesWithToken serve the provider in-process acting on this test's
// server with token. To change tokens between the steps of one test, set them on
// each TestStep (TestStep.ProtoV6ProviderFactories) instead of the TestCase.
func (e *Env) ProviderFactoriesWithToken(token string) Factories {
	return FactoriesFor(e.Server.URL, token)
}

// ProviderConfig is the provider block of the tests: neither endpoint nor token (the
// factories give them), only fewer retries than the default.
func (e *Env) ProviderConfig() string { return providerBlock }

const providerBlock = `
provider "flero" {
  max_retries = 2
}
`

// Config prefixes body with the provider block.
func (e *Env) Config(body string) string { return e.ProviderConfig() + body }

// CreateUser mints an active user with an API token.
func (e *Env) CreateUser(email string) (userID, token string) {
	return e.Server.CreateUser(e.t, email)
}

// InviteUser creates a user without a token (status invited), as the platform admin.
func (e *Env) InviteUser(email string) string {
	u, err := e.Admin.Admin.CreateUser(context.Background(), api.CreateUserRequest{Email: email})
	if err != nil {
		e.t.Fatalf("create user %s: %v", email, err)
	}
	return u.ID
}

// Organization creates an organization out of band, as the platform admin (who
// becomes its admin).
func (e *Env) Organization(req api.CreateOrganizationRequest) *api.Organization {
	e.t.Helper()
	org, err := e.Admin.Organizations.Create(context.Background(), req)
	if err != nil {
		e.t.Fatalf("create organization %q: %v", req.Name, err)
	}
	return org
}

// ---------------------------------------------------------------------------
// Out-of-band access to the objects of a state.

// Handler reads and deletes one resource type's object through the API, given the
// attributes of its state.
type Handler struct {
	Get    func(ctx context.Context, c *client.Client, attrs map[string]string) error
	Delete func(ctx context.Context, c *client.Client, attrs map[string]string) error
}

var (
	handlersMu sync.RWMutex
	handlers   = map[string]Handler{}
)

// Register declares how to read and delete a resource type's objects.
func Register(resourceType string, h Handler) {
	handlersMu.Lock()
	defer handlersMu.Unlock()
	handlers[resourceType] = h
}

func handler(resourceType string) (Handler, bool) {
	handlersMu.RLock()
	defer handlersMu.RUnlock()
	h, ok := handlers[resourceType]
	return h, ok
}

// CheckDestroy asks the API, as the platform admin, for every object of a registered
// type left in the state: each must answer 404.
func (e *Env) CheckDestroy(s *terraform.State) error {
	return CheckDestroyWith(e.Admin)(s)
}

// CheckDestroyWith is CheckDestroy acting with c.
func CheckDestroyWith(c *client.Client) func(*terraform.State) error {
	return func(s *terraform.State) error {
		checked := 0
		for addr, rs := range s.RootModule().Resources {
			h, ok := handler(rs.Type)
			if !ok || rs.Primary == nil {
				continue
			}
			checked++
			err := h.Get(context.Background(), c, rs.Primary.Attributes)
			switch {
			case err == nil:
				return fmt.Errorf("%s (%s) still exists after destroy", addr, rs.Primary.ID)
			case !client.IsNotFound(err):
				return fmt.Errorf("%s (%s): expected 404 after destroy, got %w", addr, rs.Primary.ID, err)
			}
		}
		if checked == 0 {
			return fmt.Errorf("CheckDestroy found no object of a known type in the state")
		}
		return nil
	}
}

// Disappears deletes the object of resource address addr out of band (as the
// platform admin), as if someone removed it outside Terraform.
func (e *Env) Disappears(addr string) func(*terraform.State) error {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok || rs.Primary == nil {
			return fmt.Errorf("%s not found in state", addr)
		}
		h, ok := handler(rs.Type)
		if !ok {
			return fmt.Errorf("no acctest handler registered for %s", rs.Type)
		}
		return h.Delete(context.Background(), e.Admin, rs.Primary.Attributes)
	}
}

// Exists checks through the API that the object of addr exists.
func (e *Env) Exists(addr string) func(*terraform.State) error {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok || rs.Primary == nil {
			return fmt.Errorf("%s not found in state", addr)
		}
		h, ok := handler(rs.Type)
		if !ok {
			return fmt.Errorf("no acctest handler registered for %s", rs.Type)
		}
		return h.Get(context.Background(), e.Admin, rs.Primary.Attributes)
	}
}

// Attr returns an attribute of a resource in the state.
func Attr(s *terraform.State, addr, attr string) (string, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok || rs.Primary == nil {
		return "", fmt.Errorf("%s not found in state", addr)
	}
	v, ok := rs.Primary.Attributes[attr]
	if !ok {
		return "", fmt.Errorf("%s has no attribute %s", addr, attr)
	}
	return v, nil
}

// RandomName is a name unique to this process, with a readable prefix.
func RandomName(prefix string) string {
	nameMu.Lock()
	defer nameMu.Unlock()
	nameSeq++
	return fmt.Sprintf("%s-%d-%d", strings.TrimSpace(prefix), time.Now().UnixNano()%1_000_000, nameSeq)
}

var (
	nameMu  sync.Mutex
	nameSeq int
)
