package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// anonForm returns a signed-out caller's CSRF cookie, as the login page
// sets it.
func (e *staffEnv) anonCookie() *http.Cookie {
	e.t.Helper()
	rec := e.get("/login", "")
	for _, c := range rec.Result().Cookies() {
		if c.Name == anonCookie {
			return c
		}
	}
	e.t.Fatal("the login page set no CSRF cookie")
	return nil
}

func (e *staffEnv) login(email, password string, cookie *http.Cookie) *http.Response {
	e.t.Helper()
	rec := e.do(pageReq{method: http.MethodPost, path: "/login", csrf: true, cookies: []*http.Cookie{cookie},
		form: url.Values{"email": {email}, "password": {password}, "next": {"/staff/submissions?sort=score"}}})
	return rec.Result()
}

func TestLoginStartsASecureSession(t *testing.T) {
	e := newStaffEnv(t)
	d := spDoc(t, e.get("/login", ""), http.StatusOK)
	if d.Find(`form#login-form input[name=csrf_token]`).Length() != 1 || d.Find(`label[for=email]`).Length() != 1 {
		t.Fatal("login form lacks its CSRF field or labels")
	}
	res := e.login("IVY@example.com", "ivy-password-123", e.anonCookie())
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/staff/submissions?sort=score" {
		t.Fatalf("login = %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == sessionCookie {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || !session.Secure || session.SameSite != http.SameSiteLaxMode || len(session.Value) < 40 {
		t.Fatalf("session cookie = %+v", session)
	}
	d = spDoc(t, e.get("/staff/submissions", session.Value), http.StatusOK)
	if got := spText(d.Find(".who")); got != "ivy@example.com (interviewer)" {
		t.Fatalf("signed in as %q", got)
	}
	// Sign out ends the session server-side.
	rec := e.post("/logout", session.Value, nil)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("logout = %d", rec.Code)
	}
	if rec := e.get("/staff/submissions", session.Value); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login?next=") {
		t.Fatalf("after logout = %d %q", rec.Code, rec.Header().Get("Location"))
	}
	audit := e.auditActions()
	for _, want := range []string{"login", "logout"} {
		if !strings.Contains(audit, want+" user:") {
			t.Errorf("audit log lacks %s: %s", want, audit)
		}
	}
}

func TestLoginRefusesWrongPasswordAndLocksOut(t *testing.T) {
	e := newStaffEnv(t)
	cookie := e.anonCookie()
	for i := range maxEmailFailures {
		res := e.login("ivy@example.com", "wrong-password-"+string(rune('a'+i)), cookie)
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d = %d, want 401", i+1, res.StatusCode)
		}
	}
	// Locked: even the right password is refused, with a clear message.
	rec := e.do(pageReq{method: http.MethodPost, path: "/login", csrf: true, cookies: []*http.Cookie{cookie},
		form: url.Values{"email": {"ivy@example.com"}, "password": {"ivy-password-123"}}})
	d := spDoc(t, rec, http.StatusTooManyRequests)
	if !strings.Contains(spText(d.Find(".alert")), "Too many failed sign-ins") {
		t.Fatalf("lockout message = %q", spText(d.Find(".alert")))
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == sessionCookie && c.Value != "" {
			t.Fatal("a locked account got a session")
		}
	}
	// Another account from elsewhere is not locked.
	if res := e.login("admin@example.com", "admin-password-1", cookie); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("other account = %d", res.StatusCode)
	}
	if a := e.auditActions(); !strings.Contains(a, "login.failed anonymous") || !strings.Contains(a, "login.locked anonymous") {
		t.Errorf("audit log = %s", a)
	}
}

func TestLoginUnknownEmailAndDisabledUser(t *testing.T) {
	e := newStaffEnv(t)
	cookie := e.anonCookie()
	if res := e.login("nobody@example.com", "whatever-password", cookie); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unknown email = %d", res.StatusCode)
	}
	if err := e.store.SetUserDisabled(t.Context(), e.interviewer.ID, true); err != nil {
		t.Fatal(err)
	}
	if res := e.login("ivy@example.com", "ivy-password-123", cookie); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("disabled user = %d", res.StatusCode)
	}
	// Disabling ended the existing session too.
	if rec := e.get("/staff/submissions", e.interviewerSession); rec.Code != http.StatusSeeOther {
		t.Fatalf("disabled user's session = %d", rec.Code)
	}
}

func TestLoginNeedsCSRFAndRedirectsOnlyOnSite(t *testing.T) {
	e := newStaffEnv(t)
	form := url.Values{"email": {"ivy@example.com"}, "password": {"ivy-password-123"}}
	// No cookie, or a token of another cookie: refused before any check.
	rec := e.do(pageReq{method: http.MethodPost, path: "/login", form: form})
	spDoc(t, rec, http.StatusForbidden)
	other := &http.Cookie{Name: anonCookie, Value: strings.Repeat("x", 43)}
	rec = e.do(pageReq{method: http.MethodPost, path: "/login", form: url.Values{"email": {"ivy@example.com"}, "password": {"ivy-password-123"},
		csrfFormField: {mac(strings.Repeat("y", 43), "anon")}}, cookies: []*http.Cookie{other}})
	spDoc(t, rec, http.StatusForbidden)
	for next, want := range map[string]string{
		"//evil.example/x": "/staff/submissions", "https://evil.example": "/staff/submissions",
		"/\\evil.example": "/staff/submissions", "/\t/evil.example": "/staff/submissions", "/\n/evil.example": "/staff/submissions",
		"/admin/users": "/admin/users", "/staff/submissions?sort=score": "/staff/submissions?sort=score",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

func TestPasswordResetLink(t *testing.T) {
	e := newStaffEnv(t)
	d := spDoc(t, e.post("/admin/users/"+itoa(e.interviewer.ID)+"/reset", e.adminSession, nil), http.StatusOK)
	link, _ := d.Find("#reset-link input").Attr("value")
	if !strings.HasPrefix(link, "https://takehome.test/reset/pr_") {
		t.Fatalf("reset link = %q", link)
	}
	path := strings.TrimPrefix(link, "https://takehome.test")
	spDoc(t, e.get(path, ""), http.StatusOK)
	cookie := e.anonCookie()
	post := func(pw, confirm string) *http.Response {
		return e.do(pageReq{method: http.MethodPost, path: path, csrf: true, cookies: []*http.Cookie{cookie},
			form: url.Values{"password": {pw}, "confirm": {confirm}}}).Result()
	}
	if res := post("short", "short"); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("short password = %d", res.StatusCode)
	}
	if res := post("a-long-new-password", "another-password"); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("mismatch = %d", res.StatusCode)
	}
	if res := post("a-long-new-password", "a-long-new-password"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset = %d", res.StatusCode)
	}
	// The link is spent, the old session ended, the new password works.
	spDoc(t, e.get(path, ""), http.StatusNotFound)
	if rec := e.get("/staff/submissions", e.interviewerSession); rec.Code != http.StatusSeeOther {
		t.Fatalf("old session = %d", rec.Code)
	}
	if res := e.login("ivy@example.com", "a-long-new-password", cookie); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login with the new password = %d", res.StatusCode)
	}
}

// auditActions lists the audit log as "action actor" lines.
func (e *staffEnv) auditActions() string {
	e.t.Helper()
	events, err := e.store.ListAudit(e.t.Context(), 1000)
	if err != nil {
		e.t.Fatal(err)
	}
	var b strings.Builder
	for _, ev := range events {
		b.WriteString(ev.Action + " " + ev.Actor + " " + ev.Target + "\n")
	}
	return b.String()
}

func TestChangePassword(t *testing.T) {
	e := newStaffEnv(t)
	form := func(current, pw string) url.Values {
		return url.Values{"current": {current}, "password": {pw}, "confirm": {pw}}
	}
	d := spDoc(t, e.post("/account/password", e.interviewerSession, form("not-my-password", "brand-new-password")), http.StatusBadRequest)
	if got := spText(d.Find(".alert")); got != "Your current password is not right." {
		t.Fatalf("alert = %q", got)
	}
	spDoc(t, e.post("/account/password", e.interviewerSession, form("ivy-password-123", "short")), http.StatusBadRequest)
	rec := e.post("/account/password", e.interviewerSession, form("ivy-password-123", "brand-new-password"))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login" {
		t.Fatalf("change = %d %q", rec.Code, rec.Header().Get("Location"))
	}
	// Every session ended, the old password no longer works, the new one does.
	if rec := e.get("/staff/submissions", e.interviewerSession); rec.Code != http.StatusSeeOther {
		t.Fatalf("old session = %d", rec.Code)
	}
	cookie := e.anonCookie()
	if res := e.login("ivy@example.com", "ivy-password-123", cookie); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("old password = %d", res.StatusCode)
	}
	if res := e.login("ivy@example.com", "brand-new-password", cookie); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("new password = %d", res.StatusCode)
	}
	if !strings.Contains(e.auditActions(), "password.change user:"+itoa(e.interviewer.ID)) {
		t.Fatal("not audited")
	}
}
