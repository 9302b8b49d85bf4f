package planrun

import (
	"context"
	"sync"
	"time"
)

// A refresh reads every object of the state, one ReadResource call each, ten at a
// time. Most of them sit in a few collections: the memberships of an organization,
// of a workspace, of a team, and the credentials, workspaces and teams of an
// organization. A listing answers the reads of one collection from one list request
// (one page holds up to 500 objects) instead of one GET per object:
//
//   - the first read of a collection is a GET of its object: a configuration that
//     manages one member of a large organization pays one small request, not a list;
//   - from the second read on, the collection is listed once (the callers arriving
//     meanwhile wait for it) and every read is answered from the listing;
//   - an object the listing does not hold is read on its own, so a deleted object
//     still reads as the API's own not-found and an object the list does not show
//     still reads as its GET says; a list that fails is not retried in the run: the
//     reads of that collection go one by one;
//   - a listing is used only while the client has written nothing since the list
//     began; after a write the collection is read one by one for the rest of the
//     run (Terraform reads in its plan walks and writes in its apply walks, each
//     with a provider instance of its own, so in practice this never happens); and
//     a listing older than listingMaxAge is listed again: a long run does not serve
//     reads from an old listing.
//
// The answers are those of the same API, so state, drift detection and the plan are
// the same as with one GET per object; only the number of requests changes.

// listingMaxAge bounds how old a listing may be when it answers a read.
const listingMaxAge = 30 * time.Second

// listing is the per-run listings of one kind of collection, by parent id. K is an
// object's key within its collection, V the API type.
type listing[K comparable, V any] struct {
	mu      sync.Mutex
	parents map[string]*collection[K, V]
}

type collection[K comparable, V any] struct {
	reads  int
	noList bool // the list failed: read one by one for the rest of the run
	cur    *listed[K, V]
}

// listed is one list request and its answer.
type listed[K comparable, V any] struct {
	done   chan struct{}
	at     time.Time
	writes int64 // the client's write count when the list began
	items  map[K]*V
	err    error
}

// listingEnv is what a listing needs of its cache.
type listingEnv struct {
	now    func() time.Time
	writes func() int64
}

// read answers the read of the object key of the collection parent: from the
// collection's listing when there is a usable one or it is the collection's second
// read or later, else (or when the listing lacks the object) from one.
func (l *listing[K, V]) read(ctx context.Context, env listingEnv, parent string, key K,
	one func(context.Context) (*V, error), all func(context.Context) ([]V, error), keyOf func(*V) K,
) (*V, error) {
	if all == nil || parent == "" {
		return one(ctx)
	}
	now, writes := env.now(), env.writes()

	l.mu.Lock()
	if l.parents == nil {
		l.parents = map[string]*collection[K, V]{}
	}
	c := l.parents[parent]
	if c == nil {
		c = &collection[K, V]{}
		l.parents[parent] = c
	}
	c.reads++
	if c.cur != nil && c.cur.stale(writes) {
		// Written since: reads and writes interleave in this run, so listing again
		// could cost a list per write; read one by one from now on.
		c.cur, c.noList = nil, true
	}
	if c.cur != nil && c.cur.old(now) {
		c.cur = nil
	}
	if c.noList || (c.cur == nil && c.reads < 2) {
		l.mu.Unlock()
		return one(ctx)
	}
	ls, owner := c.cur, false
	if ls == nil {
		ls = &listed[K, V]{done: make(chan struct{}), at: now, writes: writes}
		c.cur, owner = ls, true
	}
	l.mu.Unlock()

	if owner {
		items, err := all(ctx)
		if err != nil {
			ls.err = err
			l.mu.Lock()
			c.noList = true
			if c.cur == ls {
				c.cur = nil
			}
			l.mu.Unlock()
		} else {
			ls.items = make(map[K]*V, len(items))
			for i := range items {
				ls.items[keyOf(&items[i])] = &items[i]
			}
		}
		close(ls.done)
	} else {
		select {
		case <-ls.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}

	if ls.err == nil && ls.writes == env.writes() {
		if v, ok := ls.items[key]; ok {
			out := *v // the caller's own copy
			return &out, nil
		}
	}
	return one(ctx)
}

// stale reports whether the client wrote since the list began.
func (ls *listed[K, V]) stale(writes int64) bool { return ls.writes != writes }

// old reports whether a finished listing is older than listingMaxAge.
func (ls *listed[K, V]) old(now time.Time) bool {
	select {
	case <-ls.done:
		return now.Sub(ls.at) > listingMaxAge
	default:
		return false // still being listed
	}
}

// items returns every object of the collection parent from a listing that could
// answer a read now (finished, successful, not older than listingMaxAge, nothing
// written since it began), without listing; ok is false when there is none. The
// objects are copies.
func (l *listing[K, V]) items(env listingEnv, parent string) (out []V, ok bool) {
	now, writes := env.now(), env.writes()
	l.mu.Lock()
	var ls *listed[K, V]
	if c := l.parents[parent]; c != nil {
		ls = c.cur
	}
	l.mu.Unlock()
	if ls == nil {
		return nil, false
	}
	select {
	case <-ls.done:
	default:
		return nil, false // still being listed
	}
	if ls.err != nil || ls.stale(writes) || ls.old(now) {
		return nil, false
	}
	out = make([]V, 0, len(ls.items))
	for _, v := range ls.items {
		out = append(out, *v)
	}
	return out, true
}
