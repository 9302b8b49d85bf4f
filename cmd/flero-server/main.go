// Command flero-server runs the Flero platform's reference API server on a SQLite file
// or a PostgreSQL database (--db postgres://…, shared by any number of instances).
//
//	FLERO_TOKEN=<bootstrap-admin-token> flero-server --addr 127.0.0.1:8080 --db flero.db
//	flero-server --addr 127.0.0.1:8080 --db flero.db --token-file /run/secrets/flero-token
//	flero-server token create --db flero.db --email someone@example.com
//
// Run `flero-server --help` and `flero-server token create --help` for every flag.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/server"
	"github.com/flero/terraform-provider-flero/internal/store"
)

const usage = `flero-server: the Flero platform reference API server (SQLite or PostgreSQL storage).

Usage:
  flero-server [flags]                      serve the API
  flero-server token create [flags]         print a new API token for a user

Serving:
  FLERO_TOKEN=<bootstrap-admin-token> flero-server --addr 127.0.0.1:8080 --db flero.db
  flero-server --addr 127.0.0.1:8080 --db flero.db --token-file /run/secrets/flero-token
  FLERO_DB=postgres://flero@db.internal/flero FLERO_ENCRYPTION_KEY=<key> flero-server --addr :8080

  --db (FLERO_DB) is a SQLite file, or a postgres:// or postgresql:// URL: several
  instances may serve one PostgreSQL database behind one address (give each the same
  FLERO_ENCRYPTION_KEY; without one, the key is generated once and kept in the
  database). Rate limits are counted per instance.

  On a new database the bootstrap token (FLERO_TOKEN, the file named by --token-file
  or FLERO_TOKEN_FILE, or --token) becomes the token of the first user, a platform
  admin (admin@flero.local). Without one a token is generated and printed once.
  On an existing database a token it does not know is added to the first platform
  admin, so restarting with the same settings always works. --token is visible to
  other users in ps: prefer the variable or the file; a --token shorter than 32
  characters is refused.
  The line "listening on http://HOST:PORT" is printed on standard output when the
  server accepts connections (and the URL is written to --ready-file if given).
  Request logs are JSON lines on standard error. SIGINT/SIGTERM shut down gracefully.

Tokens for other users (e.g. a viewer for tests), while the server runs or not:
  flero-server token create --db flero.db --email viewer@example.com
  creates the user (active) if needed and prints a new token on standard output.
  Give it an organization role with the API (POST /v1/organizations/{id}/memberships).

Flags (environment variable in brackets):
`

func main() {
	if len(os.Args) > 2 && os.Args[1] == "token" && os.Args[2] == "create" {
		os.Exit(tokenCreate(os.Args[3:], os.Stdout, os.Stderr))
	}
	if len(os.Args) > 1 && os.Args[1] == "token" {
		fmt.Fprintln(os.Stderr, "usage: flero-server token create --db flero.db --email someone@example.com")
		os.Exit(2)
	}
	os.Exit(serve(os.Args[1:], os.Stdout, os.Stderr))
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// envFloat reads a number from the environment; unset or malformed is 0 (off).
func envFloat(name string) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil {
		return v
	}
	return 0
}

// envFloatOr reads a number from the environment; unset or malformed is def.
func envFloatOr(name string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func serve(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("flero-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	addr := fs.String("addr", env("FLERO_ADDR", "127.0.0.1:8080"), "listen address [FLERO_ADDR]")
	dbPath := fs.String("db", env("FLERO_DB", "flero.db"), "SQLite database file, or a postgres:// URL [FLERO_DB]")
	token := fs.String("token", "", "bootstrap platform-admin token, at least 32 characters; visible to other users in ps, so prefer FLERO_TOKEN or --token-file [FLERO_TOKEN]")
	tokenFile := fs.String("token-file", env("FLERO_TOKEN_FILE", ""), "file holding the bootstrap platform-admin token (surrounding white space ignored) [FLERO_TOKEN_FILE]")
	key := fs.String("encryption-key", env("FLERO_ENCRYPTION_KEY", ""), "32-byte key (hex or base64) sealing credential data; default: generated once into <db>.key (PostgreSQL: into the database) [FLERO_ENCRYPTION_KEY]")
	readyFile := fs.String("ready-file", env("FLERO_READY_FILE", ""), "write the server URL to this file once listening [FLERO_READY_FILE]")
	rps := fs.Float64("rate-limit-rps", envFloat("FLERO_RATE_LIMIT_RPS"), "requests per second per user (all its tokens), counted by this instance alone; 0 turns rate limiting off [FLERO_RATE_LIMIT_RPS]")
	burst := fs.Int("rate-limit-burst", int(envFloat("FLERO_RATE_LIMIT_BURST")), "token bucket size (default: rps rounded up) [FLERO_RATE_LIMIT_BURST]")
	authRPS := fs.Float64("auth-failure-rps", envFloatOr("FLERO_AUTH_FAILURE_RPS", 2), "failed authentications (no, unknown, revoked or expired token) allowed per second per client address; 0: no limit [FLERO_AUTH_FAILURE_RPS]")
	authBurst := fs.Int("auth-failure-burst", int(envFloatOr("FLERO_AUTH_FAILURE_BURST", 30)), "failed authentications allowed at once per client address [FLERO_AUTH_FAILURE_BURST]")
	maxConns := fs.Int("max-connections", int(envFloatOr("FLERO_MAX_CONNECTIONS", float64(server.DefaultHTTPLimits.MaxConnections))), "open connections at once; more wait to be accepted [FLERO_MAX_CONNECTIONS]")
	bodyRead := fs.Duration("body-read-timeout", envDuration("FLERO_BODY_READ_TIMEOUT", server.DefaultBodyReadTimeout), "time allowed to send a request body; a slower client is cut off [FLERO_BODY_READ_TIMEOUT]")
	inviteTTL := fs.Duration("invitation-ttl", envDuration("FLERO_INVITATION_TTL", rules.DefaultInvitationTTL), "how long an organization invitation can be accepted before it must be resent [FLERO_INVITATION_TTL]")
	var f server.Faults
	fs.Float64Var(&f.ErrorRate, "fault-error-rate", envFloat("FLERO_FAULT_ERROR_RATE"), "probability of an injected 503 [FLERO_FAULT_ERROR_RATE]")
	fs.Float64Var(&f.RateLimitRate, "fault-rate-limit-rate", envFloat("FLERO_FAULT_RATE_LIMIT_RATE"), "probability of an injected 429 [FLERO_FAULT_RATE_LIMIT_RATE]")
	fs.DurationVar(&f.RetryAfter, "fault-retry-after", envDuration("FLERO_FAULT_RETRY_AFTER", time.Second), "Retry-After of injected 429s [FLERO_FAULT_RETRY_AFTER]")
	fs.DurationVar(&f.Latency, "fault-latency", envDuration("FLERO_FAULT_LATENCY", 0), "latency added to every request [FLERO_FAULT_LATENCY]")
	fs.Float64Var(&f.DropAfterCommitRate, "fault-drop-after-commit-rate", envFloat("FLERO_FAULT_DROP_AFTER_COMMIT_RATE"), "probability that a committed write closes the connection without answering [FLERO_FAULT_DROP_AFTER_COMMIT_RATE]")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	tokenOnCommandLine := false
	fs.Visit(func(f *flag.Flag) { tokenOnCommandLine = tokenOnCommandLine || f.Name == "token" })
	bootstrapToken, err := readBootstrapToken(*token, tokenOnCommandLine, *tokenFile)
	if err != nil {
		fmt.Fprintln(stderr, "flero-server:", err)
		return 2
	}
	if tokenOnCommandLine {
		log.Warn("the bootstrap token was given with --token: other users of this machine can read it in the process list; prefer FLERO_TOKEN or --token-file")
	}
	token = &bootstrapToken
	if os.Getenv("GOGC") == "" {
		// The live heap is a few MB: the default GOGC collects very often under load.
		debug.SetGCPercent(400)
	}

	limits := server.DefaultHTTPLimits
	limits.MaxConnections = *maxConns
	run, err := server.Start(server.StartOptions{DB: *dbPath, Store: store.Options{EncryptionKey: *key},
		BootstrapToken: *token, Addr: *addr, HTTP: limits,
		OnGeneratedToken: func(tok string) { fmt.Fprintf(stdout, "bootstrap admin token (shown once): %s\n", tok) },
		Server: server.Options{Logger: log, RateLimit: server.RateLimit{RPS: *rps, Burst: *burst},
			AuthFailureLimit: server.RateLimit{RPS: *authRPS, Burst: *authBurst}, BodyReadTimeout: *bodyRead, Faults: f,
			InvitationTTL: *inviteTTL}})
	if err != nil {
		return 1 // logged by Start
	}
	url := run.URL

	sigCtx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *readyFile != "" {
		if err := os.WriteFile(*readyFile, []byte(url+"\n"), 0o644); err != nil {
			log.Error("ready file", "error", err.Error())
		}
	}
	fmt.Fprintf(stdout, "listening on %s\n", url)
	log.Info("listening", "url", url, "db", store.Redacted(*dbPath), "rate_limit_rps", *rps)

	select {
	case <-run.Done():
		log.Error("serve", "error", run.Err().Error())
		run.Store.Close()
		return 1
	case <-sigCtx.Done():
	}
	log.Info("shutting down")
	shCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := run.Shutdown(shCtx); err != nil {
		log.Error("shutdown", "error", err.Error())
	}
	if *readyFile != "" {
		os.Remove(*readyFile)
	}
	return 0
}

// readBootstrapToken is the bootstrap token: from --token (fromFlag; at least
// rules.MinTokenLength characters), from the file --token-file / FLERO_TOKEN_FILE names,
// or from FLERO_TOKEN; "" when none is given (the server generates one on a new
// database). --token and a token file together are refused.
func readBootstrapToken(flagValue string, fromFlag bool, file string) (string, error) {
	switch {
	case fromFlag && file != "":
		return "", errors.New("give the bootstrap token once: --token or --token-file (FLERO_TOKEN_FILE), not both")
	case fromFlag:
		if v := rules.ValidateTokenSecret("--token", flagValue); v != nil {
			return "", errors.New(v.Message)
		}
		return flagValue, nil
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("read the bootstrap token file: %w", err)
		}
		tok := strings.TrimSpace(string(b))
		if tok == "" || strings.ContainsAny(tok, " \t\r\n") {
			return "", fmt.Errorf("the bootstrap token file %s must hold one token on one line", file)
		}
		return tok, nil
	}
	return os.Getenv("FLERO_TOKEN"), nil
}

func tokenCreate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("flero-server token create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: flero-server token create --db flero.db --email someone@example.com [--name NAME]\n\n"+
			"Creates the user (active) if needed and prints a new API token for it on standard output.\n"+
			"Works while the server runs. Flags:\n")
		fs.PrintDefaults()
	}
	dbPath := fs.String("db", env("FLERO_DB", "flero.db"), "SQLite database file, or a postgres:// URL [FLERO_DB]")
	email := fs.String("email", "", "the user's email (required)")
	name := fs.String("name", "", "the user's name, when the user is created")
	desc := fs.String("description", "flero-server token create", "the token's description")
	key := fs.String("encryption-key", env("FLERO_ENCRYPTION_KEY", ""), "the database's encryption key [FLERO_ENCRYPTION_KEY]")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if v := rules.ValidateEmail("email", *email); v != nil {
		fmt.Fprintln(stderr, v.Message)
		return 2
	}
	if *name != "" {
		if v := rules.ValidateName("name", *name); v != nil {
			fmt.Fprintln(stderr, v.Message)
			return 2
		}
	}
	st, err := store.Open(*dbPath, store.Options{EncryptionKey: *key})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer st.Close()
	_, tok, err := st.IssueToken(context.Background(), rules.NormalizeEmail(*email), *name, *desc)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprintln(stdout, tok)
	return 0
}
