package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"takehome/exercises"
	"takehome/grader"
)

// assertInert fails when the page could run anything the fixture's
// payloads carry; see inertProblems.
func assertInert(t *testing.T, name string, rec *httptest.ResponseRecorder) {
	t.Helper()
	for _, p := range inertProblems(rec.Header().Get("Content-Security-Policy"), rec.Body.String()) {
		t.Errorf("%s: %s", name, p)
	}
}

// inertProblems lists what could execute in a page: a CSP that allows
// inline code, a script without a same-site src, an event handler
// attribute, a javascript: URL, or inline styles.
func inertProblems(csp, body string) []string {
	var out []string
	if csp != contentSecurityPolicy || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		out = append(out, fmt.Sprintf("CSP = %q", csp))
	}
	d, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		return append(out, err.Error())
	}
	d.Find("script").Each(func(_ int, s *goquery.Selection) {
		if src, ok := s.Attr("src"); !ok || !strings.HasPrefix(src, "/static/") || strings.TrimSpace(s.Text()) != "" {
			out = append(out, fmt.Sprintf("script element %q src=%q", s.Text(), src))
		}
	})
	if n := d.Find("style").Length(); n > 0 {
		out = append(out, fmt.Sprintf("%d inline <style> elements", n))
	}
	d.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			key, val := strings.ToLower(a.Key), strings.ToLower(strings.TrimSpace(a.Val))
			switch {
			case strings.HasPrefix(key, "on"):
				out = append(out, fmt.Sprintf("<%s %s=%q>", goquery.NodeName(s), a.Key, a.Val))
			case key == "style":
				out = append(out, fmt.Sprintf("inline style on <%s>", goquery.NodeName(s)))
			case (key == "href" || key == "src" || key == "action" || key == "formaction" || key == "xlink:href") &&
				(strings.HasPrefix(val, "javascript:") || strings.HasPrefix(val, "data:text/html")):
				out = append(out, fmt.Sprintf("<%s %s=%q>", goquery.NodeName(s), a.Key, a.Val))
			}
		}
	})
	return out
}

// TestInertProblemsCatchesPayloads keeps the XSS check honest: each
// payload, had it become markup, is caught.
func TestInertProblemsCatchesPayloads(t *testing.T) {
	for _, body := range []string{
		`<p>` + xssScript + `</p>`,
		`<p title=""><img src=x onerror=alert(1)></p>`,
		`<a href="` + xssURL + `">x</a>`,
		`<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>`,
		`<p style="color:red">x</p>`,
		`<script src="https://cdn.example/x.js"></script>`,
	} {
		if len(inertProblems(contentSecurityPolicy, body)) == 0 {
			t.Errorf("not caught: %s", body)
		}
	}
	if p := inertProblems(contentSecurityPolicy, `<p>`+template.HTMLEscapeString(xssAll)+`</p><script src="/static/a.js"></script>`); len(p) != 0 {
		t.Errorf("escaped payloads flagged: %v", p)
	}
	if len(inertProblems("default-src 'self'; script-src 'self' 'unsafe-inline'", "<p></p>")) == 0 {
		t.Error("unsafe-inline CSP not caught")
	}
}

// TestStaffPagesRenderPayloadsInert opens every staff page on a fixture
// whose candidate-controlled strings (email, file names, notes, logs,
// output values, chart labels, table cells, audit targets) are XSS
// payloads, and checks the payloads show as text, never as markup.
func TestStaffPagesRenderPayloadsInert(t *testing.T) {
	e := newStaffEnv(t)
	cookie := e.anonCookie()
	e.login(xssAll+"@x.io", "wrong-password-xss", cookie) // lands in the audit log
	sub := itoa(e.subA.ID)
	pages := map[string]*httptest.ResponseRecorder{
		"list":        e.get("/staff/submissions", e.interviewerSession),
		"report":      e.get("/staff/submissions/"+sub, e.interviewerSession),
		"ungraded":    e.get("/staff/submissions/"+itoa(e.subB.ID), e.interviewerSession),
		"reveal":      e.post("/staff/submissions/"+sub+"/reveal", e.interviewerSession, nil),
		"code":        e.get("/staff/submissions/"+sub+"/code?file="+url.QueryEscape("src/"+xssAttr+".py"), e.interviewerSession),
		"code main":   e.get("/staff/submissions/"+sub+"/code?file=src/main.py", e.interviewerSession),
		"code notes":  e.get("/staff/submissions/"+sub+"/code?file="+url.QueryEscape("notes/<script>alert(1).md"), e.interviewerSession),
		"calls":       e.get("/staff/submissions/"+sub+"/calls", e.interviewerSession),
		"compare":     e.get("/staff/compare?a="+sub+"&b="+itoa(e.subFinal.ID), e.interviewerSession),
		"exercises":   e.get("/admin/exercises", e.adminSession),
		"invites":     e.get("/admin/invites", e.adminSession),
		"users":       e.get("/admin/users", e.adminSession),
		"queue":       e.get("/admin/queue", e.adminSession),
		"audit":       e.get("/admin/audit", e.adminSession),
		"limits":      e.get("/admin/limits", e.adminSession),
		"password":    e.get("/account/password", e.interviewerSession),
		"login":       e.get("/login?next="+url.QueryEscape(xssAttr), ""),
		"login error": e.do(pageReq{method: http.MethodPost, path: "/login", csrf: true, cookies: []*http.Cookie{cookie}, form: url.Values{"email": {xssAll}, "password": {"x"}}}),
		"not found":   e.get("/staff/"+url.PathEscape(xssScript), e.adminSession),
	}
	for name, rec := range pages {
		if rec.Code >= 500 {
			t.Errorf("%s: status %d", name, rec.Code)
		}
		assertInert(t, name, rec)
	}
	// The payloads are there, as text.
	for name, sel := range map[string]string{"calls": "details.call pre", "report": ".findings li", "reveal": "#candidate", "invites": "table#invites", "audit": "table#audit", "code": ".code h2"} {
		d, _ := goquery.NewDocumentFromReader(strings.NewReader(pages[name].Body.String()))
		if !strings.Contains(d.Find(sel).Text(), "<script>alert(1)</script>") && !strings.Contains(d.Find(sel).Text(), xssAttr) {
			t.Errorf("%s: %s does not show the payload as text: %q", name, sel, d.Find(sel).Text())
		}
	}
	if !strings.Contains(pages["report"].Body.String(), "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("report: the payload is not escaped")
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	e := newStaffEnv(t)
	for _, path := range []string{"/login", "/static/app.css", "/healthz", "/api/v1/submissions", "/nowhere", "/staff/submissions"} {
		rec := e.get(path, "")
		h := rec.Header()
		if h.Get("Content-Security-Policy") != contentSecurityPolicy || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("X-Frame-Options") != "DENY" || h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: headers %v", path, h)
		}
	}
	css := e.get("/static/app.css?v="+e.srv.pages.hashes["app.css"], "")
	if css.Code != 200 || !strings.Contains(css.Header().Get("Cache-Control"), "immutable") || !strings.HasPrefix(css.Header().Get("Content-Type"), "text/css") {
		t.Fatalf("app.css = %d %v", css.Code, css.Header())
	}
	if rec := e.get("/static/../pages.go", ""); rec.Code != http.StatusNotFound {
		t.Fatalf("static traversal = %d", rec.Code)
	}
	d := spDoc(t, e.get("/nowhere", ""), http.StatusNotFound)
	if d.Find("a.skip[href='#main']").Length() != 1 || d.Find("main#main").Length() != 1 || d.Find("html[lang=en]").Length() != 1 {
		t.Fatal("the layout lacks its skip link, main landmark or language")
	}
	if rec := e.get("/api/v1/nowhere", ""); !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatal("an unknown API path is not a JSON error")
	}
}

// TestCSRFEnforcedOnEveryStaffForm posts to every state-changing staff
// page as a signed-in admin without a token, and with another session's.
func TestCSRFEnforcedOnEveryStaffForm(t *testing.T) {
	e := newStaffEnv(t)
	for _, r := range e.srv.staffPageRoutes() {
		if r.method != http.MethodPost {
			continue
		}
		path := strings.NewReplacer(":id", itoa(e.subA.ID), ":key", "pr_x").Replace(r.path)
		for name, form := range map[string]url.Values{
			"no token":      {},
			"other session": {csrfFormField: {mac(e.interviewerSession, "session")}},
			"invite token":  {csrfFormField: {mac(e.tokenA, "invite")}},
		} {
			rec := e.do(pageReq{method: http.MethodPost, path: path, session: e.adminSession, form: form})
			if rec.Code != http.StatusForbidden {
				t.Errorf("POST %s with %s = %d, want 403", r.path, name, rec.Code)
			}
		}
	}
	if a := e.auditActions(); strings.Contains(a, " user:") {
		t.Fatalf("forged forms did something:\n%s", a)
	}
}

// TestListRowsEscapeEverything: the list's rows are built in Go, so every
// field is checked with a payload, even those that are enums today.
func TestListRowsEscapeEverything(t *testing.T) {
	score := 1.5
	row := grader.SubmissionSummary{Email: xssAll, Slug: xssAll, Decision: grader.Decision(xssAttr)}
	row.ID, row.Mode, row.Status, row.Score = 7, exercises.Mode(xssAll), grader.SubmissionStatus(xssAttr), &score
	html := string(listRows([]grader.SubmissionSummary{row}))
	if p := inertProblems(contentSecurityPolicy, "<table><tbody>"+html+"</tbody></table>"); len(p) != 0 {
		t.Fatalf("problems %v in %s", p, html)
	}
	if strings.Count(html, "&lt;script&gt;") != 2 || !strings.Contains(html, `class="badge &#34;&gt;&lt;img`) {
		t.Fatalf("payloads not escaped as text: %s", html)
	}
}
