package web

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"takehome/exercises"
	"takehome/grader"
)

// page sends a browser-like request (no Authorization header) to the router.
func (e *env) page(method, path string, body io.Reader, header map[string]string) *httptest.ResponseRecorder {
	e.t.Helper()
	req := httptest.NewRequest(method, path, body)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	return rec
}

// postForm posts an urlencoded form.
func (e *env) postForm(path string, form url.Values) *httptest.ResponseRecorder {
	e.t.Helper()
	return e.page(http.MethodPost, path, strings.NewReader(form.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

// started marks an invite of the fixture as started an hour ago.
func (e *env) started(token string) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	at := testNow.Add(-time.Hour)
	e.store.invites[token].StartedAt = &at
}

func parse(t *testing.T, rec *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// textOf is the text of the selection with its text nodes joined by
// spaces, as a reader sees the cells of a row.
func textOf(s *goquery.Selection) string {
	var parts []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			parts = append(parts, n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range s.Nodes {
		walk(n)
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

func wantText(t *testing.T, doc *goquery.Document, sel, want string) {
	t.Helper()
	got := textOf(doc.Find(sel))
	if !strings.Contains(got, want) {
		t.Errorf("%s: text %q lacks %q", sel, got, want)
	}
}

func wantCount(t *testing.T, doc *goquery.Document, sel string, want int) {
	t.Helper()
	if got := doc.Find(sel).Length(); got != want {
		t.Errorf("%s: %d elements, want %d", sel, got, want)
	}
}

func TestInvitePageBeforeStart(t *testing.T) {
	e := newEnv(t)
	rec := e.page(http.MethodGet, "/invite/"+tokenA, nil, nil)
	wantStatus(t, rec, http.StatusOK)
	doc := parse(t, rec)
	wantText(t, doc, "main h1", "Sum numbers")
	wantText(t, doc, ".brief h1", "Sum") // the brief's Markdown, rendered
	wantText(t, doc, ".brief p", "Add them up.")
	wantText(t, doc, ".window", "2 days from the moment you press Start")
	wantText(t, doc, ".deadline", "2026-03-08 12:00 UTC")
	wantText(t, doc, ".attempts-left", "2")
	wantText(t, doc, ".email", "inv_a@example.com")
	wantCount(t, doc, `form[method=post][action="/invite/inv_a/start"] input[name=csrf_token]`, 1)
	if v, _ := doc.Find(`input[name=csrf_token]`).Attr("value"); v != mac(tokenA, "invite") {
		t.Errorf("csrf token = %q, want the invite's", v)
	}
	wantCount(t, doc, "#kit", 0) // the kit and uploads come after Start
	wantCount(t, doc, "#upload", 0)
	wantCount(t, doc, "table.phases tbody tr", 2)
	// The invite's own three submissions, never B's.
	wantCount(t, doc, "table.submissions tbody tr", 3)
	wantCount(t, doc, `a[href="/invite/inv_a/submissions/1/receipt"]`, 1)
	wantCount(t, doc, `a[href*="/submissions/4"]`, 0)
	for h, want := range map[string]string{"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"} {
		if got := rec.Header().Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP = %q", csp)
	}
}

func TestStartNeedsCSRF(t *testing.T) {
	e := newEnv(t)
	for name, form := range map[string]url.Values{
		"no token":             {},
		"another invite's":     {"csrf_token": {mac(tokenB, "invite")}},
		"the invite token raw": {"csrf_token": {tokenA}},
	} {
		rec := e.postForm("/invite/"+tokenA+"/start", form)
		if rec.Code != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", name, rec.Code)
		}
	}
	if e.store.invites[tokenA].StartedAt != nil {
		t.Fatal("a forged form started the window")
	}
	rec := e.postForm("/invite/"+tokenA+"/start", url.Values{"csrf_token": {mac(tokenA, "invite")}})
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != "/invite/inv_a" {
		t.Errorf("Location = %q", loc)
	}
	if got := e.store.invites[tokenA].StartedAt; got == nil || !got.Equal(testNow) {
		t.Fatalf("StartedAt = %v, want %v", got, testNow)
	}
	doc := parse(t, e.page(http.MethodGet, "/invite/"+tokenA, nil, nil))
	wantCount(t, doc, `a#kit[href="/invite/inv_a/kit"]`, 1)
	wantCount(t, doc, `a#upload[href="/invite/inv_a/upload"]`, 1)
	wantCount(t, doc, `a#upload-final[href="/invite/inv_a/upload?mode=final"]`, 1)
	wantText(t, doc, ".deadline", "2026-03-03 12:00 UTC") // now + the 48-hour window
	wantCount(t, doc, "form.start", 0)
}

func TestKitPage(t *testing.T) {
	e := newEnv(t)
	rec := e.page(http.MethodGet, "/invite/"+tokenA+"/kit", nil, nil)
	wantStatus(t, rec, http.StatusConflict)
	wantText(t, parse(t, rec), ".error .message", "press Start")
	e.started(tokenA)
	rec = e.page(http.MethodGet, "/invite/"+tokenA+"/kit", nil, nil)
	wantStatus(t, rec, http.StatusOK)
	if ct := rec.Header().Get("Content-Type"); ct != "application/zip" || !bytes.HasPrefix(rec.Body.Bytes(), []byte("PK")) {
		t.Errorf("kit: %s, %q", ct, rec.Body.Bytes()[:min(8, rec.Body.Len())])
	}
}

func TestClosedInvitePages(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name, path string
		status     int
		heading    string
	}{
		{"invalid", "/invite/inv_nosuchtoken", http.StatusNotFound, "Not found"},
		{"staff token", "/invite/" + tokenAdmin, http.StatusNotFound, "Not found"},
		{"revoked", "/invite/" + tokenRevoked, http.StatusForbidden, "This invite has been revoked"},
		{"revoked receipt", "/invite/" + tokenRevoked + "/submissions/1/receipt", http.StatusForbidden, "revoked"},
		{"expired", "/invite/" + tokenExpired, http.StatusGone, "This invite has expired"},
		{"expired upload", "/invite/" + tokenExpired + "/upload", http.StatusGone, "expired"},
		{"expired kit", "/invite/" + tokenExpired + "/kit", http.StatusGone, "expired"},
		{"over quota", "/invite/" + tokenSpent + "/upload", http.StatusTooManyRequests, "No submissions left"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := e.page(http.MethodGet, c.path, nil, nil)
			wantStatus(t, rec, c.status)
			doc := parse(t, rec)
			wantText(t, doc, "main h1", c.heading)
			wantCount(t, doc, "form", 0)
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
	rec := e.page(http.MethodGet, "/invite/"+tokenSpent, nil, nil)
	wantStatus(t, rec, http.StatusOK) // the invite page stays, without uploads
	wantText(t, parse(t, rec), ".status-box", "Submissions left 0 of 2")
}

func TestExpiredInviteKeepsReceipts(t *testing.T) {
	e := newEnv(t)
	e.now = testNow.Add(30 * 24 * time.Hour) // long after every invite expired
	rec := e.page(http.MethodGet, "/invite/"+tokenA, nil, nil)
	wantStatus(t, rec, http.StatusGone)
	wantCount(t, parse(t, rec), `a[href="/invite/inv_a/submissions/2/receipt"]`, 1)
	wantStatus(t, e.page(http.MethodGet, "/invite/"+tokenA+"/submissions/2/receipt", nil, nil), http.StatusOK)
	wantStatus(t, e.page(http.MethodGet, "/invite/"+tokenA+"/submissions/1", nil, nil), http.StatusOK)
}

func TestSubmissionPageCheckReport(t *testing.T) {
	e := newEnv(t)
	e.store.reports[subCheckGraded].Result.Metrics = []exercises.Metric{{Name: "auc", Value: ptr(0.8123), Low: ptr(0.75), High: ptr(0.86), Convention: "higher is better"}}
	e.store.reports[subCheckGraded].Result.Charts = []exercises.Chart{{ID: "roc", Title: "ROC", Kind: "line", Series: []exercises.Series{{Name: "you", Points: []exercises.Point{{X: 0, Y: 0}, {X: 1, Y: 1}}}}}}
	e.store.reports[subCheckGraded].Result.Tables = []exercises.Table{
		{Title: "Per class", Columns: []string{"class", "recall"}, Rows: [][]string{{"churn", "0.7"}}},
		{Title: "GOLD-EVIDENCE", Columns: []string{"q"}, Rows: [][]string{{"GOLD-ROW"}}, StaffOnly: true},
	}
	rec := e.page(http.MethodGet, "/invite/"+tokenA+"/submissions/1", nil, nil)
	wantStatus(t, rec, http.StatusOK)
	doc := parse(t, rec)
	wantText(t, doc, "main h1", "Self-check 1")
	wantText(t, doc, "#status", "graded")
	wantText(t, doc, ".headline", "87.5")
	wantText(t, doc, "table.metrics tbody tr", "auc 0.8123 0.75 – 0.86 higher is better")
	wantCount(t, doc, `figure.chart svg[role=img]`, 1)
	wantText(t, doc, "table.result-table caption", "Per class")
	wantCount(t, doc, "details.phase", 2)
	wantText(t, doc, "details.phase pre.log", "CHECK-LOG train")
	wantCount(t, doc, "[data-events]", 0) // settled: no live updates
	wantCount(t, doc, "script", 0)
	body := rec.Body.String()
	for _, secret := range []string{"INTERVIEWER-FINDING", "GOLD-EVIDENCE", "GOLD-ROW", "sha256:img"} {
		if strings.Contains(body, secret) {
			t.Errorf("the candidate's page shows %s", secret)
		}
	}
	// The JSON API keeps staff-only tables from the candidate too.
	api := e.get("/api/v1/submissions/1", tokenA).Body.String() // checked against openapi.json too
	if strings.Contains(api, "GOLD-EVIDENCE") || !strings.Contains(api, "Per class") {
		t.Errorf("API view: %s", api)
	}
}

func ptr(v float64) *float64 { return &v }

func TestSubmissionPageFinalShowsStatusOnly(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/invite/inv_a/submissions/2", "/invite/inv_a/submissions/2/receipt"} {
		rec := e.page(http.MethodGet, path, nil, nil)
		wantStatus(t, rec, http.StatusOK)
		body := rec.Body.String()
		for _, secret := range []string{"HIDDEN", "91", "accuracy", "INTERVIEWER", "headline", "details"} {
			if strings.Contains(body, secret) {
				t.Errorf("%s shows %q of the hidden run", path, secret)
			}
		}
	}
	doc := parse(t, e.page(http.MethodGet, "/invite/inv_a/submissions/2", nil, nil))
	wantText(t, doc, ".notice", "you will not see a score")
}

func TestSubmissionPageLive(t *testing.T) {
	e := newEnv(t)
	rec := e.page(http.MethodGet, "/invite/"+tokenA+"/submissions/3", nil, nil)
	wantStatus(t, rec, http.StatusOK)
	doc := parse(t, rec)
	wantCount(t, doc, `#live[data-events="/invite/inv_a/submissions/3/events"]`, 1)
	wantCount(t, doc, `script[src^="/static/status.js?v="]`, 1)
	wantCount(t, doc, `#status[role=status][aria-live=polite]`, 1)
	wantCount(t, doc, `a[href="/invite/inv_a/submissions/3"]`, 1) // the refresh link
	if !strings.Contains(rec.Body.String(), `<noscript><meta http-equiv="refresh" content="5"></noscript>`) {
		t.Error("no refresh for browsers without JavaScript")
	}
}

func TestReceiptPage(t *testing.T) {
	e := newEnv(t)
	doc := parse(t, e.page(http.MethodGet, "/invite/"+tokenA+"/submissions/3/receipt", nil, nil))
	wantText(t, doc, "main h1", "Receipt")
	wantText(t, doc, "#receipt-id", "3")
	wantText(t, doc, "#receipt-sha", "abc123")
	wantText(t, doc, ".receipt", "Archive size 42 bytes Archive SHA-256")
	wantText(t, doc, ".receipt", "Final submission")
	wantText(t, doc, ".email", "inv_a@example.com")
}

func TestCandidateCannotSeeOthersSubmissions(t *testing.T) {
	e := newEnv(t)
	for _, suffix := range []string{"", "/receipt", "/events"} {
		other := e.page(http.MethodGet, "/invite/"+tokenB+"/submissions/1"+suffix, nil, nil)
		missing := e.page(http.MethodGet, "/invite/"+tokenB+"/submissions/999"+suffix, nil, nil)
		wantStatus(t, other, http.StatusNotFound)
		wantStatus(t, missing, http.StatusNotFound)
		// The same answer either way, so ids cannot be probed.
		norm := func(s string) string { return strings.NewReplacer("999", "N", "1 on", "N on").Replace(s) }
		if norm(other.Body.String()) != norm(missing.Body.String()) {
			t.Errorf("%s: another invite's submission is told apart from a missing one", suffix)
		}
		if strings.Contains(other.Body.String(), "CHECK-LOG") {
			t.Errorf("%s: leaked A's report to B", suffix)
		}
	}
	wantStatus(t, e.page(http.MethodGet, "/invite/"+tokenB+"/submissions/abc", nil, nil), http.StatusNotFound)
}

func TestAccessLogRedactsInviteTokens(t *testing.T) {
	e := newEnv(t)
	secret := "inv_s3cr3tT0k3nValue"
	e.store.invites[secret] = e.store.invites[tokenA]
	e.page(http.MethodGet, "/invite/"+secret, nil, nil)
	e.page(http.MethodGet, "/invite/"+secret+"/no/such/page", nil, nil)
	e.page(http.MethodGet, "/invite/inv_unknownTokenValue", nil, nil)
	logs := e.logs.String()
	for _, leak := range []string{secret, "unknownTokenValue"} {
		if strings.Contains(logs, leak) {
			t.Errorf("the log holds an invite token: %s", logs)
		}
	}
	if !strings.Contains(logs, `"path":"/invite/inv_REDACTED"`) {
		t.Errorf("the log lost the request: %s", logs)
	}
}

func TestRemaining(t *testing.T) {
	cases := map[time.Duration]string{
		-time.Minute:                  "no time",
		59 * time.Minute:              "59 minutes",
		time.Hour + time.Minute:       "1 hour 1 minute",
		47*time.Hour + 30*time.Minute: "47 hours 30 minutes",
		7*24*time.Hour + 3*time.Hour:  "7 days 3 hours",
	}
	for d, want := range cases {
		if got := remaining(testNow, testNow.Add(d)); got != want {
			t.Errorf("remaining(%v) = %q, want %q", d, got, want)
		}
	}
	if got := windowText(90 * time.Minute); got != "90 minutes" {
		t.Errorf("windowText = %q", got)
	}
}

func TestSubmissionPageFailed(t *testing.T) {
	e := newEnv(t)
	e.store.subs[subOfB].Status = grader.StatusFailed
	doc := parse(t, e.page(http.MethodGet, "/invite/inv_b/submissions/4", nil, nil))
	wantText(t, doc, "#failed", "a problem on our side")
	wantCount(t, doc, "[data-events]", 0)
}
