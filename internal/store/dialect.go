package store

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Engine is the database engine a Store runs on.
type Engine string

const (
	// SQLite is the embedded default: one file, one machine.
	SQLite Engine = "sqlite"
	// Postgres is a PostgreSQL database, shared by any number of server instances.
	Postgres Engine = "postgres"
)

// EngineOf is the engine a database string names: a postgres:// or postgresql:// URL
// is PostgreSQL, anything else a SQLite file path.
func EngineOf(dsn string) Engine {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return Postgres
	}
	return SQLite
}

// Engine is the engine this store runs on.
func (s *Store) Engine() Engine {
	if s.pg {
		return Postgres
	}
	return SQLite
}

// Shared reports whether other server instances may use the same database at once
// (PostgreSQL): a cache of what the database holds may then be stale.
func (s *Store) Shared() bool { return s.pg }

// The store's queries are written once, in the SQL both engines share, with SQLite's
// `?` placeholders. For PostgreSQL each statement text is translated once (and the
// translation cached): `?` becomes $1, $2, … (outside string literals) and the few
// SQLite-only functions become their PostgreSQL equivalents.
var pgRewrites = strings.NewReplacer(
	// A JSON array of ids as a one-column table named value.
	"json_each(?)", "json_array_elements_text(CAST(? AS json))",
	// SQLite's two-argument max is a scalar; PostgreSQL's max is an aggregate only.
	"max(last_used_at, ?)", "greatest(last_used_at, ?)",
)

var pgQueries sync.Map // SQLite text → PostgreSQL text

// pgQuery translates a statement for PostgreSQL (cached).
func pgQuery(q string) string {
	if v, ok := pgQueries.Load(q); ok {
		return v.(string)
	}
	out := numberPlaceholders(pgRewrites.Replace(q))
	pgQueries.Store(q, out)
	return out
}

// numberPlaceholders rewrites each `?` outside single-quoted literals, double-quoted
// identifiers and comments into $n.
func numberPlaceholders(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(q) {
				if q[j] == c {
					if j+1 < len(q) && q[j+1] == c { // doubled quote inside
						j += 2
						continue
					}
					break
				}
				j++
			}
			b.WriteString(q[i:min(j+1, len(q))])
			i = j
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j - 1
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// errUnstorableText is a string argument PostgreSQL cannot hold (a NUL byte, invalid
// UTF-8; SQLite stores any bytes): no row can hold it, so a lookup by it finds nothing.
// It is refused before the statement runs, which would abort the transaction.
var errUnstorableText = fmt.Errorf("%w: text PostgreSQL cannot store (NUL or invalid UTF-8)", ErrNotFound)

// pgArgs converts arguments for PostgreSQL: a Go bool becomes 0 or 1 (SQLite's
// integer flags are BIGINT there too). The caller's slice is never written to.
func pgArgs(args []any) ([]any, error) {
	copied := false
	for i, a := range args {
		switch v := a.(type) {
		case string:
			if strings.IndexByte(v, 0) >= 0 || !utf8.ValidString(v) {
				return nil, errUnstorableText
			}
		case bool:
			if !copied {
				args, copied = append([]any(nil), args...), true
			}
			args[i] = int64(0)
			if v {
				args[i] = int64(1)
			}
		}
	}
	return args, nil
}

// sql translates a statement text for this store's engine.
func (s *Store) sql(q string) string {
	if s.pg {
		return pgQuery(q)
	}
	return q
}

// args converts arguments for this transaction's engine.
func (t *Tx) args(a []any) ([]any, error) {
	if t.s.pg {
		return pgArgs(a)
	}
	return a, nil
}

// PostgreSQL error codes the store acts on.
const (
	pgSerializationFailure = "40001"
	pgDeadlockDetected     = "40P01"
	pgIntegrityClass       = "23" // unique, foreign key, check, not null
)

func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT {
		return fmt.Errorf("%w: %w", ErrConstraint, err)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && strings.HasPrefix(pe.Code, pgIntegrityClass) {
		return fmt.Errorf("%w: %w", ErrConstraint, err)
	}
	return err
}

// retryable reports a PostgreSQL error that a new attempt of the whole transaction can
// succeed after (a serialization failure or a deadlock).
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == pgSerializationFailure || pe.Code == pgDeadlockDetected)
}
