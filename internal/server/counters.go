package server

import (
	"sync/atomic"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// Counters count requests per route ("METHOD pattern"), for tests that assert how
// many calls a client made.
type Counters struct {
	byRoute map[string]*atomic.Int64
	total   atomic.Int64
}

// NewCounters returns zeroed counters for every route.
func NewCounters() *Counters {
	c := &Counters{byRoute: map[string]*atomic.Int64{}}
	for _, r := range api.Routes {
		c.byRoute[r.Method+" "+r.Pattern] = new(atomic.Int64)
	}
	return c
}

func (c *Counters) inc(key string) {
	c.total.Add(1)
	c.byRoute[key].Add(1)
}

// Requests is how many requests matched a route.
func (c *Counters) Requests(method, pattern string) int64 {
	if n, ok := c.byRoute[method+" "+pattern]; ok {
		return n.Load()
	}
	return 0
}

// Total is how many requests were received (matched or not).
func (c *Counters) Total() int64 { return c.total.Load() }

// Reset zeroes every counter.
func (c *Counters) Reset() {
	for _, n := range c.byRoute {
		n.Store(0)
	}
	c.total.Store(0)
}
