// Package store is the reference server's storage: one SQLite file (pure Go driver
// modernc.org/sqlite) in WAL mode with foreign keys on, a schema migrations table,
// one writer connection (every write transaction is BEGIN IMMEDIATE, so writes are
// serialised and a read-check-write inside one transaction is race free) and a pool
// of read-only connections. Credential data and stored replies are sealed with
// AES-GCM; API tokens are kept as SHA-256 hashes only.
//
// The store holds no platform rule: it reads and writes rows. The server decides.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"sync"
	"time"
)

// ErrNotFound is returned when a row does not exist.
var ErrNotFound = errors.New("not found")

// ErrConstraint wraps a uniqueness or foreign-key violation the caller did not
// check for first.
var ErrConstraint = errors.New("constraint violation")

// Options configure Open.
type Options struct {
	// EncryptionKey is 32 bytes as 64 hex characters or base64. Empty: the key is
	// read from (or generated once into) "<path>.key" beside the database.
	EncryptionKey string
	// Readers is the size of the read-only connection pool (default 2×GOMAXPROCS, min 4).
	Readers int
}

// Store is an open database.
type Store struct {
	path   string
	w, r   *sql.DB
	ckpt   *sql.DB // background checkpoints
	crypto *sealer

	stop, stopped chan struct{}
	wlock         chan struct{} // FIFO queue of writers

	mu    sync.Mutex
	stmts map[stmtKey]*sql.Stmt

	pg bool // PostgreSQL (postgres.go); SQLite otherwise
}

type stmtKey struct {
	write bool
	query string
}

// Open opens (creating if needed) the database at path and migrates it. A
// postgres:// or postgresql:// URL opens a PostgreSQL database instead (postgres.go).
func Open(path string, opts Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("store: empty database path")
	}
	if EngineOf(path) == Postgres {
		return openPostgres(path, opts)
	}
	// A new database is private to its owner (SQLite gives -wal and -shm the same mode).
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	}
	base := "file:" + (&url.URL{Path: path}).EscapedPath()
	common := "_busy_timeout=10000&_foreign_keys=1&_journal_mode=WAL&_synchronous=NORMAL"
	// The writer never checkpoints inside a commit (that would put an fsync in some
	// requests' latency); a background goroutine checkpoints on its own connection.
	w, err := sql.Open("sqlite", base+"?"+common+"&_txlock=immediate&_pragma=wal_autocheckpoint(0)")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)

	s := &Store{path: path, w: w, stmts: map[stmtKey]*sql.Stmt{}, wlock: make(chan struct{}, 1)}
	// Migrate through the writer before any reader opens (WAL is set on first use).
	if err := s.migrate(context.Background()); err != nil {
		w.Close()
		return nil, err
	}
	readers := opts.Readers
	if readers <= 0 {
		readers = max(4, 2*runtime.GOMAXPROCS(0))
	}
	r, err := sql.Open("sqlite", base+"?"+common+"&_query_only=1")
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	r.SetConnMaxIdleTime(0)
	r.SetConnMaxLifetime(0)
	s.r = r

	key, err := loadKey(path, opts.EncryptionKey)
	if err == nil {
		err = s.useKey(key)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	if s.ckpt, err = sql.Open("sqlite", base+"?"+common); err != nil {
		s.Close()
		return nil, err
	}
	s.ckpt.SetMaxOpenConns(1)
	s.stop, s.stopped = make(chan struct{}), make(chan struct{})
	go s.checkpointer(CheckpointInterval)
	return s, nil
}

// CheckpointInterval is how often the WAL is copied back into the database file.
var CheckpointInterval = 500 * time.Millisecond

// checkpointer runs passive checkpoints (they block neither readers nor the writer)
// until Close.
func (s *Store) checkpointer(every time.Duration) {
	defer close(s.stopped)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			_, _ = s.ckpt.Exec("PRAGMA wal_checkpoint(PASSIVE)") // best effort; the next tick retries
		}
	}
}

// Path is the database file (SQLite) or URL (PostgreSQL, as given: it may hold a
// password, so never log it; see Redacted).
func (s *Store) Path() string { return s.path }

// Close closes every connection (checkpointing the WAL when it is the last one).
func (s *Store) Close() error {
	if s.stop != nil {
		close(s.stop)
		<-s.stopped
		s.stop = nil
	}
	s.mu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = map[stmtKey]*sql.Stmt{}
	s.mu.Unlock()
	var errs []error
	if s.ckpt != nil {
		errs = append(errs, s.ckpt.Close())
	}
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	errs = append(errs, s.w.Close())
	return errors.Join(errs...)
}

// IntegrityCheck runs PRAGMA integrity_check and returns its verdict ("ok").
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	var out string
	q := "PRAGMA integrity_check"
	if s.pg {
		q = "SELECT 'ok'" // PostgreSQL checks its pages itself; this is a round trip
	}
	err := s.r.QueryRowContext(ctx, q).Scan(&out)
	return out, err
}

// Tx is one transaction. Its methods are the store's typed queries.
type Tx struct {
	s       *Store
	tx      *sql.Tx
	ctx     context.Context
	write   bool
	pending []string // queries to prepare on the pool after the transaction
}

// Write runs fn in a write transaction (BEGIN IMMEDIATE) and commits when fn
// returns nil.
func (s *Store) Write(ctx context.Context, fn func(*Tx) error) error {
	return s.run(ctx, true, fn)
}

// Read runs fn in a read-only transaction (a consistent snapshot).
func (s *Store) Read(ctx context.Context, fn func(*Tx) error) error {
	return s.run(ctx, false, fn)
}

func (s *Store) run(ctx context.Context, write bool, fn func(*Tx) error) error {
	db := s.r
	if write {
		db = s.w
		// Writers queue here in arrival order: a buffered channel hands over to its
		// blocked senders first come, first served, whereas database/sql wakes a random
		// waiter for a free connection (which makes the slowest writes very slow).
		select {
		case s.wlock <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		defer func() { <-s.wlock }()
	}
	if !s.pg {
		return s.attempt(ctx, db, write, fn)
	}
	// PostgreSQL: a transaction another one made fail (serialization failure, deadlock)
	// is run again from the start; fn is written to be re-run.
	for i := 0; ; i++ {
		err := s.attempt(ctx, db, write, fn)
		if err == nil || !retryable(err) || i == 9 || ctx.Err() != nil {
			return err
		}
		time.Sleep(time.Duration(i+1) * time.Millisecond)
	}
}

func (s *Store) attempt(ctx context.Context, db *sql.DB, write bool, fn func(*Tx) error) error {
	var opts *sql.TxOptions
	if s.pg && !write {
		// A consistent snapshot, as a SQLite read transaction has.
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	sqlTx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	tx := &Tx{s: s, tx: sqlTx, ctx: ctx, write: write}
	defer func() {
		if len(tx.pending) > 0 {
			s.prepare(write, tx.pending)
		}
	}()
	if write && s.pg {
		if err := tx.lockWriters(); err != nil {
			_ = sqlTx.Rollback()
			return err
		}
	}
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// stmt returns a statement bound to this transaction. A statement seen for the first
// time is prepared on the transaction's own connection (preparing on the pool could
// wait for the very connection the transaction holds) and prepared on the pool once the
// transaction is over; after that tx.StmtContext reuses it per connection.
func (t *Tx) stmt(query string) (*sql.Stmt, error) {
	k := stmtKey{t.write, query}
	t.s.mu.Lock()
	st, ok := t.s.stmts[k]
	t.s.mu.Unlock()
	if ok {
		return t.tx.StmtContext(t.ctx, st), nil
	}
	st, err := t.tx.PrepareContext(t.ctx, t.s.sql(query))
	if err != nil {
		return nil, fmt.Errorf("store: prepare: %w", err)
	}
	t.pending = append(t.pending, query)
	return st, nil
}

// prepare caches the statements a finished transaction saw for the first time.
func (s *Store) prepare(write bool, queries []string) {
	db := s.r
	if write {
		db = s.w
	}
	for _, q := range queries {
		k := stmtKey{write, q}
		s.mu.Lock()
		_, ok := s.stmts[k]
		s.mu.Unlock()
		if ok {
			continue
		}
		st, err := db.Prepare(s.sql(q))
		if err != nil {
			continue // the query failed in its transaction too; nothing to cache
		}
		s.mu.Lock()
		if _, ok := s.stmts[k]; ok {
			st.Close()
		} else {
			s.stmts[k] = st
		}
		s.mu.Unlock()
	}
}

func (t *Tx) exec(query string, args ...any) (sql.Result, error) {
	st, err := t.stmt(query)
	if err != nil {
		return nil, err
	}
	if args, err = t.args(args); err != nil {
		return nil, err
	}
	res, err := st.ExecContext(t.ctx, args...)
	return res, mapErr(err)
}

func (t *Tx) query(query string, args ...any) (*sql.Rows, error) {
	st, err := t.stmt(query)
	if err != nil {
		return nil, err
	}
	if args, err = t.args(args); err != nil {
		return nil, err
	}
	return st.QueryContext(t.ctx, args...)
}

// row runs a single-row query and scans it; sql.ErrNoRows becomes ErrNotFound.
func (t *Tx) row(query string, args []any, dest ...any) error {
	st, err := t.stmt(query)
	if err != nil {
		return err
	}
	if args, err = t.args(args); err != nil {
		return err
	}
	err = st.QueryRowContext(t.ctx, args...).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

func (t *Tx) exists(query string, args ...any) (bool, error) {
	var n int
	err := t.row(query, args, &n)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return n != 0, err
}

// NewID returns prefix + "_" + 24 random hex characters.
func NewID(prefix string) string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return prefix + "_" + hex.EncodeToString(b[:])
}

func now() int64 { return time.Now().UnixNano() }

func toTime(n int64) time.Time { return time.Unix(0, n).UTC() }
