package store

import (
	"database/sql"
	"encoding/json"
	"errors"
)

// scanner is *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// listPage reads one page of rows ordered by seq after the cursor `after`. keep, when
// not nil, filters rows in Go (rules decide visibility; SQL does not re-implement
// them). next is the seq to continue after, 0 on the last page.
func listPage[T any](t *Tx, query string, args []any, after int64, limit int, scan func(scanner) (T, int64, error), keep func(T) bool) (items []T, next int64, err error) {

	items = make([]T, 0, min(limit, 64))
	seqs := make([]int64, 0, min(limit, 64))
	batch := limit + 1
	for {
		a := append(append([]any{}, args...), after, batch)
		rows, err := t.query(query+" AND seq > ? ORDER BY seq LIMIT ?", a...)
		if err != nil {
			return nil, 0, err
		}
		n := 0
		for rows.Next() {
			n++
			item, seq, err := scan(rows)
			if err != nil {
				rows.Close()
				return nil, 0, err
			}
			after = seq
			if keep != nil && !keep(item) {
				continue
			}
			items = append(items, item)
			seqs = append(seqs, seq)
			if len(items) > limit {
				break
			}
		}
		if err := rows.Close(); err != nil {
			return nil, 0, err
		}
		if err := rows.Err(); err != nil {
			return nil, 0, err
		}
		if len(items) > limit {
			return items[:limit], seqs[limit-1], nil
		}
		if n < batch {
			return items, 0, nil
		}
	}
}

func one[T any](t *Tx, query string, scan func(scanner) (T, int64, error), args ...any) (T, error) {
	st, err := t.stmt(query)
	if err != nil {
		var zero T
		return zero, err
	}
	if args, err = t.args(args); err != nil {
		var zero T
		return zero, err
	}
	v, _, err := scan(st.QueryRowContext(t.ctx, args...))
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	return v, err
}

func (t *Tx) updated(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

func (t *Tx) strings(query string, args ...any) ([]string, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// jsonList encodes ids as a JSON array for json_each (one statement whatever the count).
func jsonList(ids []string) string {
	if ids == nil {
		ids = []string{}
	}
	b, _ := json.Marshal(ids) // strings always encode
	return string(b)
}
