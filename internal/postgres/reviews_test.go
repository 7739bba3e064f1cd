package postgres_test

import (
	"testing"
	"time"

	"takehome/exercises"
	"takehome/grader"
	"takehome/internal/postgres"
)

// mustGraded returns a final submission graded with score.
func mustGraded(t *testing.T, s *postgres.Store, inviteID int64, score float64) *grader.Submission {
	t.Helper()
	sub := mustSubmit(t, s, inviteID, exercises.ModeFinal, "zip")
	run, err := s.StartRun(t.Context(), sub.ID, "w1", t0)
	if err != nil {
		t.Fatal(err)
	}
	rep := testReport(sub, run)
	rep.Result.Score = &score
	if err := s.SaveReport(t.Context(), rep, nil); err != nil {
		t.Fatal(err)
	}
	got, _ := s.FindSubmission(t.Context(), sub.ID)
	return got
}

func TestSubmissionSummaries(t *testing.T) {
	s, _ := newStore(t)
	ctx := t.Context()
	rev := mustUser(t, s, "rev@example.com", grader.RoleInterviewer)
	var subs []*grader.Submission
	for i, score := range []float64{40, 90, 65} {
		inv, _ := mustInvite(t, s, func(inv *grader.Invite) { inv.Email = []string{"a@x.io", "b@x.io", "c@x.io"}[i] })
		subs = append(subs, mustGraded(t, s, inv.ID, score))
	}
	if err := s.SaveReview(ctx, &grader.Review{SubmissionID: subs[1].ID, UserID: rev.ID, Decision: grader.DecisionAdvance, Scores: map[string]int{"code": 4}}, t0); err != nil {
		t.Fatal(err)
	}
	ids := func(f grader.SummaryFilter) []int64 {
		t.Helper()
		rows, err := s.ListSubmissionSummaries(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, r := range rows {
			out = append(out, r.ID)
		}
		return out
	}
	eq := func(name string, got []int64, want ...int64) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s = %v, want %v", name, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s = %v, want %v", name, got, want)
			}
		}
	}
	eq("newest", ids(grader.SummaryFilter{}), subs[2].ID, subs[1].ID, subs[0].ID)
	eq("by score", ids(grader.SummaryFilter{ByScore: true}), subs[1].ID, subs[2].ID, subs[0].ID)
	eq("advance", ids(grader.SummaryFilter{Decision: "advance"}), subs[1].ID)
	eq("undecided", ids(grader.SummaryFilter{Decision: "none"}), subs[2].ID, subs[0].ID)
	eq("queued", ids(grader.SummaryFilter{Status: grader.StatusQueued}))
	eq("slug", ids(grader.SummaryFilter{Slug: "inv-test", Limit: 1, Offset: 1}), subs[1].ID)
	_, err := s.ListSubmissionSummaries(ctx, grader.SummaryFilter{Decision: "maybe"})
	wantCode(t, err, grader.CodeInvalid, "")

	sum, err := s.FindSubmissionSummary(ctx, subs[1].ID)
	if err != nil || sum.Email != "b@x.io" || sum.Decision != grader.DecisionAdvance || sum.Slug != "inv-test" || *sum.Score != 90 {
		t.Fatalf("FindSubmissionSummary = %+v, %v", sum, err)
	}
	_, err = s.FindSubmissionSummary(ctx, 999999)
	wantCode(t, err, grader.CodeNotFound, "")

	// A reference submission on the same version is not a candidate.
	ref := &grader.Invite{ExerciseVersionID: subs[0].ExerciseVersionID, Email: grader.ReferenceEmail("careful"), ExpiresAt: t0.Add(time.Hour), Attempts: 2}
	if _, err := s.CreateInvite(ctx, ref); err != nil {
		t.Fatal(err)
	}
	refSub := mustGraded(t, s, ref.ID, 99)
	scores, err := s.CohortScores(ctx, subs[0].ExerciseVersionID, exercises.ModeFinal)
	if err != nil || len(scores) != 1 || scores[0] != 40 {
		t.Fatalf("CohortScores = %v, %v (each invite has its own version)", scores, err)
	}
	eq("references", ids(grader.SummaryFilter{References: true}), refSub.ID)
}

func TestReviewUpsertAndLatestDecision(t *testing.T) {
	s, _ := newStore(t)
	ctx := t.Context()
	a := mustUser(t, s, "a@example.com", grader.RoleInterviewer)
	b := mustUser(t, s, "b@example.com", grader.RoleAdmin)
	inv, _ := mustInvite(t, s, nil)
	sub := mustGraded(t, s, inv.ID, 50)
	save := func(r grader.Review, at time.Time) {
		t.Helper()
		r.SubmissionID = sub.ID
		if err := s.SaveReview(ctx, &r, at); err != nil {
			t.Fatal(err)
		}
	}
	save(grader.Review{UserID: a.ID, Decision: grader.DecisionHold, Scores: map[string]int{"x": 2}, Comment: "<b>meh</b>"}, t0)
	save(grader.Review{UserID: b.ID, Decision: grader.DecisionReject}, t0.Add(time.Minute))
	save(grader.Review{UserID: a.ID, Decision: grader.DecisionAdvance, Scores: map[string]int{"x": 3}, Comment: "better"}, t0.Add(2*time.Minute))
	reviews, err := s.ListReviews(ctx, sub.ID)
	if err != nil || len(reviews) != 2 {
		t.Fatalf("ListReviews = %+v, %v", reviews, err)
	}
	if r := reviews[0]; r.Reviewer != "a@example.com" || r.Scores["x"] != 3 || r.Comment != "better" || r.Decision != grader.DecisionAdvance {
		t.Fatalf("latest review = %+v", r)
	}
	sum, _ := s.FindSubmissionSummary(ctx, sub.ID)
	if sum.Decision != grader.DecisionAdvance {
		t.Fatalf("decision = %q, want the latest (advance)", sum.Decision)
	}
	err = s.SaveReview(ctx, &grader.Review{SubmissionID: sub.ID, UserID: a.ID, Scores: map[string]int{"x": 5}}, t0)
	wantCode(t, err, grader.CodeInvalid, `score of "x" must be 1 to 4, got 5`)
	err = s.SaveReview(ctx, &grader.Review{SubmissionID: sub.ID, UserID: a.ID, Decision: "yes"}, t0)
	wantCode(t, err, grader.CodeInvalid, "")
	err = s.SaveReview(ctx, &grader.Review{SubmissionID: 999999, UserID: a.ID}, t0)
	wantCode(t, err, grader.CodeNotFound, "")
}

func TestRegradeKeepsTheOldReport(t *testing.T) {
	s, db := newStore(t)
	ctx := t.Context()
	inv, _ := mustInvite(t, s, nil)
	sub := mustGraded(t, s, inv.ID, 70)
	job, err := s.Regrade(ctx, sub.ID)
	if err != nil || job == 0 {
		t.Fatalf("Regrade = %d, %v", job, err)
	}
	got, _ := s.FindSubmission(ctx, sub.ID)
	if got.Status != grader.StatusQueued || got.Score != nil || got.GradedAt != nil || got.JobID != job {
		t.Fatalf("after regrade = %+v", got)
	}
	if n, _ := s.SupersededReports(ctx, sub.ID); n != 1 {
		t.Fatalf("superseded = %d", n)
	}
	_, err = s.FindReport(ctx, sub.ID)
	wantCode(t, err, grader.CodeNotFound, "")
	// The worker can grade it again: a second run, a second report.
	run, err := s.StartRun(ctx, sub.ID, "w2", t0.Add(time.Hour))
	if err != nil || run.Attempt != 2 {
		t.Fatalf("StartRun = %+v, %v", run, err)
	}
	if err := s.SaveReport(ctx, testReport(sub, run), nil); err != nil {
		t.Fatal(err)
	}
	// A queued submission cannot be regraded.
	other := mustSubmit(t, s, inv.ID, exercises.ModeCheck, "zip2")
	_, err = s.Regrade(ctx, other.ID)
	wantCode(t, err, grader.CodeConflict, "")
	_, err = s.Regrade(ctx, 999999)
	wantCode(t, err, grader.CodeNotFound, "")
	n, err := s.RegradeVersion(ctx, sub.ExerciseVersionID)
	if err != nil || n != 1 {
		t.Fatalf("RegradeVersion = %d, %v", n, err)
	}
	if c := count(t, db, "SELECT count(*) FROM superseded_reports WHERE submission_id = ?", sub.ID); c != 2 {
		t.Fatalf("superseded rows = %d, want 2", c)
	}
}

func TestVersionAndInviteAdmin(t *testing.T) {
	s, _ := newStore(t)
	ctx := t.Context()
	v, err := s.CreateDraftVersion(ctx, testVersion("draft-test", 11))
	if err != nil || v.Status != "draft" {
		t.Fatalf("CreateDraftVersion = %+v, %v", v, err)
	}
	if found, _ := s.FindVersion(ctx, v.ID); found.Status != "draft" {
		t.Fatalf("stored status = %q", found.Status)
	}
	if err := s.SetVersionStatus(ctx, v.ID, "published"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.SetVersionStatus(ctx, v.ID, "gone"), grader.CodeInvalid, "")
	inv := &grader.Invite{ExerciseVersionID: v.ID, Email: "x@y.z", ExpiresAt: t0.Add(time.Hour), Attempts: 2}
	if _, err := s.CreateInvite(ctx, inv); err != nil {
		t.Fatal(err)
	}
	// Locked by its invite, the version cannot go back to draft.
	wantCode(t, s.SetVersionStatus(ctx, v.ID, "draft"), grader.CodeNotFound, "")
	if err := s.SetVersionStatus(ctx, v.ID, "archived"); err != nil {
		t.Fatal(err)
	}
	if err := s.ExtendInvite(ctx, inv.ID, t0.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	list, err := s.ListInvites(ctx, 10)
	if err != nil || len(list) != 1 || list[0].Slug != "draft-test" || !list[0].ExpiresAt.Equal(t0.Add(48*time.Hour)) {
		t.Fatalf("ListInvites = %+v, %v", list, err)
	}
	if err := s.RevokeInvite(ctx, inv.ID, t0); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.ExtendInvite(ctx, inv.ID, t0.Add(72*time.Hour)), grader.CodeNotFound, "")
}
