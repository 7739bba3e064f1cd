package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"takehome/grader"
)

func TestSubmissionListIsBlindFilteredAndSorted(t *testing.T) {
	e := newStaffEnv(t)
	d := spDoc(t, e.get("/staff/submissions?sort=score", e.interviewerSession), http.StatusOK)
	rows := d.Find("table#submissions tbody tr")
	if rows.Length() != 3 {
		t.Fatalf("%d rows, want 3", rows.Length())
	}
	var scores []string
	rows.Each(func(_ int, r *goquery.Selection) { scores = append(scores, spText(r.Find("td.num"))) })
	if strings.Join(scores, ",") != "80,72.5,—" {
		t.Fatalf("scores by score = %v", scores)
	}
	if strings.Contains(d.Text(), "cand-a") || strings.Contains(d.Text(), "cand-b") {
		t.Fatal("the list shows candidate emails")
	}
	if got := spText(rows.First().Find("td").Eq(1)); got != "Candidate "+itoa(e.inviteA.ID) {
		t.Fatalf("candidate label = %q", got)
	}
	d = spDoc(t, e.get("/staff/submissions?status=queued", e.interviewerSession), http.StatusOK)
	if n := d.Find("table#submissions tbody tr").Length(); n != 1 {
		t.Fatalf("queued rows = %d", n)
	}
	if sel := d.Find(`#f-status option[selected]`); sel.AttrOr("value", "") != "queued" {
		t.Fatal("the filter form does not keep the status")
	}
	d = spDoc(t, e.get("/staff/submissions?decision=advance", e.interviewerSession), http.StatusOK)
	if d.Find("table#submissions").Length() != 0 || !strings.Contains(d.Text(), "No submissions match") {
		t.Fatal("decision filter matched undecided submissions")
	}
	spDoc(t, e.get("/staff/submissions?sort=bogus", e.interviewerSession), http.StatusBadRequest)
	spDoc(t, e.get("/staff/submissions?page=0", e.interviewerSession), http.StatusBadRequest)
}

func TestReportPageShowsEverything(t *testing.T) {
	e := newStaffEnv(t)
	d := spDoc(t, e.get("/staff/submissions/"+itoa(e.subA.ID), e.interviewerSession), http.StatusOK)
	checks := map[string]string{
		".score":                     "72.5",
		".headline-metric .interval": "95% interval 0.75 – 0.86",
		"table.metrics tbody tr th":  "accuracy",
		"table.phases tbody tr th":   "learn",
		"#candidate":                 "Candidate " + itoa(e.inviteA.ID),
	}
	for sel, want := range checks {
		if got := spText(d.Find(sel).First()); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	if n := d.Find("figure.chart svg").Length(); n < 2 {
		t.Errorf("%d SVG plots, want the ROC chart and the cohort histogram", n)
	}
	if d.Find(`figure.chart svg[role=img] title`).Length() == 0 {
		t.Error("plots lack an accessible title")
	}
	if got := spText(d.Find("table.phases tbody tr").First()); !strings.Contains(got, "1.5s") || !strings.Contains(got, "12 MB") && !strings.Contains(got, "12.0 MiB") && !strings.Contains(got, "MiB") && !strings.Contains(got, "MB") {
		t.Errorf("phase row = %q, want duration and memory", got)
	}
	if got := spText(d.Find("table.phases tbody tr td").Eq(4)); got != "runsc" {
		t.Errorf("phase runtime cell = %q, want runsc", got)
	}
	if d.Find("svg.timeline rect").Length() != 2 || !strings.Contains(d.Find("svg.timeline desc").Text(), "2 steps, 3.5s") {
		t.Errorf("timeline = %q", d.Find("svg.timeline").Text())
	}
	log := d.Find("details.log pre").First().Text()
	if strings.Contains(log, "\x1b") || !strings.Contains(log, "red ") || !strings.Contains(log, "of log not kept") {
		t.Errorf("log = %q: want ANSI stripped and the dropped marker", log)
	}
	if d.Find("div.notes h1").Length() != 1 {
		t.Error("notes are not rendered from Markdown")
	}
	if d.Find(`.tree a[href^="/staff/submissions/`+itoa(e.subA.ID)+`/code?file="]`).Length() != 5 {
		t.Errorf("code tree links = %d, want 4", d.Find(".tree a").Length())
	}
	if d.Find(`#review-form fieldset`).Length() != 1 || d.Find(`#review-form input[type=radio]`).Length() != 4 {
		t.Error("the smoke exercise's rubric is one criterion scored 1 to 4")
	}
	if !strings.Contains(e.auditActions(), "report.view user:"+itoa(e.interviewer.ID)+" submission:"+itoa(e.subA.ID)) {
		t.Error("reading the report is not audited")
	}
	// Interviewers cannot regrade; admins see the button.
	if d.Find(`form[action$="/regrade"]`).Length() != 0 {
		t.Error("an interviewer sees the regrade button")
	}
	d = spDoc(t, e.get("/staff/submissions/"+itoa(e.subA.ID), e.adminSession), http.StatusOK)
	if d.Find(`form[action$="/regrade"]`).Length() != 1 {
		t.Error("an admin lacks the regrade button")
	}
	// Ungraded, and without notes in a manifest: the archive's NOTES.md.
	d = spDoc(t, e.get("/staff/submissions/"+itoa(e.subB.ID), e.adminSession), http.StatusOK)
	if d.Find("div.notes h1").Text() != "My approach" || !strings.Contains(d.Find("h2 + p.muted").Text(), "NOTES.md") {
		t.Errorf("archive notes not shown: %q", d.Find("div.notes").Text())
	}
	spDoc(t, e.get("/staff/submissions/999999", e.adminSession), http.StatusNotFound)
	spDoc(t, e.get("/staff/submissions/abc", e.adminSession), http.StatusNotFound)
}

func TestRevealIsAuditedAndNeedsAPost(t *testing.T) {
	e := newStaffEnv(t)
	path := "/staff/submissions/" + itoa(e.subA.ID)
	d := spDoc(t, e.post(path+"/reveal", e.interviewerSession, nil), http.StatusOK)
	if got := spText(d.Find("#candidate")); !strings.HasPrefix(got, "cand-a") {
		t.Fatalf("revealed candidate = %q", got)
	}
	if !strings.Contains(e.auditActions(), "candidate.reveal user:"+itoa(e.interviewer.ID)+" submission:"+itoa(e.subA.ID)) {
		t.Fatal("reveal not audited")
	}
	rec := e.do(pageReq{method: http.MethodPost, path: path + "/reveal", session: e.interviewerSession})
	spDoc(t, rec, http.StatusForbidden) // no CSRF token: a link on another site cannot reveal
}

func TestReviewSavesRubricAndDecision(t *testing.T) {
	e := newStaffEnv(t)
	path := "/staff/submissions/" + itoa(e.subA.ID)
	comment := "Solid. " + xssAll
	rec := e.post(path+"/review", e.interviewerSession, url.Values{"score_overall": {"3"}, "decision": {"advance"}, "comment": {comment}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("save review = %d: %s", rec.Code, rec.Body)
	}
	d := spDoc(t, e.get(path, e.interviewerSession), http.StatusOK)
	if v, _ := d.Find(`input[name=score_overall][checked]`).Attr("value"); v != "3" {
		t.Fatalf("checked score = %q", v)
	}
	if d.Find(`#decision option[selected]`).AttrOr("value", "") != "advance" || d.Find("#comment").Text() != comment {
		t.Fatal("decision or comment not kept")
	}
	d = spDoc(t, e.get("/staff/submissions?decision=advance", e.adminSession), http.StatusOK)
	if n := d.Find("table#submissions tbody tr").Length(); n != 1 {
		t.Fatalf("advance filter rows = %d", n)
	}
	for form, want := range map[string]int{"5": 400, "x": 400} {
		rec := e.post(path+"/review", e.interviewerSession, url.Values{"score_overall": {form}})
		spDoc(t, rec, want)
	}
	spDoc(t, e.post(path+"/review", e.interviewerSession, url.Values{"decision": {"maybe"}}), http.StatusBadRequest)
	if !strings.Contains(e.auditActions(), "review.save user:"+itoa(e.interviewer.ID)) {
		t.Fatal("review not audited")
	}
}

func TestCodeBrowserAndCompare(t *testing.T) {
	e := newStaffEnv(t)
	base := "/staff/submissions/" + itoa(e.subA.ID) + "/code"
	d := spDoc(t, e.get(base+"?file=src/main.py", e.interviewerSession), http.StatusOK)
	if d.Find(".code pre").Length() == 0 || !strings.Contains(d.Find(".code").Text(), "print(") {
		t.Fatalf("highlighted code missing: %s", d.Find(".code").Text())
	}
	if d.Find(`link[href^="/static/highlight.css?v="]`).Length() != 1 {
		t.Error("the highlighting stylesheet is not linked")
	}
	spDoc(t, e.get(base+"?file=nope.py", e.interviewerSession), http.StatusNotFound)
	spDoc(t, e.get(base+"?file=../../etc/passwd", e.interviewerSession), http.StatusNotFound)
	css := e.get("/static/highlight.css", "")
	if css.Code != 200 || !strings.Contains(css.Body.String(), ".hl-") {
		t.Fatalf("highlight.css = %d", css.Code)
	}
	d = spDoc(t, e.get("/staff/compare?a="+itoa(e.subA.ID)+"&b="+itoa(e.subFinal.ID), e.interviewerSession), http.StatusOK)
	if n := d.Find(".side-by-side article").Length(); n != 2 {
		t.Fatalf("%d sides", n)
	}
	if got := spText(d.Find(".side-by-side article .score").First()) + " " + spText(d.Find(".side-by-side article .score").Last()); got != "72.5 80" {
		t.Fatalf("scores = %q", got)
	}
	spDoc(t, e.get("/staff/compare?a=1", e.interviewerSession), http.StatusBadRequest)
}

func TestRegradeFromTheReport(t *testing.T) {
	e := newStaffEnv(t)
	rec := e.post("/admin/submissions/"+itoa(e.subA.ID)+"/regrade", e.adminSession, nil)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("regrade = %d: %s", rec.Code, rec.Body)
	}
	sub, _ := e.store.FindSubmission(t.Context(), e.subA.ID)
	if sub.Status != grader.StatusQueued || sub.JobID == 0 {
		t.Fatalf("after regrade = %+v", sub)
	}
	d := spDoc(t, e.do(pageReq{method: http.MethodGet, path: "/staff/submissions/" + itoa(e.subA.ID), session: e.adminSession,
		cookies: rec.Result().Cookies()}), http.StatusOK)
	if !strings.Contains(d.Text(), "Not graded yet") || !strings.Contains(spText(d.Find(".flash")), "queued for regrading") {
		t.Fatal("the report page does not show the regrade")
	}
	spDoc(t, e.post("/admin/submissions/"+itoa(e.subB.ID)+"/regrade", e.adminSession, nil), http.StatusConflict)
}
