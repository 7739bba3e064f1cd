package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"takehome/grader"
)

var errDatabaseDown = errors.New("dial tcp 10.0.0.5:5432: connection refused")

func TestListSubmissions(t *testing.T) {
	e := newEnv(t)
	rec := e.get("/api/v1/submissions?exercise_version_id=1&status=queued&limit=10&offset=0", tokenInterviewer)
	wantStatus(t, rec, 200)
	var got submissionList
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, s := range got.Submissions {
		ids = append(ids, s.ID)
	}
	if diff := cmp.Diff([]int64{4, 3}, ids); diff != "" || got.Limit != 10 {
		t.Errorf("ids (-want +got):\n%s limit %d", diff, got.Limit)
	}
	want := grader.SubmissionFilter{VersionID: 1, Status: grader.StatusQueued, Limit: 10}
	if diff := cmp.Diff(want, e.store.filters[0]); diff != "" {
		t.Errorf("filter (-want +got):\n%s", diff)
	}
}

func TestListSubmissionsDefaultsAndEmpty(t *testing.T) {
	e := newEnv(t)
	rec := e.get("/api/v1/submissions?exercise_version_id=7", tokenAdmin)
	wantStatus(t, rec, 200)
	if !strings.Contains(rec.Body.String(), `"submissions":[]`) {
		t.Errorf("empty list = %s", rec.Body)
	}
	if f := e.store.filters[0]; f.Limit != defaultListLimit || f.Offset != 0 || f.Status != "" {
		t.Errorf("filter = %+v", f)
	}
}

func TestListSubmissionsBadFilters(t *testing.T) {
	for _, q := range []string{"status=done", "limit=0", "limit=201", "limit=x", "offset=-1", "exercise_version_id=abc", "exercise_version_id=0"} {
		t.Run(q, func(t *testing.T) {
			e := newEnv(t)
			wantError(t, e.get("/api/v1/submissions?"+q, tokenInterviewer), 400, grader.CodeInvalid, "")
		})
	}
}

func TestStaffGetSubmission(t *testing.T) {
	e := newEnv(t)
	rec := e.get("/api/v1/submissions/1", tokenInterviewer)
	wantStatus(t, rec, 200)
	body := rec.Body.String()
	for _, want := range []string{`"invite_id":1`, `"job_id":1001`, `"score":87.5`, `"report"`, "INTERVIEWER-FINDING"} {
		if !strings.Contains(body, want) {
			t.Errorf("staff view lacks %s: %s", want, body)
		}
	}
	wantAudit(t, e, grader.AuditEvent{Actor: "user:2", Action: "report.read", Target: "submission:1", At: testNow})

	queued := newEnv(t)
	rec = queued.get("/api/v1/submissions/3", tokenAdmin)
	wantStatus(t, rec, 200)
	if strings.Contains(rec.Body.String(), "report") || len(queued.store.auditLog()) != 0 {
		t.Errorf("queued submission: %s, audit %v", rec.Body, queued.store.auditLog())
	}
}

func TestGetReport(t *testing.T) {
	e := newEnv(t)
	rec := e.get("/api/v1/submissions/2/report", tokenInterviewer)
	wantStatus(t, rec, 200)
	var got grader.Report
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(*e.store.reports[2], got); diff != "" {
		t.Errorf("report (-stored +served):\n%s", diff)
	}
	wantAudit(t, e, grader.AuditEvent{Actor: "user:2", Action: "report.read", Target: "submission:2", At: testNow})
}

func TestGetReportNotFound(t *testing.T) {
	e := newEnv(t)
	wantError(t, e.get("/api/v1/submissions/3/report", tokenAdmin), 404, grader.CodeNotFound, "submission 3 is not graded yet")
	wantError(t, e.get("/api/v1/submissions/12/report", tokenAdmin), 404, grader.CodeNotFound, "submission 12 not found")
	if len(e.store.auditLog()) != 0 {
		t.Errorf("audited a read that showed nothing: %v", e.store.auditLog())
	}
}

func TestGetReportAuditFailureHidesReport(t *testing.T) {
	e := newEnv(t)
	e.store.fail["AddAudit"] = errDatabaseDown
	rec := e.get("/api/v1/submissions/1/report", tokenAdmin)
	wantError(t, rec, 500, grader.CodeInternal, "internal error")
	if strings.Contains(rec.Body.String(), "CHECK-LOG") {
		t.Error("report served without an audit record")
	}
}

func TestCancelSubmission(t *testing.T) {
	e := newEnv(t)
	rec := e.post("/api/v1/submissions/3/cancel", tokenAdmin)
	wantStatus(t, rec, 202)
	if got := decode(t, rec)["status"]; got != "canceled" {
		t.Errorf("status = %v", got)
	}
	if diff := cmp.Diff([]int64{1003}, e.store.canceled); diff != "" {
		t.Errorf("canceled jobs (-want +got):\n%s", diff)
	}
	wantAudit(t, e, grader.AuditEvent{Actor: "user:1", Action: "submission.cancel", Target: "submission:3",
		Detail: json.RawMessage(`{"job_id":1003,"status":"queued"}`), At: testNow})
}

func TestCancelSubmissionRefused(t *testing.T) {
	e := newEnv(t)
	wantError(t, e.post("/api/v1/submissions/1/cancel", tokenAdmin), 409, grader.CodeConflict, "submission 1 is already graded")
	wantError(t, e.post("/api/v1/submissions/99/cancel", tokenAdmin), 404, grader.CodeNotFound, "submission 99 not found")
	wantError(t, e.post("/api/v1/submissions/3/cancel", tokenInterviewer), 403, grader.CodeForbidden, "")
	if len(e.store.canceled) != 0 || len(e.store.auditLog()) != 0 {
		t.Errorf("canceled %v, audit %v", e.store.canceled, e.store.auditLog())
	}
}

func wantAudit(t *testing.T, e *env, want ...grader.AuditEvent) {
	t.Helper()
	if diff := cmp.Diff(want, e.store.auditLog()); diff != "" {
		t.Errorf("audit log (-want +got):\n%s", diff)
	}
}

// The report sums up the run's model calls per phase and model, marks the
// phase the budget stopped, and links the call log, which lists each call
// with its prompt and answer.
func TestReportShowsModelUse(t *testing.T) {
	e := newStaffEnv(t)
	d := spDoc(t, e.get("/staff/submissions/"+itoa(e.subA.ID), e.interviewerSession), http.StatusOK)
	row := d.Find("table.models tbody tr")
	if row.Length() != 1 {
		t.Fatalf("%d model rows", row.Length())
	}
	text := strings.Join(strings.Fields(row.Text()), " ")
	for _, want := range []string{"solve", "builtin", "1 (1 by the budget)", "40 / 9", "$0.000321", "120ms / 120ms", "30ms / 30ms"} {
		if !strings.Contains(text, want) {
			t.Errorf("model row %q lacks %q", text, want)
		}
	}
	if d.Find("table.phases .badge.budget_exceeded").Length() != 1 {
		t.Error("the solve phase does not show the budget_exceeded ending")
	}
	if !strings.Contains(d.Text(), "builtin offline stand-ins") {
		t.Error("the report does not say the models were stand-ins")
	}
	calls := spDoc(t, e.get("/staff/submissions/"+itoa(e.subA.ID)+"/calls", e.interviewerSession), http.StatusOK)
	if n := calls.Find("details.call").Length(); n != 2 {
		t.Fatalf("%d calls in the log, want 2", n)
	}
	if got := calls.Find("details.call .badge").Eq(1).Text(); got != "budget_exceeded" {
		t.Errorf("second call's status %q", got)
	}
	if !strings.Contains(calls.Find("details.call pre").First().Text(), `"role":"user"`) {
		t.Error("the call log does not show the prompt")
	}
}

// A candidate's self-check report lists its own model calls with their
// prompts; a call made on hidden data never shows there.
func TestSelfCheckShowsOwnModelCalls(t *testing.T) {
	e := newStaffEnv(t)
	ctx := t.Context()
	rep, err := e.store.FindReport(ctx, e.subA.ID)
	if err != nil {
		t.Fatal(err)
	}
	hidden := grader.ModelCall{RunID: rep.RunID, Phase: "solve", Step: "solve", Hidden: true, Endpoint: "chat.completions",
		Model: "gpt-hidden-only", Provider: grader.BuiltinProvider, ReservedMicro: 1, StartedAt: pageNow.Add(-22 * time.Minute)}
	if err := e.store.RecordLLMRefusal(ctx, hidden, pageNow.Add(-22*time.Minute)); err != nil {
		t.Fatal(err)
	}
	page := e.get("/invite/"+e.tokenA+"/submissions/"+itoa(e.subA.ID), "")
	d := spDoc(t, page, http.StatusOK)
	if d.Find("#model-calls table.models tbody tr").Length() != 1 {
		t.Fatalf("model use rows: %d\n%s", d.Find("#model-calls table.models tbody tr").Length(), page.Body)
	}
	if n := d.Find("details.calls details.call").Length(); n != 2 {
		t.Errorf("%d calls listed, want the 2 of the self-check", n)
	}
	if strings.Contains(page.Body.String(), "gpt-hidden-only") {
		t.Error("a call on hidden data shows on the candidate's page")
	}
	if !strings.Contains(d.Find("details.calls pre").First().Text(), `"role":"user"`) {
		t.Error("the candidate does not see the prompt of their own call")
	}
}
