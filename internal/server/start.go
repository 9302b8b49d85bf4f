package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"

	"github.com/flero/terraform-provider-flero/internal/store"
)

// Start: the one way a reference server process comes up (cmd/flero-server,
// internal/testserver, internal/bench): open the store, bootstrap the first platform
// admin, listen, serve.

// StartOptions configure Start.
type StartOptions struct {
	// DB names the database: the path of a SQLite file, or a postgres:// URL
	// (store.Open chooses the engine).
	DB string
	// Store are the store's options (the encryption key).
	Store store.Options
	// BootstrapToken becomes the token of the first platform admin on a new database,
	// or is added to the first platform admin on an existing one. Empty on a new
	// database: a token is generated (given to OnGeneratedToken). Empty on a database
	// with users: no bootstrap.
	BootstrapToken string
	// OnGeneratedToken, when set, is given the generated bootstrap token, once, before
	// the server listens.
	OnGeneratedToken func(token string)
	// Listener to serve on; nil: Start listens on Addr over TCP.
	Listener net.Listener
	Addr     string
	// HTTP are the http.Server's timeouts and connection cap (zero fields: the
	// defaults of DefaultHTTPLimits).
	HTTP HTTPLimits
	// Server are the API server's options; Store is set by Start. Its Logger (nil:
	// discard) also gets the lines of the start: a failed step, the bootstrap.
	Server Options
}

// Running is a started server: its store, its API handler and its HTTP server.
type Running struct {
	URL         string // http://HOST:PORT
	AdminUserID string // the bootstrapped platform admin; "" when no bootstrap ran
	Store       *store.Store
	Server      *Server
	HTTP        *http.Server

	done chan struct{}
	err  error
}

// Start opens the store at o.DB, bootstraps the first platform admin (see
// StartOptions.BootstrapToken), listens and serves in the background until Shutdown.
// A failure is logged (o.Server.Logger) and returned, and leaves nothing open.
func Start(o StartOptions) (*Running, error) {
	log := o.Server.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	st, err := store.Open(o.DB, o.Store)
	if err != nil {
		log.Error("open database", "db", store.Redacted(o.DB), "error", err.Error())
		return nil, err
	}
	ctx := context.Background()
	r := &Running{Store: st, done: make(chan struct{})}
	tok, generated := o.BootstrapToken, false
	if tok == "" {
		hasUsers, err := st.HasUsers(ctx)
		if err != nil {
			log.Error("read database", "error", err.Error())
			st.Close()
			return nil, err
		}
		if !hasUsers {
			tok, generated = store.NewToken(), true
		}
	}
	if tok != "" {
		if r.AdminUserID, err = st.Bootstrap(ctx, tok); err != nil {
			log.Error("bootstrap", "error", err.Error())
			st.Close()
			return nil, err
		}
		if generated && o.OnGeneratedToken != nil {
			o.OnGeneratedToken(tok)
		}
		log.Info("bootstrap admin ready", "user_id", r.AdminUserID)
	}
	opts := o.Server
	opts.Store = st
	r.Server = New(opts)
	ln := o.Listener
	if ln == nil {
		if ln, err = net.Listen("tcp", o.Addr); err != nil {
			log.Error("listen", "addr", o.Addr, "error", err.Error())
			st.Close()
			return nil, err
		}
	}
	r.URL = "http://" + ln.Addr().String()
	r.HTTP = NewHTTPServer(r.Server, o.HTTP, o.Server.Logger)
	ln = LimitListener(ln, o.HTTP.MaxConnections)
	go func() {
		defer close(r.done)
		if err := r.HTTP.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			r.err = err
		}
	}()
	return r, nil
}

// Done is closed when the server stops serving: after Shutdown, or on a failure
// (Err).
func (r *Running) Done() <-chan struct{} { return r.done }

// Err is why the server stopped serving, once Done is closed; nil after Shutdown.
func (r *Running) Err() error {
	<-r.done
	return r.err
}

// Shutdown stops the server gracefully (cut short when ctx ends: the connections
// left are closed), waits until it no longer serves and closes the store. The error
// is the graceful shutdown's.
func (r *Running) Shutdown(ctx context.Context) error {
	err := r.HTTP.Shutdown(ctx)
	if err != nil {
		r.HTTP.Close()
	}
	<-r.done
	r.Store.Close()
	return err
}
