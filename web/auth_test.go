package web

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"takehome/grader"
)

// The callers of the authorization matrix, in column order.
var callers = []struct{ name, token string }{
	{"anonymous", ""}, {"candidate A", tokenA}, {"candidate B", tokenB},
	{"interviewer", tokenInterviewer}, {"admin", tokenAdmin},
}

// TestAuthorizationMatrix calls every route as every kind of caller.
func TestAuthorizationMatrix(t *testing.T) {
	matrix := []struct {
		method, path string
		want         [5]int // by callers
	}{
		{"GET", "/healthz", [5]int{200, 200, 200, 200, 200}},
		{"GET", "/readyz", [5]int{200, 200, 200, 200, 200}},
		{"GET", "/metrics", [5]int{200, 200, 200, 200, 200}},
		{"GET", "/api/v1/openapi.json", [5]int{200, 200, 200, 200, 200}},
		{"GET", "/api/v1/invite", [5]int{401, 200, 200, 403, 403}},
		{"POST", "/api/v1/invite/start", [5]int{401, 200, 200, 403, 403}},
		{"GET", "/api/v1/invite/starter-kit", [5]int{401, 200, 200, 403, 403}},
		{"POST", "/api/v1/submissions", [5]int{401, 202, 202, 403, 403}},
		{"GET", "/api/v1/submissions", [5]int{401, 403, 403, 200, 200}},
		{"GET", "/api/v1/submissions/1", [5]int{401, 200, 404, 200, 200}},
		{"GET", "/api/v1/submissions/1/report", [5]int{401, 403, 403, 200, 200}},
		{"POST", "/api/v1/submissions/3/cancel", [5]int{401, 403, 403, 403, 202}},
	}
	covered := map[string]bool{}
	id := regexp.MustCompile(`/\d+`)
	for _, row := range matrix {
		covered[row.method+" "+id.ReplaceAllString(row.path, "/:id")] = true
		for i, c := range callers {
			t.Run(row.method+" "+row.path+" as "+c.name, func(t *testing.T) {
				e := newEnv(t)
				rec := e.callAs(row.method, row.path, c.token)
				wantStatus(t, rec, row.want[i])
				if rec.Code == http.StatusUnauthorized && rec.Header().Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
			})
		}
	}
	for _, r := range newEnv(t).srv.apiRoutes() { // pages: TestPageAuthorizationMatrix
		if !covered[r.method+" "+r.path] {
			t.Errorf("route %s %s is missing from the matrix", r.method, r.path)
		}
	}
}

// callAs calls a route with a valid request for it.
func (e *env) callAs(method, path, token string) *httptest.ResponseRecorder {
	if method == http.MethodPost && path == "/api/v1/submissions" {
		return e.upload(token, map[string]string{"mode": "check"}, []byte("zip"), nil)
	}
	return e.do(request{method: method, path: path, token: token})
}

func TestUnauthorized(t *testing.T) {
	for name, header := range map[string]string{
		"no header":      "",
		"basic scheme":   "Basic dXNlcjpwYXNz",
		"empty token":    "Bearer ",
		"no scheme":      tokenA,
		"two tokens":     "Bearer inv_a inv_b",
		"unknown invite": "Bearer inv_nope",
		"unknown staff":  "Bearer tk_nope",
		"unknown prefix": "Bearer xyz_123",
		"disabled user":  "Bearer " + tokenDisabled,
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			rec := e.do(request{method: "GET", path: "/api/v1/submissions", header: map[string]string{"Authorization": header}})
			wantError(t, rec, 401, grader.CodeUnauthorized, "")
			if got := rec.Header().Get("WWW-Authenticate"); got == "" {
				t.Error("no WWW-Authenticate header")
			}
		})
	}
}

func TestBearerSchemeIsCaseInsensitive(t *testing.T) {
	e := newEnv(t)
	rec := e.do(request{method: "GET", path: "/api/v1/invite", header: map[string]string{"Authorization": "bearer " + tokenA}})
	wantStatus(t, rec, 200)
}

func TestForbiddenMessages(t *testing.T) {
	e := newEnv(t)
	wantError(t, e.get("/api/v1/invite", tokenAdmin), 403, grader.CodeForbidden, "this endpoint needs an invite token")
	wantError(t, e.get("/api/v1/submissions", tokenA), 403, grader.CodeForbidden, "this endpoint needs a staff token")
	wantError(t, e.post("/api/v1/submissions/3/cancel", tokenInterviewer), 403, grader.CodeForbidden, "this endpoint needs the admin role")
}

func TestStoreFailureDuringAuthIsInternal(t *testing.T) {
	e := newEnv(t)
	e.store.fail["FindInviteByToken"] = errDatabaseDown
	wantError(t, e.get("/api/v1/invite", tokenA), 500, grader.CodeInternal, "internal error")
}
