package web

import (
	"crypto/sha256"
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
// so a busy page costs one query less per request. It is a pageCache: when
// an entry expires, one request looks the session up again while the others
// keep the cached user for the moment that takes.
type sessionCache struct {
	users *pageCache[grader.User]
}

func newSessionCache() *sessionCache {
	return &sessionCache{users: newPageCache[grader.User](sessionCacheTTL, maxCachedSessions)}
}

func sessionKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return string(sum[:])
}

// get returns the cached user of a session; false means the caller looks
// the session up and puts it, or drops it.
func (sc *sessionCache) get(token string, now time.Time) (*grader.User, bool) {
	u, ok := sc.users.get(sessionKey(token), now)
	if !ok {
		return nil, false
	}
	return &u, true
}

// stamp is read before a session is looked up; put refuses the user when
// the session was dropped or the cache cleared since, so that a sign-out or
// a disabled account racing a lookup cannot bring the user back.
func (sc *sessionCache) stamp() cacheStamp { return sc.users.stamp() }

func (sc *sessionCache) put(token string, st cacheStamp, u *grader.User, now time.Time) {
	sc.users.put(sessionKey(token), st, *u, now)
}

// drop forgets a session: after it ended in the database (see logout), or
// when a lookup found it gone.
func (sc *sessionCache) drop(token string) { sc.users.forget(sessionKey(token)) }

// clear forgets every session, after a change to users or passwords.
func (sc *sessionCache) clear() { sc.users.invalidate() }
