package web

import (
	"strings"
	"testing"

	"takehome/grader"
)

func TestCandidateSeesCheckReport(t *testing.T) {
	e := newEnv(t)
	rec := e.get("/api/v1/submissions/1", tokenA)
	wantStatus(t, rec, 200)
	body := rec.Body.String()
	for _, want := range []string{`"report"`, `"result"`, `"score":87.5`, `"verdict":"ok"`, "CHECK-LOG train", "CHECK-LOG predict"} {
		if !strings.Contains(body, want) {
			t.Errorf("check report lacks %s: %s", want, body)
		}
	}
	for _, secret := range []string{"INTERVIEWER-FINDING", "image_id", "run_id", "invite_id", "job_id"} {
		if strings.Contains(body, secret) {
			t.Errorf("candidate view contains %s: %s", secret, body)
		}
	}
	if len(e.store.auditLog()) != 0 {
		t.Error("a candidate's read was audited as a staff read")
	}
}

// hiddenRunMarkers are strings of a final run's report and score.
var hiddenRunMarkers = []string{"result", "score", "report", "phases", "log", "verdict", "HIDDEN", "91", "archive_sha256"}

func TestCandidateFinalShowsStatusOnly(t *testing.T) {
	e := newEnv(t)
	rec := e.get("/api/v1/submissions/2", tokenA)
	wantStatus(t, rec, 200)
	want := `{"id":2,"mode":"final","status":"graded","created_at":"2026-03-01T10:00:00Z","graded_at":"2026-03-01T11:00:00Z"}`
	if got := rec.Body.String(); got != want {
		t.Errorf("body = %s\nwant   %s", got, want)
	}
	assertNoHiddenRun(t, rec.Body.String())
	// Even a report mislabelled as belonging to a check submission stays hidden.
	e.store.subs[2].Mode = "check"
	mislabelled := e.get("/api/v1/submissions/2", tokenA).Body.String()
	if strings.Contains(mislabelled, "HIDDEN") || strings.Contains(mislabelled, `"report"`) {
		t.Errorf("a hidden run's report leaked: %s", mislabelled)
	}
}

func TestCandidateFinalUploadShowsNoRun(t *testing.T) {
	e := newEnv(t)
	rec := e.upload(tokenB, map[string]string{"mode": "final"}, []byte("zip"), nil)
	wantStatus(t, rec, 202)
	for _, marker := range []string{"result", "score", "report", "phases", "log"} {
		if strings.Contains(rec.Body.String(), `"`+marker) {
			t.Errorf("final upload response contains %q: %s", marker, rec.Body)
		}
	}
}

func assertNoHiddenRun(t *testing.T, body string) {
	t.Helper()
	for _, marker := range hiddenRunMarkers {
		if strings.Contains(body, marker) {
			t.Errorf("final submission response contains %q: %s", marker, body)
		}
	}
}

func TestCandidateIsolation(t *testing.T) {
	e := newEnv(t)
	other := e.get("/api/v1/submissions/1", tokenB)
	missing := e.get("/api/v1/submissions/999", tokenB)
	wantError(t, other, 404, grader.CodeNotFound, "submission 1 not found")
	wantError(t, missing, 404, grader.CodeNotFound, "submission 999 not found")
	if strings.Replace(other.Body.String(), "1", "999", 1) != missing.Body.String() {
		t.Errorf("another's submission answers differently from a missing one:\n%s\n%s", other.Body, missing.Body)
	}
	wantStatus(t, e.get("/api/v1/submissions/4", tokenB), 200)
	wantError(t, e.get("/api/v1/submissions/4", tokenA), 404, grader.CodeNotFound, "submission 4 not found")
}

func TestCandidateRevokedSeesOwnStatus(t *testing.T) {
	e := newEnv(t)
	e.store.subs[3].InviteID = 3 // the queued final now belongs to the revoked invite
	rec := e.get("/api/v1/submissions/3", tokenRevoked)
	wantStatus(t, rec, 200)
	if got := decode(t, rec)["status"]; got != "queued" {
		t.Errorf("status = %v", got)
	}
}

func TestCandidateCheckNotGradedYet(t *testing.T) {
	e := newEnv(t)
	rec := e.get("/api/v1/submissions/4", tokenB)
	wantStatus(t, rec, 200)
	if strings.Contains(rec.Body.String(), "report") {
		t.Errorf("queued submission has a report: %s", rec.Body)
	}
}

func TestBadSubmissionID(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/api/v1/submissions/abc", "/api/v1/submissions/0/report", "/api/v1/submissions/-1/cancel"} {
		method := "GET"
		if strings.HasSuffix(path, "cancel") {
			method = "POST"
		}
		token := tokenInterviewer
		if method == "POST" {
			token = tokenAdmin
		}
		rec := e.do(request{method: method, path: path, token: token})
		wantError(t, rec, 400, grader.CodeInvalid, "")
	}
}
