package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"takehome/exercises"
	"takehome/grader"
	"takehome/internal/postgres"
)

func mustRun(t *testing.T, s *postgres.Store) (*grader.Submission, *grader.Run) {
	t.Helper()
	inv, _ := mustInvite(t, s, nil)
	sub := mustSubmit(t, s, inv.ID, exercises.ModeFinal, "zip")
	run, err := s.StartRun(t.Context(), sub.ID, "w1", t0)
	if err != nil {
		t.Fatal(err)
	}
	return sub, run
}

func TestStartRunAbandonsEarlierRuns(t *testing.T) {
	s, _ := newStore(t)
	sub, first := mustRun(t, s)
	want1 := grader.Run{ID: first.ID, SubmissionID: sub.ID, Attempt: 1, Worker: "w1", Status: "running", StartedAt: t0}
	if diff := cmp.Diff(&want1, first); diff != "" {
		t.Errorf("first run (-want +got):\n%s", diff)
	}
	if err := s.SetRunSandbox(t.Context(), first.ID, "sha256:abc", "runsc"); err != nil {
		t.Fatal(err)
	}
	t1 := t0.Add(time.Minute)
	second, err := s.StartRun(t.Context(), sub.ID, "w2", t1)
	if err != nil {
		t.Fatal(err)
	}
	want1.Status, want1.ImageID, want1.Runtime, want1.FinishedAt = "abandoned", "sha256:abc", "runsc", &t1
	want2 := grader.Run{ID: second.ID, SubmissionID: sub.ID, Attempt: 2, Worker: "w2", Status: "running", StartedAt: t1}
	runs, err := s.ListRuns(t.Context(), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]grader.Run{want1, want2}, runs); diff != "" {
		t.Errorf("runs (-want +got):\n%s", diff)
	}
	got, err := s.FindSubmission(t.Context(), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != grader.StatusRunning {
		t.Errorf("submission status = %s, want running", got.Status)
	}

	if err := s.FinishRun(t.Context(), second.ID, "infra_error", "docker died\x00", t1); err != nil {
		t.Fatal(err)
	}
	runs, err = s.ListRuns(t.Context(), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r := runs[1]; r.Status != "infra_error" || r.Error != "docker died\uFFFD" || r.FinishedAt == nil {
		t.Errorf("finished run = %+v", r)
	}
	wantCode(t, s.FinishRun(t.Context(), second.ID, "exploded", "", t1), grader.CodeInvalid, "")
	wantCode(t, s.FinishRun(t.Context(), second.ID+100, "done", "", t1), grader.CodeNotFound, "")
	wantCode(t, s.SetRunSandbox(t.Context(), second.ID+100, "x", "runc"), grader.CodeNotFound, "")
	_, err = s.StartRun(t.Context(), sub.ID+100, "w", t1)
	wantCode(t, err, grader.CodeNotFound, "")
}

func testReport(sub *grader.Submission, run *grader.Run) *grader.Report {
	score := 87.5
	return &grader.Report{
		SubmissionID: sub.ID, RunID: run.ID, Exercise: "inv-test", Version: 1, Mode: sub.Mode, ImageID: "sha256:abc",
		Phases: []grader.PhaseRecord{
			{Step: "train", Phase: "train", Verdict: grader.VerdictOK, Wall: 1500 * time.Millisecond, PeakMemory: 1 << 20, Log: grader.Log{Head: "epoch 1\n"}},
			{Step: "predict", Phase: "predict", Verdict: grader.VerdictExitNonzero, Reason: "exit 1", ExitCode: 1, Wall: 2 * time.Second,
				Log: grader.Log{Head: "start", Tail: "Traceback", Dropped: 123}},
		},
		Result:   &exercises.Result{Valid: true, Score: &score, Findings: []string{"good"}},
		GradedAt: t0.Add(time.Hour),
	}
}

func TestSaveReport(t *testing.T) {
	s, tx := newStore(t)
	sub, run := mustRun(t, s)
	rep := testReport(sub, run)
	var completed bool
	err := s.SaveReport(t.Context(), rep, func(ctx context.Context, stx *sql.Tx) error {
		completed = true
		var n int
		return stx.QueryRowContext(ctx, "SELECT count(*) FROM reports WHERE submission_id = $1", sub.ID).Scan(&n)
	})
	if err != nil || !completed {
		t.Fatalf("completed %v, %v", completed, err)
	}
	got, err := s.FindReport(t.Context(), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rep, got); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
	phases, err := s.ListPhases(t.Context(), run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rep.Phases, phases); diff != "" {
		t.Errorf("phases (-want +got):\n%s", diff)
	}
	graded, err := s.FindSubmission(t.Context(), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if graded.Status != grader.StatusGraded || graded.Score == nil || *graded.Score != 87.5 || graded.GradedAt == nil || !graded.GradedAt.Equal(rep.GradedAt) {
		t.Errorf("submission = %+v, want graded with score 87.5 at %v", graded, rep.GradedAt)
	}
	if n := count(t, tx, "SELECT count(*) FROM runs WHERE id = ? AND status = 'done' AND finished_at IS NOT NULL", run.ID); n != 1 {
		t.Error("run not done")
	}

	// Exactly once: a second report, from this run or a later one, conflicts.
	err = s.SaveReport(t.Context(), rep, nil)
	wantCode(t, err, grader.CodeConflict, "")
	_, err = s.StartRun(t.Context(), sub.ID, "w3", t0)
	wantCode(t, err, grader.CodeConflict, "")

	_, err = s.FindReport(t.Context(), sub.ID+100)
	wantCode(t, err, grader.CodeNotFound, "")
}

func TestSaveReportCompleteFails(t *testing.T) {
	s, tx := newStore(t)
	sub, run := mustRun(t, s)
	boom := errors.New("job gone")
	err := s.SaveReport(t.Context(), testReport(sub, run), func(context.Context, *sql.Tx) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("error = %v, want %v", err, boom)
	}
	for _, q := range []string{
		"SELECT count(*) FROM reports",
		"SELECT count(*) FROM phases",
		"SELECT count(*) FROM submissions WHERE status <> 'running' OR score IS NOT NULL",
		"SELECT count(*) FROM runs WHERE status <> 'running'",
	} {
		if n := count(t, tx, q); n != 0 {
			t.Errorf("%s = %d, want 0", q, n)
		}
	}
	// Nothing was stored, so a retry succeeds.
	if err := s.SaveReport(t.Context(), testReport(sub, run), nil); err != nil {
		t.Fatal(err)
	}
}

func TestSaveReportRefused(t *testing.T) {
	s, _ := newStore(t)
	sub, run := mustRun(t, s)
	other, otherRun := mustRun(t, s)
	tests := []struct {
		name string
		rep  *grader.Report
		code grader.Code
	}{
		{"nil", nil, grader.CodeInvalid},
		{"unknown submission", &grader.Report{SubmissionID: other.ID + 100, RunID: run.ID}, grader.CodeNotFound},
		{"run of another submission", &grader.Report{SubmissionID: sub.ID, RunID: otherRun.ID}, grader.CodeNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, s.SaveReport(t.Context(), tt.rep, nil), tt.code, "")
		})
	}
}

// TestSaveReportStoresAnyLog checks that what a candidate's program prints,
// NUL bytes and invalid UTF-8 included, cannot make saving fail.
func TestSaveReportStoresAnyLog(t *testing.T) {
	s, _ := newStore(t)
	sub, run := mustRun(t, s)
	rep := testReport(sub, run)
	rep.Phases[0].Log = grader.Log{Head: "nul\x00 bad\xff utf8", Tail: `literal \u0000`}
	rep.Result.Findings = []string{"nul\x00 in a finding"}
	if err := s.SaveReport(t.Context(), rep, nil); err != nil {
		t.Fatal(err)
	}
	phases, err := s.ListPhases(t.Context(), run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := (grader.Log{Head: "nul\uFFFD bad\uFFFD utf8", Tail: `literal \u0000`}); phases[0].Log != want {
		t.Errorf("log = %+v, want %+v", phases[0].Log, want)
	}
	got, err := s.FindReport(t.Context(), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Result.Findings[0] != "nul\uFFFD in a finding" {
		t.Errorf("finding = %q", got.Result.Findings[0])
	}
}

// A stale attempt that settles late (its job was rescued and graded
// elsewhere) cannot send a graded submission back to the queue.
func TestGradedSubmissionKeepsItsStatus(t *testing.T) {
	s, _ := newStore(t)
	sub, run := mustRun(t, s)
	if err := s.SetSubmissionStatus(t.Context(), sub.ID, grader.StatusRunning); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveReport(t.Context(), testReport(sub, run), nil); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSubmissionStatus(t.Context(), sub.ID, grader.StatusQueued); err != nil {
		t.Fatal(err)
	}
	if got, err := s.FindSubmission(t.Context(), sub.ID); err != nil || got.Status != grader.StatusGraded {
		t.Fatalf("status after a stale settle = %v (%v), want graded", got.Status, err)
	}
}
