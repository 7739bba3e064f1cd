package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The browser harness: headless Debian Chromium driven by chromedp, one
// test per journey against a real `runner serve` with real workers and
// PostgreSQL. Screenshots go to $TAKEHOME_SCREENSHOTS, by default
// $TMPDIR/takehome-screenshots, under the test's name.

// newBrowser starts headless Chromium for one test and returns a tab's
// context; the browser stops when the test ends.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath("/usr/bin/chromium"), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser, without a time limit
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// browse runs steps within a time limit; on failure it saves a screenshot
// of where the journey stopped.
func browse(t *testing.T, ctx context.Context, within time.Duration, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		screenshot(t, ctx, "failed-"+strings.ReplaceAll(what, " ", "-"))
		t.Fatalf("%s: %v", what, err)
	}
}

// screenshot saves a full-page PNG of the tab.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("TAKEHOME_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "takehome-screenshots")
	}
	dir = filepath.Join(dir, t.Name())
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	// A page still loading after a form's redirect has no size yet
	// ("Cannot take screenshot with 0 width"): wait for it, try again.
	var png []byte
	var err error
	for try := 0; try < 5; try++ {
		_ = chromedp.Do(sctx, chromedp.Poll[chromedp.Void](`document.readyState === "complete" && document.documentElement.scrollWidth > 0`))
		if png, err = chromedp.Run(sctx, chromedp.FullScreenshot(100)); err == nil {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", path)
}

// textOf reads the trimmed text of the first element matching sel.
func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(sctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		screenshot(t, ctx, "failed-text")
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// countOf counts the elements matching sel.
func countOf(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	n, err := chromedp.Run(sctx, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(sel)+`).length`))
	if err != nil {
		t.Fatalf("count %s: %v", sel, err)
	}
	return n
}

// waitText waits until the first element matching sel contains text: the
// new page has loaded, not the old one still showing. Evaluations that fail
// while the page navigates are retried.
func waitText(sel, text string) chromedp.Action[chromedp.Void] {
	js := `(() => { const e = document.querySelector(` + strconv.Quote(sel) + `);
		return e !== null && e.textContent.includes(` + strconv.Quote(text) + `) })()`
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		for {
			if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err == nil && ok {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("no %q in %s: %w", text, sel, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

// staffUser creates a staff user with the CLI and returns its password.
func staffUser(t *testing.T, getenv func(string) string, role, email string) string {
	t.Helper()
	out := runCmd(t, getenv, "user", "create", "--role", role, "--email", email)
	m := regexp.MustCompile(`password:\s+(\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no password in %q", out)
	}
	return m[1]
}

// signIn fills the sign-in form.
func signIn(t *testing.T, ctx context.Context, base, email, password string) {
	t.Helper()
	browse(t, ctx, 30*time.Second, "open sign-in",
		chromedp.Navigate(base+"/staff/submissions"),
		chromedp.WaitVisible(chromedp.CSS("form#login-form")))
	screenshot(t, ctx, "01-sign-in")
	browse(t, ctx, 30*time.Second, "sign in",
		chromedp.SendKeys(chromedp.CSS("input#email"), email),
		chromedp.SendKeys(chromedp.CSS("input#password"), password),
		chromedp.Submit(chromedp.CSS("form#login-form")),
		chromedp.WaitVisible(chromedp.CSS("form.signout")))
}

// TestBrowserInterviewerJourney: sign in, find a graded submission in the
// blind list, open its report with its plots, score the rubric and decide.
func TestBrowserInterviewerJourney(t *testing.T) {
	getenv, _, invite := setup(t, nil)
	base := startServe(t, getenv, "--workers", "1")
	password := staffUser(t, getenv, "interviewer", "ivy@example.com")
	good := submit(t, base, invite, "check", submissionArchive(t, "good"))
	wrong := submit(t, base, invite, "check", submissionArchive(t, "wrong"))
	waitStatus(t, base, invite, good, "graded", 3*time.Minute)
	waitStatus(t, base, invite, wrong, "graded", 3*time.Minute)

	ctx := newBrowser(t)
	signIn(t, ctx, base, "ivy@example.com", password)
	screenshot(t, ctx, "02-list")
	if n := countOf(t, ctx, "table#submissions tbody tr"); n != 2 {
		t.Fatalf("%d submissions listed, want 2", n)
	}
	if body := textOf(t, ctx, "table#submissions"); strings.Contains(body, "cand@example.com") {
		t.Fatal("the list is not blind")
	}
	browse(t, ctx, 30*time.Second, "sort by score",
		chromedp.SetValue(chromedp.CSS("select#f-sort"), "score"),
		chromedp.Submit(chromedp.CSS("form.filters")),
		chromedp.WaitVisible(chromedp.CSS("table#submissions")))
	id := strconv.FormatInt(good, 10)
	browse(t, ctx, 30*time.Second, "open report",
		chromedp.Click(chromedp.CSS(`table#submissions a[href="/staff/submissions/`+id+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("#review-form")))
	screenshot(t, ctx, "03-report")
	if got := textOf(t, ctx, ".score"); got != "100" {
		t.Errorf("score of the good submission = %q, want 100", got)
	}
	if n := countOf(t, ctx, "figure.chart svg[role=img]"); n < 1 {
		t.Errorf("%d plots, want at least the cohort distribution", n)
	}
	if n := countOf(t, ctx, "table.phases tbody tr"); n != 2 {
		t.Errorf("%d phases in the timeline, want 2", n)
	}
	browse(t, ctx, 30*time.Second, "fill the rubric",
		chromedp.Click(chromedp.CSS(`input[name=score_overall][value="4"]`)),
		chromedp.SetValue(chromedp.CSS("select#decision"), "advance"),
		chromedp.SendKeys(chromedp.CSS("textarea#comment"), "Clean and correct."))
	screenshot(t, ctx, "04-rubric")
	browse(t, ctx, 30*time.Second, "save the review",
		chromedp.Submit(chromedp.CSS("#review-form")),
		waitText(".flash", "Review saved"))
	screenshot(t, ctx, "05-decided")
	if got := textOf(t, ctx, "p.meta .badge.advance"); got != "advance" {
		t.Errorf("decision badge = %q", got)
	}
	if n := countOf(t, ctx, `input[name=score_overall][value="4"]:checked`); n != 1 {
		t.Error("the rubric score did not stick")
	}
	browse(t, ctx, 30*time.Second, "reveal",
		chromedp.Click(chromedp.CSS("button#reveal")),
		waitText("#candidate", "@"))
	if got := textOf(t, ctx, "#candidate"); got != "cand@example.com" {
		t.Errorf("revealed %q", got)
	}
	screenshot(t, ctx, "06-revealed")

	// On a phone the report fits the width, and the keyboard's first stop
	// is the skip link.
	browse(t, ctx, 30*time.Second, "phone",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(base+"/staff/submissions/"+id),
		chromedp.WaitVisible(chromedp.CSS("#review-form")),
		chromedp.KeyEvent(kb.Tab))
	screenshot(t, ctx, "07-phone")
	fits, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth + 1`))
	if err != nil || !fits {
		t.Errorf("the report is wider than a phone (%v)", err)
	}
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.className`))
	if err != nil || focused != "skip" {
		t.Errorf("first Tab focuses %q (%v), want the skip link", focused, err)
	}
}

// TestBrowserAdminJourney: sign in, build a new version of an exercise with
// a new seed, publish it, invite a candidate to it, revoke the invite.
func TestBrowserAdminJourney(t *testing.T) {
	getenv, _, _ := setup(t, nil)
	base := startServe(t, getenv, "--workers", "1")
	password := staffUser(t, getenv, "admin", "ada@example.com")
	ctx := newBrowser(t)
	signIn(t, ctx, base, "ada@example.com", password)
	browse(t, ctx, 30*time.Second, "open exercises",
		chromedp.Navigate(base+"/admin/exercises"),
		chromedp.WaitVisible(chromedp.CSS("form#new-version")))
	screenshot(t, ctx, "02-exercises")
	browse(t, ctx, 60*time.Second, "build a version",
		chromedp.SetValue(chromedp.CSS("select#slug"), "smoke-sum"),
		chromedp.SetValue(chromedp.CSS("input#seed"), "777"),
		chromedp.Submit(chromedp.CSS("form#new-version")),
		waitText(".flash", "Created"))
	screenshot(t, ctx, "03-draft")
	if flash := textOf(t, ctx, ".flash"); !strings.Contains(flash, "v2 (draft) with seed 777") {
		t.Fatalf("flash = %q", flash)
	}
	browse(t, ctx, 30*time.Second, "publish",
		chromedp.Click(chromedp.Search(`//table[@id="versions"]//tr[td[@class="mono" and normalize-space()="777"]]//button[normalize-space()="Publish"]`)),
		waitText(".flash", "published"))
	if flash := textOf(t, ctx, ".flash"); !strings.Contains(flash, "published") {
		t.Fatalf("flash = %q", flash)
	}
	screenshot(t, ctx, "04-published")
	browse(t, ctx, 30*time.Second, "invite",
		chromedp.Navigate(base+"/admin/invites"),
		chromedp.WaitVisible(chromedp.CSS("form#invite-form")),
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById('version');
			for (const o of s.options) { if (o.textContent.indexOf('smoke-sum v2') === 0) { s.value = o.value } } })()`),
		chromedp.SendKeys(chromedp.CSS("input#inv-email"), "new.candidate@example.com"),
		chromedp.Submit(chromedp.CSS("form#invite-form")),
		chromedp.WaitVisible(chromedp.CSS("#created-invites")))
	screenshot(t, ctx, "05-invited")
	link, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#created-invites input.invite-link")))
	if err != nil || !regexp.MustCompile(`/invite/inv_[A-Za-z0-9_-]{43}$`).MatchString(link) {
		t.Fatalf("invite link %q, %v", link, err)
	}
	browse(t, ctx, 10*time.Second, "copy the link",
		chromedp.Click(chromedp.CSS("#created-invites button.copy-button")),
		waitText("#created-invites button.copy-button", "Copied"))
	if got := textOf(t, ctx, "table#invites tbody tr td:nth-child(3)"); got != "smoke-sum v2" {
		t.Errorf("newest invite is for %q, want smoke-sum v2", got)
	}
	browse(t, ctx, 30*time.Second, "revoke",
		chromedp.Click(chromedp.CSS(`table#invites tbody tr:first-child button.danger`)),
		waitText(".flash", "revoked"))
	screenshot(t, ctx, "06-revoked")
	if got := textOf(t, ctx, "table#invites tbody tr:first-child .badge"); got != "revoked" {
		t.Errorf("state after revoke = %q", got)
	}
	// The revoked link now shows the candidate a clear page.
	token := link[strings.LastIndex(link, "/")+1:]
	browse(t, ctx, 30*time.Second, "open revoked link",
		chromedp.Navigate(base+"/invite/"+token),
		chromedp.WaitVisible(chromedp.CSS("main h1")))
	screenshot(t, ctx, "07-revoked-link")
	if h := textOf(t, ctx, "main h1"); !strings.Contains(strings.ToLower(h), "revoked") {
		t.Errorf("revoked link heading = %q", h)
	}
}

// TestBrowserAdminReferenceRuns: an admin runs the tabular exercise's
// reference submissions against its version before inviting anyone, sees
// their scores on the exercises page, and opens one report with its plots.
// The version is made one built before the monitor phase (its spec loses
// the phase), as many stored versions are: it gets the three references
// that ran on it then, and they run as they did (the monitor's sixty weeks
// a final run are exercised by the tabular package's reference tests).
func TestBrowserAdminReferenceRuns(t *testing.T) {
	getenv, _, _ := setup(t, nil)
	err := openTestDB(t, getenv).Exec(`UPDATE exercise_versions SET spec = jsonb_set(spec, '{phases}',
		(SELECT jsonb_agg(p) FROM jsonb_array_elements(spec->'phases') p WHERE p->>'name' <> 'monitor'))
		WHERE slug = 'tabular-churn'`).Error
	if err != nil {
		t.Fatal(err)
	}
	base := startServe(t, getenv, "--workers", "2")
	password := staffUser(t, getenv, "admin", "ada@example.com")
	ctx := newBrowser(t)
	signIn(t, ctx, base, "ada@example.com", password)
	run := `//table[@id="versions"]//tr[td[starts-with(normalize-space(), "tabular-churn")]]//button[normalize-space()="Run references"]`
	browse(t, ctx, 30*time.Second, "run references",
		chromedp.Navigate(base+"/admin/exercises"),
		chromedp.WaitVisible(chromedp.CSS("table#versions")),
		chromedp.Click(chromedp.Search(run)),
		waitText(".flash", "Queued 3 reference submissions"))
	screenshot(t, ctx, "02-queued")
	// Three references, each a check and a final run, all graded.
	graded := `document.querySelectorAll('table#versions tr td .badge.graded').length`
	deadline := time.Now().Add(10 * time.Minute)
	for {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](graded))
		if err == nil && n == 6 {
			break
		}
		if time.Now().After(deadline) {
			screenshot(t, ctx, "failed-graded")
			t.Fatalf("%d of 6 reference runs graded after 10 minutes (%v)", n, err)
		}
		time.Sleep(5 * time.Second)
		browse(t, ctx, 30*time.Second, "reload", chromedp.Navigate(base+"/admin/exercises"), chromedp.WaitVisible(chromedp.CSS("table#versions")))
	}
	screenshot(t, ctx, "03-scores")
	browse(t, ctx, 30*time.Second, "open the careful final",
		chromedp.Click(chromedp.Search(`//table[@id="versions"]//div[starts-with(normalize-space(), "careful (final)")]/a`)),
		chromedp.WaitVisible(chromedp.CSS("#review-form")))
	screenshot(t, ctx, "04-report")
	if n := countOf(t, ctx, "figure.chart svg[role=img]"); n < 4 {
		t.Errorf("%d plots, want ROC, precision-recall, reliability and the cohort", n)
	}
	if got := textOf(t, ctx, "#candidate"); !strings.HasPrefix(got, "Candidate ") {
		t.Errorf("candidate = %q", got)
	}
}
