package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Logger receives one entry per event of the client: each HTTP attempt (a retry
// says how long it waited), each wait for the rate limiter, and (at LevelTrace)
// redacted bodies. The provider routes it to tflog. It may be called from many
// goroutines at once.
//
// No entry ever holds the Authorization header, a token or credential data: paths
// carry no query string, bodies are redacted (see Redact) and errors are the
// client's own.
type Logger func(ctx context.Context, e LogEntry)

// LogLevel says how verbose an entry is.
type LogLevel int

const (
	// LevelDebug: one entry per HTTP attempt and per rate-limit wait.
	LevelDebug LogLevel = iota
	// LevelTrace: request and response bodies, redacted.
	LevelTrace
)

func (l LogLevel) String() string {
	if l == LevelTrace {
		return "trace"
	}
	return "debug"
}

// LogEntry is one logged event. Zero fields are absent.
type LogEntry struct {
	Level    LogLevel
	Message  string // "http request", "rate limit wait", "request body", "response body"
	Method   string
	Path     string // URL path, never the query string
	Status   int    // HTTP status, 0 when no answer arrived
	Attempt  int    // 1 for the first try
	Duration time.Duration
	Wait     time.Duration // time waited: for the rate limiter, or before a retry
	Err      error
	// RequestID is the server's X-Request-Id, to find the call in its logs.
	RequestID string
	// IdempotencyKey is the create's key; it is not a secret (it only replays the
	// caller's own create).
	IdempotencyKey string
	// Body is a redacted JSON body, at LevelTrace only.
	Body string
}

// Fields returns the entry as key/value pairs for structured loggers such as tflog.
func (e LogEntry) Fields() map[string]any {
	m := map[string]any{}
	if e.Method != "" {
		m["method"] = e.Method
	}
	if e.Path != "" {
		m["path"] = e.Path
	}
	if e.Status != 0 {
		m["status"] = e.Status
	}
	if e.Attempt != 0 {
		m["attempt"] = e.Attempt
	}
	if e.Duration != 0 {
		m["duration_ms"] = e.Duration.Milliseconds()
	}
	if e.Wait != 0 {
		m["wait_ms"] = e.Wait.Milliseconds()
	}
	if e.Err != nil {
		m["error"] = e.Err.Error()
	}
	if e.RequestID != "" {
		m["request_id"] = e.RequestID
	}
	if e.IdempotencyKey != "" {
		m["idempotency_key"] = e.IdempotencyKey
	}
	if e.Body != "" {
		m["body"] = e.Body
	}
	return m
}

// String renders the entry on one line, for tests and plain loggers.
func (e LogEntry) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "[%s] %s", e.Level, e.Message)
	for _, k := range []string{"method", "path", "status", "attempt", "duration_ms", "wait_ms", "error", "request_id", "idempotency_key", "body"} {
		if v, ok := e.Fields()[k]; ok {
			fmt.Fprintf(&b, " %s=%v", k, v)
		}
	}
	return b.String()
}

func (c *Client) log(ctx context.Context, e LogEntry) {
	if c.logger != nil {
		c.logger(ctx, e)
	}
}

// redactedKeys are JSON object keys whose values never reach a log, at any depth.
var redactedKeys = map[string]bool{
	"data":          true,
	"data_wo":       true,
	"token":         true,
	"secret":        true,
	"password":      true,
	"authorization": true,
	"api_key":       true,
	"key":           true, // a Flero API key's secret (rule 14)
	"private_key":   true,
}

const redacted = "[REDACTED]"

// maxLoggedBody bounds a logged body.
const maxLoggedBody = 4096

// Redact returns a JSON body fit for a log: the value of every key named data,
// token, secret, password, authorization, api_key, key or private_key (at any depth, any
// case) is replaced by "[REDACTED]". A body that is not JSON is not shown at all,
// only its size: the client cannot know what it holds.
func Redact(body []byte) string {
	if len(bytes.TrimSpace(body)) == 0 {
		return ""
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil || dec.More() {
		return fmt.Sprintf("[%d bytes, not JSON, not shown]", len(body))
	}
	out, err := json.Marshal(redactValue(v))
	if err != nil {
		return fmt.Sprintf("[%d bytes, not shown]", len(body))
	}
	if len(out) > maxLoggedBody {
		return string(out[:maxLoggedBody]) + "…"
	}
	return string(out)
}

func redactValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if redactedKeys[strings.ToLower(k)] {
				t[k] = redacted
				continue
			}
			t[k] = redactValue(val)
		}
		return t
	case []any:
		for i := range t {
			t[i] = redactValue(t[i])
		}
		return t
	}
	return v
}
