package server

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/flero/terraform-provider-flero/internal/store"
)

// authCache remembers active users by token hash, with their token's id and expiry.
// A revocation invalidates every entry (a new generation): an answer read before the
// revocation committed carries the old generation and is never trusted after it.
type authCache struct {
	m   sync.Map // hash → authEntry
	gen atomic.Uint64
}

type authEntry struct {
	user    store.User
	tokenID string
	expires time.Time     // zero: never
	key     *store.APIKey // a Flero API key (rule 14); nil: a user token
	gen     uint64
}

// generation is the cache's generation, read before a request looks a token up.
func (a *authCache) generation() uint64 { return a.gen.Load() }

func (a *authCache) get(hash string) (authEntry, bool) {
	v, ok := a.m.Load(hash)
	if !ok {
		return authEntry{}, false
	}
	e := v.(authEntry)
	return e, e.gen == a.gen.Load()
}

// put remembers e, looked up in generation e.gen; an entry of an older generation is
// dropped.
func (a *authCache) put(hash string, e authEntry) {
	if e.gen == a.gen.Load() {
		a.m.Store(hash, e)
	}
}

// invalidate forgets every entry (after a token was revoked).
func (a *authCache) invalidate() {
	a.gen.Add(1)
	a.m.Clear()
}

// lastUse remembers when each token was last used, until a write transaction stores it
// (store.Tx.TouchTokens): a read-only request does not write.
type lastUse struct {
	mu sync.Mutex
	m  map[string]time.Time
}

func (l *lastUse) record(tokenID string, at time.Time) {
	l.mu.Lock()
	if l.m == nil {
		l.m = map[string]time.Time{}
	}
	l.m[tokenID] = at
	l.mu.Unlock()
}

// drain returns the pending uses and forgets them.
func (l *lastUse) drain() map[string]time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := l.m
	l.m = nil
	return m
}

// restore puts back uses whose transaction failed (a newer use wins).
func (l *lastUse) restore(m map[string]time.Time) {
	for id, at := range m {
		l.mu.Lock()
		if l.m == nil {
			l.m = map[string]time.Time{}
		}
		if cur, ok := l.m[id]; !ok || cur.Before(at) {
			l.m[id] = at
		}
		l.mu.Unlock()
	}
}

// peek is a pending use of a token, if any.
func (l *lastUse) peek(tokenID string) (time.Time, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	at, ok := l.m[tokenID]
	return at, ok
}
