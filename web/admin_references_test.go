package web

import (
	"net/http"
	"testing"

	"takehome/exercises"
	"takehome/exercises/smoke"
	"takehome/grader"
)

// smokeWithReferences is the smoke exercise with one reference submission.
type smokeWithReferences struct{ smoke.Exercise }

func (smokeWithReferences) References() ([]exercises.Reference, error) {
	return []exercises.Reference{{Name: "good", Description: "adds", Files: []exercises.File{
		{Name: "takehome.yaml", Data: []byte("phases:\n  learn: \"true\"\n  solve: \"true\"\n")},
	}}}, nil
}

// Running the references twice regrades the first ones instead of
// creating more invites and submissions.
func TestRunReferencesTwiceRegrades(t *testing.T) {
	e := newStaffEnv(t)
	e.srv.deps.Exercises = exercises.NewRegistry(smokeWithReferences{smoke.New()})
	path := "/admin/exercises/" + itoa(e.version.ID) + "/references"
	refs := func() []grader.SubmissionSummary {
		rows, err := e.store.ListSubmissionSummaries(t.Context(), grader.SummaryFilter{VersionID: e.version.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var out []grader.SubmissionSummary
		for _, r := range rows {
			if _, ok := grader.ReferenceName(r.Email); ok {
				out = append(out, r)
			}
		}
		return out
	}
	if rec := e.post(path, e.adminSession, nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("run references = %d: %s", rec.Code, rec.Body)
	}
	first := refs()
	if len(first) != 2 {
		t.Fatalf("%d reference submissions, want a check and a final", len(first))
	}
	for _, r := range first {
		e.gradeWithXSS(&grader.Submission{ID: r.ID, InviteID: r.InviteID, ExerciseVersionID: r.ExerciseVersionID, Mode: r.Mode}, 90)
	}

	if rec := e.post(path, e.adminSession, nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("run references again = %d: %s", rec.Code, rec.Body)
	}
	again := refs()
	if len(again) != 2 {
		t.Fatalf("%d reference submissions after a second run, want the same 2", len(again))
	}
	for _, r := range again {
		if r.Status != grader.StatusQueued {
			t.Errorf("reference submission %d is %s after the second run, want queued for regrading", r.ID, r.Status)
		}
	}
}
