package web

import (
	"sync"
	"time"
)

// pageCacheTTL is how long the busiest staff pages (the submission list, the
// graded part of a report) are served without asking the database again.
// They are the same for every staff member; a status change made by a
// grading worker shows within this time, and any change made through this
// server (a review, a regrade, a new submission) at once.
const pageCacheTTL = time.Second

// maxCachedPages bounds a page cache; when full it starts over.
const maxCachedPages = 1000

// pageCache keeps what a page shows (or any value looked up per request) by
// a key, for ttl. When an entry expires, one
// request rebuilds it while the others keep getting the expired copy for the
// few milliseconds that takes, so an expiry under load costs one rebuild,
// not one per waiting request. Values are shared: readers must not modify
// them.
type pageCache[T any] struct {
	ttl     time.Duration
	max     int // entries; when full the cache starts over
	mu      sync.Mutex
	gen     uint64 // bumped by every change made through this server
	entries map[string]cachedPage[T]
	seq     uint64            // bumped by every forget
	forgot  map[string]uint64 // key -> seq of its last forget, since the last invalidate
}

// cacheStamp is when a value began to be built: a put of it is refused when
// the cache was invalidated, or its key forgotten, since.
type cacheStamp struct{ gen, seq uint64 }

// cachedPage is one entry of a pageCache.
type cachedPage[T any] struct {
	gen        uint64
	until      time.Time
	refreshing bool // a request is rebuilding this expired entry
	value      T
}

func newPageCache[T any](ttl time.Duration, max int) *pageCache[T] {
	return &pageCache[T]{ttl: ttl, max: max, entries: map[string]cachedPage[T]{}, forgot: map[string]uint64{}}
}

// get returns the page for key when it is fresh, or expired while another
// request rebuilds it. Otherwise it returns false and the caller builds the
// page and puts it, or abandons the rebuild on an error.
func (lc *pageCache[T]) get(key string, now time.Time) (T, bool) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	var zero T
	e, ok := lc.entries[key]
	switch {
	case !ok || e.gen != lc.gen:
		return zero, false
	case now.Before(e.until) || e.refreshing:
		return e.value, true
	}
	e.refreshing = true // this caller rebuilds it
	lc.entries[key] = e
	return zero, false
}

// forget drops one entry, e.g. a session that ended, and refuses the puts
// of values whose build began before.
func (lc *pageCache[T]) forget(key string) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	delete(lc.entries, key)
	if len(lc.forgot) >= lc.max {
		lc.invalidateLocked() // bounded memory: forgetting everything is as safe
		return
	}
	lc.seq++
	lc.forgot[key] = lc.seq
}

// abandon lets another request rebuild the page after a failed rebuild.
func (lc *pageCache[T]) abandon(key string) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if e, ok := lc.entries[key]; ok {
		e.refreshing = false
		lc.entries[key] = e
	}
}

// stamp is read before the value is built, so that a change during the
// build discards it.
func (lc *pageCache[T]) stamp() cacheStamp {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return cacheStamp{gen: lc.gen, seq: lc.seq}
}

// put stores a value whose build began at st.
func (lc *pageCache[T]) put(key string, st cacheStamp, v T, now time.Time) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if st.gen != lc.gen || lc.forgot[key] > st.seq {
		return // something changed while the value was built
	}
	if len(lc.entries) >= lc.max {
		lc.entries = map[string]cachedPage[T]{}
	}
	lc.entries[key] = cachedPage[T]{gen: st.gen, until: now.Add(lc.ttl), value: v}
}

// invalidate forgets every page, after a change made through this server.
func (lc *pageCache[T]) invalidate() {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	lc.invalidateLocked()
}

func (lc *pageCache[T]) invalidateLocked() {
	lc.gen++
	lc.entries = map[string]cachedPage[T]{}
	lc.forgot = map[string]uint64{}
}

// load returns the value for key from the cache, or builds and caches it.
func (lc *pageCache[T]) load(key string, now func() time.Time, build func() (T, error)) (T, error) {
	if v, ok := lc.get(key, now()); ok {
		return v, nil
	}
	st := lc.stamp()
	v, err := build()
	if err != nil {
		lc.abandon(key)
		return v, err
	}
	lc.put(key, st, v, now())
	return v, nil
}

// invalidatePages forgets the cached pages after a change made through this
// server.
func (s *Server) invalidatePages() {
	s.lists.invalidate()
	s.reports.invalidate()
}
