package web

import (
	"html/template"
	"sync"
	"time"
)

// listCacheTTL is how long a rendered page of the submission list is served
// without asking the database again. The list is the busiest staff page and
// the same for every staff member; a status change made by a grading worker
// shows within this time, and any change made through this server (a
// review, a regrade, a new submission) at once.
const listCacheTTL = time.Second

// maxCachedLists bounds the cache; when full it starts over.
const maxCachedLists = 1000

// listCache keeps rendered list pages by their filter. When a page expires,
// one request rebuilds it while the others keep getting the expired copy for
// the few milliseconds that takes, so an expiry under load costs one query,
// not one per waiting request.
type listCache struct {
	mu      sync.Mutex
	gen     uint64 // bumped by every change made through this server
	entries map[string]cachedList
}

// cachedList is the rendered content of one page of the list.
type cachedList struct {
	gen        uint64
	until      time.Time
	refreshing bool // a request is rebuilding this expired page
	content    template.HTML
}

func newListCache() *listCache {
	return &listCache{entries: map[string]cachedList{}}
}

// get returns the page for key when it is fresh, or expired while another
// request rebuilds it. Otherwise it returns false and the caller builds the
// page and puts it, or abandons the rebuild on an error.
func (lc *listCache) get(key string, now time.Time) (cachedList, bool) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	e, ok := lc.entries[key]
	switch {
	case !ok || e.gen != lc.gen:
		return cachedList{}, false
	case now.Before(e.until) || e.refreshing:
		return e, true
	}
	e.refreshing = true // this caller rebuilds it
	lc.entries[key] = e
	return cachedList{}, false
}

// abandon lets another request rebuild the page after a failed rebuild.
func (lc *listCache) abandon(key string) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if e, ok := lc.entries[key]; ok {
		e.refreshing = false
		lc.entries[key] = e
	}
}

// generation is the cache's current generation, read before the page is
// built so that a change during the build discards it.
func (lc *listCache) generation() uint64 {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.gen
}

// put stores a page built at generation gen.
func (lc *listCache) put(key string, gen uint64, e cachedList, now time.Time) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if gen != lc.gen {
		return // something changed while the page was built
	}
	if len(lc.entries) >= maxCachedLists {
		lc.entries = map[string]cachedList{}
	}
	e.gen, e.until, e.refreshing = gen, now.Add(listCacheTTL), false
	lc.entries[key] = e
}

// invalidate forgets every page, after a change made through this server.
func (lc *listCache) invalidate() {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	lc.gen++
	lc.entries = map[string]cachedList{}
}
