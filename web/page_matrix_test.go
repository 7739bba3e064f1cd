package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Outcomes of a page request in the matrix.
const (
	ok        = "ok"    // served: 2xx or 3xx other than a redirect to sign in
	toLogin   = "login" // 303 to /login
	unauth    = "401"
	forbid    = "403"
	notFound  = "404"
	pageCalls = 5
)

// pageCallers are the matrix's columns.
var pageCallers = [pageCalls]string{"anonymous", "candidate A", "candidate B", "interviewer", "admin"}

// matrixRow is one route: how to call it validly, and what each caller gets.
type matrixRow struct {
	method, route string
	want          [pageCalls]string
	// path builds the request path for a caller (0..4); form its body.
	path func(e *staffEnv, caller int) string
	form func(e *staffEnv, caller int) url.Values
}

// staffPath is the same path for every caller.
func staffPath(p func(e *staffEnv) string) func(*staffEnv, int) string {
	return func(e *staffEnv, _ int) string { return p(e) }
}

// invitePath puts a caller's token in a candidate page's path: A's own,
// B's (on A's submission when the path has one), and for anonymous and
// staff a token that is no invite.
func invitePath(rest func(e *staffEnv) string) func(*staffEnv, int) string {
	return func(e *staffEnv, caller int) string {
		tok := "inv_" + strings.Repeat("z", 43)
		switch caller {
		case 1:
			tok = e.tokenA
		case 2:
			tok = e.tokenB
		}
		return "/invite/" + tok + rest(e)
	}
}

func subPath(suffix string) func(e *staffEnv) string {
	return func(e *staffEnv) string { return "/staff/submissions/" + itoa(e.subA.ID) + suffix }
}

func fixed(p string) func(e *staffEnv) string { return func(*staffEnv) string { return p } }

var (
	staffGet   = [pageCalls]string{toLogin, toLogin, toLogin, ok, ok}
	staffPost  = [pageCalls]string{unauth, unauth, unauth, ok, ok}
	adminGet   = [pageCalls]string{toLogin, toLogin, toLogin, forbid, ok}
	adminPost  = [pageCalls]string{unauth, unauth, unauth, forbid, ok}
	publicAll  = [pageCalls]string{ok, ok, ok, ok, ok}
	ownInvite  = [pageCalls]string{notFound, ok, ok, notFound, notFound}
	ownSubOnly = [pageCalls]string{notFound, ok, notFound, notFound, notFound}
)

func pageMatrix() []matrixRow {
	resetKey := func(e *staffEnv) string {
		tok, err := e.store.CreatePasswordReset(e.t.Context(), e.interviewer.ID, e.admin.ID, pageNow.Add(time.Hour))
		if err != nil {
			e.t.Fatal(err)
		}
		return "/reset/" + tok
	}
	form := func(kv ...string) func(*staffEnv, int) url.Values {
		return func(*staffEnv, int) url.Values {
			v := url.Values{}
			for i := 0; i < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return v
		}
	}
	return []matrixRow{
		{method: "GET", route: "/static/*file", want: publicAll, path: staffPath(fixed("/static/app.css"))},
		{method: "GET", route: "/", want: publicAll, path: staffPath(fixed("/"))},
		{method: "GET", route: "/login", want: publicAll, path: staffPath(fixed("/login"))},
		{method: "POST", route: "/login", want: publicAll, path: staffPath(fixed("/login")), form: form("email", "admin@example.com", "password", "admin-password-1")},
		{method: "GET", route: "/reset/:key", want: publicAll, path: staffPath(resetKey)},
		{method: "POST", route: "/reset/:key", want: publicAll, path: staffPath(resetKey), form: form("password", "a-new-password-1", "confirm", "a-new-password-1")},
		{method: "POST", route: "/logout", want: staffPost, path: staffPath(fixed("/logout"))},
		{method: "GET", route: "/account/password", want: staffGet, path: staffPath(fixed("/account/password"))},
		{method: "POST", route: "/account/password", want: staffPost, path: staffPath(fixed("/account/password")),
			form: func(e *staffEnv, caller int) url.Values {
				current := map[int]string{3: "ivy-password-123", 4: "admin-password-1"}[caller]
				return url.Values{"current": {current}, "password": {"another-password-9"}, "confirm": {"another-password-9"}}
			}},
		{method: "GET", route: "/staff", want: staffGet, path: staffPath(fixed("/staff"))},
		{method: "GET", route: "/staff/submissions", want: staffGet, path: staffPath(fixed("/staff/submissions"))},
		{method: "GET", route: "/staff/submissions/:id", want: staffGet, path: staffPath(subPath(""))},
		{method: "POST", route: "/staff/submissions/:id/reveal", want: staffPost, path: staffPath(subPath("/reveal"))},
		{method: "POST", route: "/staff/submissions/:id/review", want: staffPost, path: staffPath(subPath("/review")), form: form("score_overall", "2", "decision", "hold")},
		{method: "GET", route: "/staff/submissions/:id/code", want: staffGet, path: staffPath(subPath("/code?file=src/main.py"))},
		{method: "GET", route: "/staff/submissions/:id/calls", want: staffGet, path: staffPath(subPath("/calls"))},
		{method: "GET", route: "/staff/compare", want: staffGet, path: staffPath(func(e *staffEnv) string {
			return "/staff/compare?a=" + itoa(e.subA.ID) + "&b=" + itoa(e.subB.ID)
		})},
		{method: "GET", route: "/admin/exercises", want: adminGet, path: staffPath(fixed("/admin/exercises"))},
		{method: "POST", route: "/admin/exercises", want: adminPost, path: staffPath(fixed("/admin/exercises")), form: form("slug", "smoke-sum", "seed", "99")},
		{method: "POST", route: "/admin/exercises/import-beir", want: [pageCalls]string{unauth, unauth, unauth, forbid, "400"},
			path: staffPath(fixed("/admin/exercises/import-beir"))}, // no folder given: an admin gets the form back
		{method: "POST", route: "/admin/exercises/:id/status", want: adminPost, path: staffPath(func(e *staffEnv) string {
			return "/admin/exercises/" + itoa(e.version.ID) + "/status"
		}), form: form("status", "archived")},
		// The smoke exercise ships no references: an admin gets 409, the
		// others are refused before.
		{method: "POST", route: "/admin/exercises/:id/references", want: [pageCalls]string{unauth, unauth, unauth, forbid, "409"}, path: staffPath(func(e *staffEnv) string {
			return "/admin/exercises/" + itoa(e.version.ID) + "/references"
		})},
		{method: "POST", route: "/admin/exercises/:id/regrade", want: adminPost, path: staffPath(func(e *staffEnv) string {
			return "/admin/exercises/" + itoa(e.version.ID) + "/regrade"
		})},
		{method: "GET", route: "/admin/invites", want: adminGet, path: staffPath(fixed("/admin/invites"))},
		{method: "POST", route: "/admin/invites", want: adminPost, path: staffPath(fixed("/admin/invites")), form: func(e *staffEnv, _ int) url.Values {
			return url.Values{"version_id": {itoa(e.version.ID)}, "email": {"m@example.com"}}
		}},
		{method: "POST", route: "/admin/invites/:id/revoke", want: adminPost, path: staffPath(func(e *staffEnv) string {
			return "/admin/invites/" + itoa(e.inviteB.ID) + "/revoke"
		})},
		{method: "POST", route: "/admin/invites/:id/extend", want: adminPost, path: staffPath(func(e *staffEnv) string {
			return "/admin/invites/" + itoa(e.inviteB.ID) + "/extend"
		}), form: form("days", "3")},
		{method: "GET", route: "/admin/users", want: adminGet, path: staffPath(fixed("/admin/users"))},
		{method: "POST", route: "/admin/users", want: adminPost, path: staffPath(fixed("/admin/users")), form: form("email", "n@example.com", "role", "interviewer")},
		{method: "POST", route: "/admin/users/:id", want: adminPost, path: staffPath(func(e *staffEnv) string {
			return "/admin/users/" + itoa(e.interviewer.ID)
		}), form: form("role", "admin")},
		{method: "POST", route: "/admin/users/:id/reset", want: adminPost, path: staffPath(func(e *staffEnv) string {
			return "/admin/users/" + itoa(e.interviewer.ID) + "/reset"
		})},
		{method: "GET", route: "/admin/queue", want: adminGet, path: staffPath(fixed("/admin/queue"))},
		{method: "POST", route: "/admin/jobs/:id/cancel", want: adminPost, path: staffPath(fixed("/admin/jobs/77/cancel"))},
		{method: "POST", route: "/admin/submissions/:id/regrade", want: adminPost, path: staffPath(func(e *staffEnv) string {
			return "/admin/submissions/" + itoa(e.subA.ID) + "/regrade"
		})},
		{method: "GET", route: "/admin/audit", want: adminGet, path: staffPath(fixed("/admin/audit"))},
		{method: "GET", route: "/admin/models", want: adminGet, path: staffPath(fixed("/admin/models"))},
		{method: "POST", route: "/admin/models/providers", want: adminPost, path: staffPath(fixed("/admin/models/providers")),
			form: form("name", "vllm", "base_url", "http://vllm.internal:8000/v1", "api_key", "k", "max_tokens_field", "max_tokens")},
		{method: "POST", route: "/admin/models/providers/:name/delete", want: adminPost, path: staffPath(fixed("/admin/models/providers/openai/delete"))},
		{method: "POST", route: "/admin/models/versions/:id", want: adminPost, path: staffPath(func(e *staffEnv) string {
			return "/admin/models/versions/" + itoa(e.modelsVersion.ID)
		}), form: form("provider", "builtin", "budget_usd", "0.3", "input_gpt-4o-mini", "0.15", "output_gpt-4o-mini", "0.6")},
		{method: "GET", route: "/admin/limits", want: adminGet, path: staffPath(fixed("/admin/limits"))},
		{method: "POST", route: "/admin/limits", want: adminPost, path: staffPath(fixed("/admin/limits")), form: form("days", "9", "window_hours", "0", "attempts", "2")},

		{method: "GET", route: "/invite/:token", want: ownInvite, path: invitePath(fixed(""))},
		{method: "POST", route: "/invite/:token/start", want: ownInvite, path: invitePath(fixed("/start"))},
		{method: "GET", route: "/invite/:token/kit", want: ownInvite, path: invitePath(fixed("/kit"))},
		{method: "GET", route: "/invite/:token/upload", want: ownInvite, path: invitePath(fixed("/upload"))},
		{method: "POST", route: "/invite/:token/submissions", want: ownInvite, path: invitePath(fixed("/submissions"))},
		{method: "GET", route: "/invite/:token/submissions/:id", want: ownSubOnly, path: invitePath(func(e *staffEnv) string { return "/submissions/" + itoa(e.subA.ID) })},
		{method: "GET", route: "/invite/:token/submissions/:id/events", want: ownSubOnly, path: invitePath(func(e *staffEnv) string { return "/submissions/" + itoa(e.subA.ID) + "/events" })},
		{method: "GET", route: "/invite/:token/submissions/:id/receipt", want: ownSubOnly, path: invitePath(func(e *staffEnv) string { return "/submissions/" + itoa(e.subFinal.ID) + "/receipt" })},
	}
}

// TestPageAuthorizationMatrix calls every page route as every kind of
// caller, each on a fresh fixture, and checks it is served or refused as
// the table says. A candidate calling a staff page sends its invite token
// as a bearer token, which pages ignore; staff calling a candidate page
// have no invite token for it.
func TestPageAuthorizationMatrix(t *testing.T) {
	rows := pageMatrix()
	covered := map[string]bool{}
	for _, row := range rows {
		covered[row.method+" "+row.route] = true
	}
	for _, r := range (&Server{}).pageRoutesForTest() {
		if !covered[r] {
			t.Errorf("page route %s is missing from the matrix", r)
		}
	}
	// One fixture; each call runs inside a savepoint rolled back after it.
	e := newStaffEnv(t)
	if _, err := e.store.StartInvite(t.Context(), e.inviteB.ID, pageNow.Add(-time.Hour)); err != nil {
		t.Fatal(err) // candidates need a started window to reach the kit
	}
	for _, row := range rows {
		for caller, want := range row.want {
			t.Run(row.method+" "+row.route+" as "+pageCallers[caller], func(t *testing.T) {
				e.t = t
				if err := e.db.SavePoint("matrix").Error; err != nil {
					t.Fatal(err)
				}
				defer e.db.RollbackTo("matrix")
				rec := e.matrixCall(row, caller)
				if got := outcome(rec); got != want {
					t.Errorf("got %s (status %d, Location %q), want %s\n%.600s", got, rec.Code, rec.Header().Get("Location"), want, rec.Body)
				}
			})
		}
	}
}

// matrixCall sends row's request as caller, with the CSRF token that
// caller's page would carry.
func (e *staffEnv) matrixCall(row matrixRow, caller int) *httptest.ResponseRecorder {
	e.t.Helper()
	r := pageReq{method: row.method, path: row.path(e, caller), csrf: true}
	switch caller {
	case 0:
		r.cookies = []*http.Cookie{e.anonCookie()}
	case 1:
		r.header = map[string]string{"Authorization": "Bearer " + e.tokenA}
		r.cookies = []*http.Cookie{e.anonCookie()}
	case 2:
		r.header = map[string]string{"Authorization": "Bearer " + e.tokenB}
		r.cookies = []*http.Cookie{e.anonCookie()}
	case 3:
		r.session = e.interviewerSession
	case 4:
		r.session = e.adminSession
	}
	if row.form != nil {
		r.form = row.form(e, caller)
	}
	if row.method == http.MethodPost && strings.HasSuffix(row.route, "/submissions") && strings.HasPrefix(row.route, "/invite/") {
		return e.uploadAs(r)
	}
	return e.do(r)
}

// uploadAs posts a small archive as a multipart form.
func (e *staffEnv) uploadAs(r pageReq) *httptest.ResponseRecorder {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("mode", "check")
	fw, _ := mw.CreateFormFile("archive", "sub.zip")
	_, _ = fw.Write(xssArchive(e.t))
	_ = mw.Close()
	// A streamed upload carries its CSRF token in the query.
	req := httptest.NewRequest(r.method, r.path+"?"+csrfFormField+"="+url.QueryEscape(e.csrfFor(r)), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for _, c := range r.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	return rec
}

var loginRedirect = regexp.MustCompile(`^/login\?next=`)

// outcome classifies a response for the matrix.
func outcome(rec *httptest.ResponseRecorder) string {
	switch {
	case rec.Code == http.StatusSeeOther && loginRedirect.MatchString(rec.Header().Get("Location")):
		return toLogin
	case rec.Code < 400:
		return ok
	}
	return itoa(int64(rec.Code))
}

// pageRoutesForTest lists "METHOD path" of every page route.
func (s *Server) pageRoutesForTest() []string {
	var out []string
	for _, r := range s.pageRoutes() {
		out = append(out, r.method+" "+r.path)
	}
	return out
}
