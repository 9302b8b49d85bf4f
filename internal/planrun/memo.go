package planrun

import (
	"context"
	"errors"
	"sync"

	"github.com/flero/terraform-provider-flero/internal/client"
)

// memo is a concurrency-safe, single-flight map from a key to one API answer: the
// first caller fetches, callers arriving meanwhile wait for its answer, later callers
// read it. Successful answers and not-found are kept for the run; any other error is
// handed to the callers waiting for it and then forgotten, so the next caller retries.
type memo[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]*call[V]
}

type call[V any] struct {
	done chan struct{}
	v    V
	err  error
}

func (m *memo[K, V]) get(ctx context.Context, k K, fetch func(context.Context) (V, error)) (V, error) {
	m.mu.Lock()
	if m.m == nil {
		m.m = map[K]*call[V]{}
	}
	if c, ok := m.m[k]; ok {
		m.mu.Unlock()
		select {
		case <-c.done:
			return c.v, c.err
		case <-ctx.Done():
			var zero V
			return zero, ctx.Err()
		}
	}
	c := &call[V]{done: make(chan struct{})}
	m.m[k] = c
	m.mu.Unlock()

	c.v, c.err = fetch(ctx)
	if c.err != nil && !errors.Is(c.err, client.ErrNotFound) {
		m.mu.Lock()
		if m.m[k] == c {
			delete(m.m, k)
		}
		m.mu.Unlock()
	}
	close(c.done)
	return c.v, c.err
}

func (m *memo[K, V]) set(k K, v V) {
	c := &call[V]{done: make(chan struct{}), v: v}
	close(c.done)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[K]*call[V]{}
	}
	m.m[k] = c
}

// peek returns a successful answer already fetched, without fetching.
func (m *memo[K, V]) peek(k K) (V, bool) {
	var zero V
	m.mu.Lock()
	c, ok := m.m[k]
	m.mu.Unlock()
	if !ok {
		return zero, false
	}
	select {
	case <-c.done:
		if c.err != nil {
			return zero, false
		}
		return c.v, true
	default:
		return zero, false
	}
}

// update replaces a successful answer already fetched with f of it, in one step
// (a write's change laid over it, instead of a new read). An answer still being
// fetched, or an error, is dropped: it may predate the write. f must not change its
// argument (callers may hold it); nothing kept: nothing done.
func (m *memo[K, V]) update(k K, f func(V) V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.m[k]
	if !ok {
		return
	}
	select {
	case <-c.done:
		if c.err == nil {
			n := &call[V]{done: make(chan struct{}), v: f(c.v)}
			close(n.done)
			m.m[k] = n
			return
		}
	default:
	}
	delete(m.m, k)
}

func (m *memo[K, V]) forget(k K) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, k)
}

func (m *memo[K, V]) forgetWhere(match func(K) bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k := range m.m {
		if match(k) {
			delete(m.m, k)
		}
	}
}

// forgetAll drops every answer.
func (m *memo[K, V]) forgetAll() {
	m.mu.Lock()
	defer m.mu.Unlock()
	clear(m.m)
}

// empty reports whether the memo holds no answer and no fetch in flight.
func (m *memo[K, V]) empty() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.m) == 0
}
