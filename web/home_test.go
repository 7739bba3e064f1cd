package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestHomeSendsEachCallerOn checks the site's root: staff to their list,
// everyone else (a candidate, a stale cookie) to the sign-in page, which
// tells candidates to use their invite link.
func TestHomeSendsEachCallerOn(t *testing.T) {
	e := newStaffEnv(t)
	for _, tc := range []struct {
		name, session, want string
	}{
		{"anonymous", "", "/login"},
		{"stale session", strings.Repeat("x", 43), "/login"},
		{"interviewer", e.interviewerSession, "/staff/submissions"},
		{"admin", e.adminSession, "/staff/submissions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := e.get("/", tc.session)
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != tc.want {
				t.Fatalf("GET / = %d to %q, want 303 to %q", rec.Code, rec.Header().Get("Location"), tc.want)
			}
		})
	}
	// A candidate holding an invite token sends it as a bearer token at
	// most, which pages ignore: the root still goes to the sign-in page.
	rec := e.do(pageReq{method: http.MethodGet, path: "/", header: map[string]string{"Authorization": "Bearer " + e.tokenA}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login" {
		t.Fatalf("GET / as a candidate = %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	d := spDoc(t, e.get("/login", ""), http.StatusOK)
	if got := spText(d.Find("main")); !strings.Contains(got, "Candidates: use the link in your invite email") {
		t.Errorf("the sign-in page does not send candidates to their invite link: %q", got)
	}
	// The signed-in list is where staff land.
	spDoc(t, e.get("/staff/submissions", e.interviewerSession), http.StatusOK)
}
