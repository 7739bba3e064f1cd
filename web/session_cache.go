package web

import (
	"crypto/sha256"
	"sync"
	"time"

	"takehome/grader"
)

// sessionCacheTTL is how long a looked-up session is trusted without asking
// the database again. Sign-out, password changes and user changes made
// through this server clear it at once; another server sees them within
// this time.
const sessionCacheTTL = 5 * time.Second

// maxCachedSessions bounds the cache; when full it starts over.
const maxCachedSessions = 10000

// sessionCache remembers recent session lookups, keyed by the token's hash,
// so a busy page costs one query less per request.
type sessionCache struct {
	mu sync.Mutex
	m  map[[32]byte]cachedSession
}

type cachedSession struct {
	user       grader.User
	until      time.Time
	refreshing bool // a request is looking the expired session up again
}

func newSessionCache() *sessionCache {
	return &sessionCache{m: map[[32]byte]cachedSession{}}
}

// get returns the cached user of a session. When the entry has expired,
// the first caller looks the session up again while the others keep the
// cached user for the moment that takes: a busy user's expiry costs one
// query, not one per request in flight.
func (sc *sessionCache) get(token string, now time.Time) (*grader.User, bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	key := sha256.Sum256([]byte(token))
	e, ok := sc.m[key]
	switch {
	case !ok:
		return nil, false
	case !now.Before(e.until) && !e.refreshing:
		e.refreshing = true // this caller looks it up
		sc.m[key] = e
		return nil, false
	}
	u := e.user
	return &u, true
}

func (sc *sessionCache) put(token string, u *grader.User, now time.Time) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if len(sc.m) >= maxCachedSessions {
		sc.m = map[[32]byte]cachedSession{}
	}
	sc.m[sha256.Sum256([]byte(token))] = cachedSession{user: *u, until: now.Add(sessionCacheTTL)}
}

func (sc *sessionCache) drop(token string) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	delete(sc.m, sha256.Sum256([]byte(token)))
}

// clear forgets every session, after a change to users or passwords.
func (sc *sessionCache) clear() {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.m = map[[32]byte]cachedSession{}
}
