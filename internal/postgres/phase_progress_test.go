package postgres_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"takehome/exercises"
	"takehome/grader"
)

func TestListInviteSubmissions(t *testing.T) {
	s, _ := newStore(t)
	a, _ := mustInvite(t, s, nil)
	b, _ := mustInvite(t, s, func(inv *grader.Invite) { inv.Email = "other@example.com" })
	first := mustSubmit(t, s, a.ID, exercises.ModeCheck, "a1")
	mustSubmit(t, s, b.ID, exercises.ModeCheck, "b1")
	second := mustSubmit(t, s, a.ID, exercises.ModeFinal, "a2")

	got, err := s.ListInviteSubmissions(t.Context(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != second.ID || got[1].ID != first.ID {
		t.Fatalf("invite A lists %+v, want submissions %d then %d", got, second.ID, first.ID)
	}
	for _, sub := range got {
		if sub.InviteID != a.ID {
			t.Errorf("submission %d of invite %d listed for invite %d", sub.ID, sub.InviteID, a.ID)
		}
	}
	none, err := s.ListInviteSubmissions(t.Context(), b.ID+1000)
	if err != nil || len(none) != 0 {
		t.Errorf("unknown invite: %v, %v", none, err)
	}
	// A zero id must not turn into "no filter".
	_, err = s.ListInviteSubmissions(t.Context(), 0)
	wantCode(t, err, grader.CodeInvalid, "")
}

func TestPhaseProgressFollowsTheLatestRun(t *testing.T) {
	s, _ := newStore(t)
	sub, first := mustRun(t, s)
	none, err := s.ListPhaseProgress(t.Context(), sub.ID+1000)
	if err != nil || len(none) != 0 {
		t.Fatalf("no run: %v, %v", none, err)
	}
	rec := grader.PhaseRecord{Step: "learn", Phase: "learn", Verdict: grader.VerdictOK, Wall: 1500 * time.Millisecond,
		PeakMemory: 42, Log: grader.Log{Head: "a\x00b", Tail: "end", Dropped: 7}}
	for range 2 { // a retried save is harmless
		if err := s.SavePhaseProgress(t.Context(), first.ID, 0, rec); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.ListPhaseProgress(t.Context(), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := rec
	want.Log.Head = "a\ufffdb" // PostgreSQL text cannot hold NUL
	if diff := cmp.Diff([]grader.PhaseRecord{want}, got); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
	// A retry starts a new run: its progress starts empty.
	second, err := s.StartRun(t.Context(), sub.ID, "w2", t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ListPhaseProgress(t.Context(), sub.ID); len(got) != 0 {
		t.Errorf("a new run shows the old run's progress: %v", got)
	}
	if err := s.SavePhaseProgress(t.Context(), second.ID, 0, grader.PhaseRecord{Step: "learn", Verdict: grader.VerdictTimeout}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ListPhaseProgress(t.Context(), sub.ID); len(got) != 1 || got[0].Verdict != grader.VerdictTimeout {
		t.Errorf("second run progress = %v", got)
	}
	err = s.SavePhaseProgress(t.Context(), 0, 0, rec)
	if err == nil {
		t.Error("progress of a run that does not exist was saved")
	}
}
