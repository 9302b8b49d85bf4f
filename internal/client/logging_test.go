package client_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/client"
	"github.com/flero/terraform-provider-flero/internal/server"
	"github.com/flero/terraform-provider-flero/internal/testserver"
)

// captured collects every log entry, rendered every way a logger could.
type captured struct {
	mu      sync.Mutex
	entries []client.LogEntry
	text    strings.Builder
}

func (c *captured) log(_ context.Context, e client.LogEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = append(c.entries, e)
	fmt.Fprintf(&c.text, "%s\n%+v\n%#v\n%v\n", e.String(), e, e, e.Fields())
	if e.Err != nil {
		fmt.Fprintf(&c.text, "%+v\n", e.Err)
	}
}

func TestLogsNeverHoldSecrets(t *testing.T) {
	defer catch(t)
	ctx := context.Background()
	// Faults make retries, drops and error answers appear in the log too.
	srv := testserver.Start(t, testserver.WithFaults(server.Faults{ErrorRate: 0.2, DropAfterCommitRate: 0.2}))
	var logs captured
	admin := faultyClient(t, srv.URL, srv.AdminToken, func(cfg *client.Config) { cfg.Logger = logs.log })

	user := must(admin.Admin.CreateUser(ctx, api.CreateUserRequest{Email: "dev@example.com"}))
	tok := must(admin.Admin.CreateToken(ctx, user.ID, api.CreateTokenRequest{Description: "ci"}))
	dev := faultyClient(t, srv.URL, tok.Token, func(cfg *client.Config) { cfg.Logger = logs.log })

	org := must(admin.Organizations.Create(ctx, api.CreateOrganizationRequest{Name: "acme", Plan: "enterprise"}))
	ws := must(admin.Workspaces.Create(ctx, org.ID, api.CreateWorkspaceRequest{Name: "prod"}))
	must(admin.OrganizationMemberships.Create(ctx, org.ID, api.CreateOrganizationMembershipRequest{Email: "dev@example.com", Role: "member"}))
	must(admin.WorkspaceMemberships.Create(ctx, ws.ID, api.CreateWorkspaceMembershipRequest{UserID: user.ID, Role: "editor"}))

	secrets := []string{srv.AdminToken, tok.Token}
	for i := range 10 {
		s1, s2 := fmt.Sprintf("ghp_SECRETvalue%03d", i), fmt.Sprintf("pw-SECRET-%03d", i)
		secrets = append(secrets, s1, s2)
		c := admin
		scope := "workspace"
		if i%2 == 1 {
			c, scope = dev, "personal"
		}
		cred := must(c.Credentials.Create(ctx, ws.ID, api.CreateCredentialRequest{
			Name: fmt.Sprintf("cred-%d", i), Type: "generic", Scope: scope,
			Data: map[string]string{"token": s1, "password": s2},
		}))
		rotated := fmt.Sprintf("rotated-SECRET-%03d", i)
		secrets = append(secrets, rotated)
		must(c.Credentials.Update(ctx, cred.ID, api.UpdateCredentialRequest{Data: map[string]string{"token": rotated}}, client.WriteOptions{IfMatch: cred.Version}))
		noErr(c.Credentials.RecordUse(ctx, cred.ID, api.RecordUseRequest{Workflow: "deploy", WorkspaceID: ws.ID}))
	}
	// Refused requests log error answers; a bad token logs a 401.
	bad := "SECRETbadtoken-0123456789"
	secrets = append(secrets, bad)
	_, err := dev.Credentials.Create(ctx, ws.ID, api.CreateCredentialRequest{Name: "x", Type: "generic", Scope: "organization", Data: map[string]string{"token": "refused-SECRET"}})
	if err == nil {
		t.Fatal("an editor created an organization-scoped credential")
	}
	secrets = append(secrets, "refused-SECRET")
	_, err = faultyClient(t, srv.URL, bad, func(cfg *client.Config) { cfg.Logger = logs.log }).Me(ctx)
	if err == nil {
		t.Fatal("a bad token was accepted")
	}
	time.Sleep(10 * time.Millisecond)

	logs.mu.Lock()
	defer logs.mu.Unlock()
	text := logs.text.String()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("the log holds a secret (%d bytes long)", len(s)) // never print the secret itself
		}
	}
	for _, banned := range []string{"Bearer", "Authorization", "authorization"} {
		if strings.Contains(text, banned) {
			t.Errorf("the log mentions %q", banned)
		}
	}

	// The log is not empty: it shows every attempt, retries, bodies (redacted)
	// and errors, so the checks above looked at something.
	var attempts, retries, bodies, redacted, failures int
	for _, e := range logs.entries {
		switch e.Message {
		case "http request":
			attempts++
			if e.Attempt > 1 {
				retries++
			}
			if e.Err != nil || e.Status >= 500 {
				failures++
			}
			if e.Method == "" || !strings.HasPrefix(e.Path, "/v1/") || strings.Contains(e.Path, "?") {
				t.Errorf("entry %v lacks method or path, or has a query", e)
			}
		case "request body", "response body":
			bodies++
			if strings.Contains(e.Body, "[REDACTED]") {
				redacted++
			}
		}
	}
	t.Logf("%d entries: %d attempts (%d retries, %d failures), %d bodies (%d redacted), %d bytes: no secret found",
		len(logs.entries), attempts, retries, failures, bodies, redacted, len(text))
	if attempts < 40 || retries == 0 || failures == 0 || bodies == 0 || redacted < 20 {
		t.Errorf("the log is too thin to prove anything")
	}
}

func TestRedact(t *testing.T) {
	in := `{"name":"c","Data":{"token":"abc"},"items":[{"token":"def","id":"x"}],"nested":{"password":"ghi","secret":{"a":"jkl"}},"n":12345678901234567890}`
	out := client.Redact([]byte(in))
	for _, s := range []string{"abc", "def", "ghi", "jkl"} {
		if strings.Contains(out, s) {
			t.Errorf("Redact left %q in %s", s, out)
		}
	}
	for _, s := range []string{`"name":"c"`, `"id":"x"`, "12345678901234567890"} {
		if !strings.Contains(out, s) {
			t.Errorf("Redact lost %s: %s", s, out)
		}
	}
	if got := client.Redact([]byte("token=abc&x=1")); strings.Contains(got, "abc") {
		t.Errorf("a non-JSON body was shown: %s", got)
	}
	if got := client.Redact([]byte(`{"a":1} {"token":"abc"}`)); strings.Contains(got, "abc") {
		t.Errorf("a second JSON value was shown: %s", got)
	}
}
