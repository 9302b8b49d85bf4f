package provider

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/flero/terraform-provider-flero/internal/client"
)

func TestClientLogsReachTflogWithoutTheToken(t *testing.T) {
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	const token = "flero_tok_s3cr3t"
	log := tflogLogger(token)
	log(ctx, client.LogEntry{Level: client.LevelDebug, Message: "http request", Method: "GET", Path: "/v1/me", Status: 401,
		Err: errors.New("server said: bad token " + token)})
	log(ctx, client.LogEntry{Level: client.LevelTrace, Message: "response body " + token, Body: `{"token":"` + token + `"}`})

	out := buf.String()
	if !strings.Contains(out, "http request") || !strings.Contains(out, "/v1/me") || !strings.Contains(out, "flero-client") {
		t.Fatalf("the entry did not reach tflog: %s", out)
	}
	if strings.Contains(out, token) {
		t.Fatalf("the token reached the log: %s", out)
	}
}
