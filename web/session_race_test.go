package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"takehome/grader"
)

// gatedSessions holds the first call of one method between the store's
// answer and the caller, so that a test can run other requests in that gap.
type gatedSessions struct {
	SessionStore
	method  string        // "FindSession" or "DeleteSession"
	reached chan struct{} // closed when the held call is in the gap
	release chan struct{} // closed by the test to let it go on
	taken   atomic.Bool   // only the first call is held; the others pass
}

func gate(inner SessionStore, method string) *gatedSessions {
	return &gatedSessions{SessionStore: inner, method: method, reached: make(chan struct{}), release: make(chan struct{})}
}

func (g *gatedSessions) hold(method string) {
	if method != g.method {
		return
	}
	if g.taken.CompareAndSwap(false, true) {
		close(g.reached)
		<-g.release
	}
}

// FindSession reads the session, then waits: the user it returns is what
// the database said before whatever happens in the gap.
func (g *gatedSessions) FindSession(ctx context.Context, token string, now time.Time) (*grader.User, error) {
	u, err := g.SessionStore.FindSession(ctx, token, now)
	g.hold("FindSession")
	return u, err
}

// DeleteSession waits, then deletes.
func (g *gatedSessions) DeleteSession(ctx context.Context, token string) error {
	g.hold("DeleteSession")
	return g.SessionStore.DeleteSession(ctx, token)
}

// signedIn reports whether the session still opens the staff list.
func signedIn(e *staffEnv, session string) bool {
	return e.get("/staff/submissions", session).Code == http.StatusOK
}

// inBackground runs a request and returns a channel closed when it is done.
func inBackground(f func()) <-chan struct{} {
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	return done
}

// A lookup that read the session before a sign-out must not cache the user
// after it: the next request of that session is signed out.
func TestSignOutRacingALookupStaysSignedOut(t *testing.T) {
	e := newCommittedStaffEnv(t)
	g := gate(e.srv.deps.Sessions, "FindSession")
	e.srv.deps.Sessions = g
	e.srv.cache.clear()

	lookup := inBackground(func() { signedIn(e, e.interviewerSession) })
	<-g.reached // the lookup has the user, not yet cached
	if rec := e.post("/logout", e.interviewerSession, nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("logout = %d", rec.Code)
	}
	close(g.release)
	<-lookup
	if signedIn(e, e.interviewerSession) {
		t.Fatal("a signed-out session still opens the staff pages: the racing lookup cached it")
	}
}

// A lookup that read the user before an admin disabled them must not cache
// the enabled user after it.
func TestDisableRacingALookupLocksTheUserOut(t *testing.T) {
	e := newCommittedStaffEnv(t)
	e.srv.cache.clear()
	if !signedIn(e, e.adminSession) { // cached: the admin's request below needs no lookup
		t.Fatal("the admin is not signed in")
	}
	g := gate(e.srv.deps.Sessions, "FindSession")
	e.srv.deps.Sessions = g

	lookup := inBackground(func() { signedIn(e, e.interviewerSession) })
	<-g.reached
	rec := e.post(fmt.Sprintf("/admin/users/%d", e.interviewer.ID), e.adminSession, url.Values{"disabled": {"true"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("disable = %d: %s", rec.Code, rec.Body)
	}
	close(g.release)
	<-lookup
	if signedIn(e, e.interviewerSession) {
		t.Fatal("a disabled user still opens the staff pages: the racing lookup cached them")
	}
}

// Sign-out ends the session in the database before it forgets it in the
// cache: a lookup while the delete is under way may cache the user, and the
// forget that follows must still remove it.
func TestSignOutForgetsAfterTheDelete(t *testing.T) {
	e := newCommittedStaffEnv(t)
	g := gate(e.srv.deps.Sessions, "DeleteSession")
	e.srv.deps.Sessions = g

	logout := inBackground(func() { e.post("/logout", e.interviewerSession, nil) })
	<-g.reached // the logout is about to delete the session
	if !signedIn(e, e.interviewerSession) {
		t.Fatal("the session ended before its delete")
	}
	close(g.release)
	<-logout
	if signedIn(e, e.interviewerSession) {
		t.Fatal("a signed-out session is still served from the cache")
	}
}
