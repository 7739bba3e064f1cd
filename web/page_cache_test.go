package web

import (
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"takehome/grader"
)

// The submission list is served from a cache for up to pageCacheTTL: a
// change made elsewhere (another server, a worker) shows once it expires; a
// change made through this server shows at once.
func TestSubmissionListCache(t *testing.T) {
	e := newStaffEnv(t)
	var mu sync.Mutex
	now := pageNow
	e.srv.deps.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	advanced := func() int {
		d := spDoc(t, e.get("/staff/submissions?decision=advance", e.interviewerSession), http.StatusOK)
		return d.Find("table#submissions tbody tr").Length()
	}
	if n := advanced(); n != 0 {
		t.Fatalf("%d advanced before any review", n)
	}

	// Another server records a decision: this one keeps its page a while.
	review := &grader.Review{SubmissionID: e.subA.ID, UserID: e.admin.ID, Decision: grader.DecisionAdvance, Scores: map[string]int{}}
	if err := e.store.SaveReview(t.Context(), review, pageNow); err != nil {
		t.Fatal(err)
	}
	if n := advanced(); n != 0 {
		t.Fatalf("%d advanced within the cache's lifetime, want the cached 0", n)
	}
	advance(pageCacheTTL)
	if n := advanced(); n != 1 {
		t.Fatalf("%d advanced after the cache expired, want 1", n)
	}

	// A decision made through this server shows at once.
	rec := e.post("/staff/submissions/"+itoa(e.subB.ID)+"/review", e.interviewerSession, url.Values{"decision": {"advance"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("save review = %d: %s", rec.Code, rec.Body)
	}
	if n := advanced(); n != 2 {
		t.Fatalf("%d advanced right after a review through this server, want 2", n)
	}
}

// An expired page is rebuilt by one request; the others meanwhile get the
// expired copy instead of each asking the database.
func TestPageCacheRebuildsOnce(t *testing.T) {
	lc := newPageCache[string](pageCacheTTL, maxCachedPages)
	t0 := time.Unix(0, 0)
	lc.put("k", lc.stamp(), "1", t0)
	later := t0.Add(pageCacheTTL)
	if _, ok := lc.get("k", later); ok {
		t.Fatal("the first request after expiry got the old page; it should rebuild")
	}
	if e, ok := lc.get("k", later); !ok || e != "1" {
		t.Fatal("a request during the rebuild did not get the expired page")
	}
	lc.abandon("k")
	if _, ok := lc.get("k", later); ok {
		t.Fatal("after an abandoned rebuild the next request did not rebuild")
	}
	lc.put("k", lc.stamp(), "2", later)
	if e, ok := lc.get("k", later); !ok || e != "2" {
		t.Fatalf("rebuilt page = %+v", e)
	}
	lc.invalidate()
	if _, ok := lc.get("k", later); ok {
		t.Fatal("an invalidated page was served")
	}
	gen := lc.stamp()
	lc.invalidate() // a change while a page was being built
	lc.put("k", gen, "3", later)
	if _, ok := lc.get("k", later); ok {
		t.Fatal("a page built before a change was kept")
	}
}

// The graded part of a report is cached like the list: a report saved by a
// worker shows once the cache expires; reviews are read on every request.
func TestReportPageCache(t *testing.T) {
	e := newStaffEnv(t)
	var mu sync.Mutex
	now := pageNow
	e.srv.deps.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	path := "/staff/submissions/" + itoa(e.subB.ID)
	graded := func() bool {
		d := spDoc(t, e.get(path, e.interviewerSession), http.StatusOK)
		return d.Find("table.phases").Length() > 0
	}
	if graded() {
		t.Fatal("an ungraded submission shows phases")
	}
	e.gradeWithXSS(e.subB, 50) // a worker elsewhere
	if graded() {
		t.Fatal("the report showed before the cache expired; is it cached?")
	}
	mu.Lock()
	now = now.Add(pageCacheTTL)
	mu.Unlock()
	if !graded() {
		t.Fatal("the report did not show after the cache expired")
	}
	rec := e.post(path+"/review", e.interviewerSession, url.Values{"decision": {"hold"}, "comment": {"fresh"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("save review = %d", rec.Code)
	}
	d := spDoc(t, e.get(path, e.interviewerSession), http.StatusOK)
	if d.Find("#comment").Text() != "fresh" {
		t.Fatal("a review saved a moment ago is not on the page")
	}
}

// An expired session is looked up again by one request while the others
// keep the cached user; a failed lookup forgets it for everyone.
func TestSessionCacheRefreshesOnce(t *testing.T) {
	sc := newSessionCache()
	t0 := time.Unix(0, 0)
	sc.put("tok", sc.stamp(), &grader.User{ID: 7}, t0)
	later := t0.Add(sessionCacheTTL)
	if _, ok := sc.get("tok", later); ok {
		t.Fatal("the first request after expiry did not look the session up")
	}
	if u, ok := sc.get("tok", later); !ok || u.ID != 7 {
		t.Fatal("a request during the lookup did not get the cached user")
	}
	sc.drop("tok") // the lookup found the session gone
	if _, ok := sc.get("tok", later); ok {
		t.Fatal("a dropped session was served")
	}
}
