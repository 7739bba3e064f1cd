package postgres_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"takehome/exercises"
	"takehome/grader"
	"takehome/internal/pgtest"
	"takehome/internal/postgres"
)

func TestCreateSubmission(t *testing.T) {
	s, tx := newStore(t)
	inv, _ := mustInvite(t, s, nil)
	archive := []byte("PK\x03\x04 an archive")
	sub := &grader.Submission{InviteID: inv.ID, Mode: exercises.ModeCheck, IdempotencyKey: "k1", Status: "graded", ExerciseVersionID: 999}
	created, err := s.CreateSubmission(t.Context(), sub, bytes.NewReader(archive), int64(len(archive)), t0)
	if err != nil || !created {
		t.Fatalf("created %v, %v", created, err)
	}
	sum := sha256.Sum256(archive)
	want := &grader.Submission{
		ID: sub.ID, InviteID: inv.ID, ExerciseVersionID: inv.ExerciseVersionID, Mode: exercises.ModeCheck,
		Status: grader.StatusQueued, ArchiveSHA256: hex.EncodeToString(sum[:]), ArchiveSize: int64(len(archive)),
		IdempotencyKey: "k1", JobID: 1001, CreatedAt: t0,
	}
	if diff := cmp.Diff(want, sub); diff != "" {
		t.Errorf("created (-want +got):\n%s", diff)
	}
	got, err := s.FindSubmission(t.Context(), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("found (-want +got):\n%s", diff)
	}
	data, err := s.SubmissionArchive(t.Context(), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != string(archive) {
		t.Errorf("archive = %q, want %q", data, archive)
	}
	started, err := s.FindInvite(t.Context(), inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if started.StartedAt == nil || !started.StartedAt.Equal(t0) {
		t.Errorf("invite StartedAt = %v, want %v", started.StartedAt, t0)
	}
	if n := count(t, tx, "SELECT count(*) FROM audit_events WHERE action = 'submission.create' AND target = ?", fmt.Sprintf("submission:%d", sub.ID)); n != 1 {
		t.Errorf("%d audit events, want 1", n)
	}

	_, err = s.FindSubmission(t.Context(), sub.ID+100)
	wantCode(t, err, grader.CodeNotFound, "")
	_, err = s.SubmissionArchive(t.Context(), sub.ID+100)
	wantCode(t, err, grader.CodeNotFound, "")
}

func TestCreateSubmissionIdempotent(t *testing.T) {
	s, tx := newStore(t)
	inv, _ := mustInvite(t, s, func(inv *grader.Invite) { inv.Attempts = 1 })
	first := &grader.Submission{InviteID: inv.ID, Mode: exercises.ModeFinal, IdempotencyKey: "same"}
	if created, err := s.CreateSubmission(t.Context(), first, strings.NewReader("one"), 3, t0); err != nil || !created {
		t.Fatalf("first: created %v, %v", created, err)
	}
	// Quota used up and a final made: the retry still gets the original.
	again := &grader.Submission{InviteID: inv.ID, Mode: exercises.ModeFinal, IdempotencyKey: "same"}
	created, err := s.CreateSubmission(t.Context(), again, strings.NewReader("two"), 3, t0.Add(time.Minute))
	if err != nil || created {
		t.Fatalf("again: created %v, %v", created, err)
	}
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("again (-want +got):\n%s", diff)
	}
	if n := count(t, tx, "SELECT count(*) FROM submissions WHERE invite_id = ?", inv.ID); n != 1 {
		t.Errorf("%d submissions, want 1", n)
	}
	other := &grader.Submission{InviteID: inv.ID, Mode: exercises.ModeCheck, IdempotencyKey: "other"}
	_, err = s.CreateSubmission(t.Context(), other, strings.NewReader("three"), 5, t0)
	wantCode(t, err, grader.CodeQuota, "no attempts left (1 of 1 used)")
}

func TestCreateSubmissionRefused(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(inv *grader.Invite)
		setup func(t *testing.T, s *postgres.Store, inv *grader.Invite) // before the refused submission
		mode  exercises.Mode
		now   time.Time
		code  grader.Code
		msg   string
	}{
		{name: "revoked", setup: func(t *testing.T, s *postgres.Store, inv *grader.Invite) {
			if err := s.RevokeInvite(t.Context(), inv.ID, t0); err != nil {
				t.Fatal(err)
			}
		}, code: grader.CodeForbidden, msg: "invite revoked"},
		{name: "expired", now: t0.Add(8 * 24 * time.Hour), code: grader.CodeForbidden, msg: "invite expired"},
		{name: "at expiry", now: t0.Add(7 * 24 * time.Hour), code: grader.CodeForbidden, msg: "invite expired"},
		{name: "window over", setup: func(t *testing.T, s *postgres.Store, inv *grader.Invite) {
			if _, err := s.StartInvite(t.Context(), inv.ID, t0); err != nil {
				t.Fatal(err)
			}
		}, now: t0.Add(5 * time.Hour), code: grader.CodeForbidden, msg: "time window is over"},
		{name: "quota", edit: func(inv *grader.Invite) { inv.Attempts = 2 }, setup: func(t *testing.T, s *postgres.Store, inv *grader.Invite) {
			mustSubmit(t, s, inv.ID, exercises.ModeCheck, "1")
			mustSubmit(t, s, inv.ID, exercises.ModeCheck, "2")
		}, code: grader.CodeQuota, msg: "no attempts left (2 of 2 used)"},
		{name: "second final", mode: exercises.ModeFinal, setup: func(t *testing.T, s *postgres.Store, inv *grader.Invite) {
			mustSubmit(t, s, inv.ID, exercises.ModeFinal, "1")
		}, code: grader.CodeConflict, msg: "a final submission already exists"},
		{name: "unknown mode", mode: "practice", code: grader.CodeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, tx := newStore(t)
			inv, _ := mustInvite(t, s, tt.edit)
			if tt.setup != nil {
				tt.setup(t, s, inv)
			}
			before := count(t, tx, "SELECT count(*) FROM submissions")
			sub := &grader.Submission{InviteID: inv.ID, Mode: cmpOr(tt.mode, exercises.ModeCheck)}
			now := tt.now
			if now.IsZero() {
				now = t0.Add(time.Minute)
			}
			created, err := s.CreateSubmission(t.Context(), sub, strings.NewReader("zip"), 3, now)
			wantCode(t, err, tt.code, tt.msg)
			if created || sub.ID != 0 {
				t.Errorf("created %v, sub.ID %d", created, sub.ID)
			}
			if after := count(t, tx, "SELECT count(*) FROM submissions"); after != before {
				t.Errorf("%d submissions after, %d before", after, before)
			}
		})
	}
	t.Run("unknown invite", func(t *testing.T) {
		s, _ := newStore(t)
		_, err := s.CreateSubmission(t.Context(), &grader.Submission{InviteID: -1, Mode: exercises.ModeCheck}, strings.NewReader(""), 0, t0)
		wantCode(t, err, grader.CodeNotFound, "")
	})
}

func cmpOr[T comparable](v, fallback T) T {
	var zero T
	if v == zero {
		return fallback
	}
	return v
}

// TestCreateSubmissionEnqueueFails checks that a job that cannot be enqueued
// leaves no trace.
func TestCreateSubmissionEnqueueFails(t *testing.T) {
	tx := pgtest.Tx(t)
	setup := postgres.NewStore(tx, &fakeQueue{})
	inv, _ := mustInvite(t, setup, nil)
	boom := errors.New("queue is down")
	s := postgres.NewStore(tx, &fakeQueue{err: boom})
	sub := &grader.Submission{InviteID: inv.ID, Mode: exercises.ModeFinal, IdempotencyKey: "k"}
	created, err := s.CreateSubmission(t.Context(), sub, strings.NewReader("zip"), 3, t0)
	if !errors.Is(err, boom) || created {
		t.Fatalf("created %v, error %v; want %v", created, err, boom)
	}
	for _, table := range []string{"submissions", "submission_archive_chunks", "audit_events"} {
		if n := count(t, tx, "SELECT count(*) FROM "+table); n != 0 {
			t.Errorf("%d rows in %s, want 0", n, table)
		}
	}
	got, err := s.FindInvite(t.Context(), inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.StartedAt != nil {
		t.Errorf("invite started at %v, want not started", got.StartedAt)
	}
	// The same key works once the queue is back.
	if created, err := setup.CreateSubmission(t.Context(), sub, strings.NewReader("zip"), 3, t0); err != nil || !created {
		t.Fatalf("retry: created %v, %v", created, err)
	}
}

// TestCreateSubmissionConcurrent races submissions from many connections on
// committed data.
func TestCreateSubmissionConcurrent(t *testing.T) {
	db := openURL(t, pgtest.URL(t))
	s := postgres.NewStore(db, &fakeQueue{})
	const n = 12
	race := func(t *testing.T, attempts int, key func(i int) string) (created int, ids map[int64]bool, codes map[grader.Code]int) {
		t.Helper()
		inv, _ := mustInvite(t, s, func(inv *grader.Invite) { inv.Attempts = attempts })
		var mu sync.Mutex
		ids, codes = map[int64]bool{}, map[grader.Code]int{}
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				sub := &grader.Submission{InviteID: inv.ID, Mode: exercises.ModeCheck, IdempotencyKey: key(i)}
				archive := fmt.Sprint(i)
				ok, err := s.CreateSubmission(t.Context(), sub, strings.NewReader(archive), int64(len(archive)), t0)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					codes[grader.ErrorCode(err)]++
				case ok:
					created++
					ids[sub.ID] = true
				default:
					ids[sub.ID] = true
				}
			})
		}
		wg.Wait()
		return created, ids, codes
	}
	t.Run("quota", func(t *testing.T) {
		created, _, codes := race(t, 3, func(i int) string { return fmt.Sprint("k", i) })
		if created != 3 || codes[grader.CodeQuota] != n-3 {
			t.Errorf("created %d, errors %v; want 3 created and %d over quota", created, codes, n-3)
		}
	})
	t.Run("same key", func(t *testing.T) {
		created, ids, codes := race(t, 5, func(int) string { return "same" })
		if created != 1 || len(ids) != 1 || len(codes) != 0 {
			t.Errorf("created %d, ids %v, errors %v; want 1 created and the same id for all", created, ids, codes)
		}
	})
}

func TestListSubmissions(t *testing.T) {
	s, _ := newStore(t)
	a, _ := mustInvite(t, s, func(inv *grader.Invite) { inv.Attempts = 5 })
	b, _ := mustInvite(t, s, nil)
	a1 := mustSubmit(t, s, a.ID, exercises.ModeCheck, "a1")
	a2 := mustSubmit(t, s, a.ID, exercises.ModeCheck, "a2")
	a3 := mustSubmit(t, s, a.ID, exercises.ModeFinal, "a3")
	b1 := mustSubmit(t, s, b.ID, exercises.ModeCheck, "b1")
	if err := s.SetSubmissionStatus(t.Context(), a2.ID, grader.StatusFailed); err != nil {
		t.Fatal(err)
	}
	a2.Status = grader.StatusFailed
	tests := []struct {
		name string
		f    grader.SubmissionFilter
		want []*grader.Submission
	}{
		{"all", grader.SubmissionFilter{}, []*grader.Submission{b1, a3, a2, a1}},
		{"invite", grader.SubmissionFilter{InviteID: a.ID}, []*grader.Submission{a3, a2, a1}},
		{"version", grader.SubmissionFilter{VersionID: b.ExerciseVersionID}, []*grader.Submission{b1}},
		{"status", grader.SubmissionFilter{Status: grader.StatusFailed}, []*grader.Submission{a2}},
		{"page", grader.SubmissionFilter{Limit: 2, Offset: 1}, []*grader.Submission{a3, a2}},
		{"none", grader.SubmissionFilter{InviteID: -1}, []*grader.Submission{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.ListSubmissions(t.Context(), tt.f)
			if err != nil {
				t.Fatal(err)
			}
			want := make([]grader.Submission, len(tt.want))
			for i, sub := range tt.want {
				want[i] = *sub
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestSetSubmissionStatus(t *testing.T) {
	s, _ := newStore(t)
	inv, _ := mustInvite(t, s, nil)
	sub := mustSubmit(t, s, inv.ID, exercises.ModeCheck, "x")
	if err := s.SetSubmissionStatus(t.Context(), sub.ID, grader.StatusCanceled); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindSubmission(t.Context(), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != grader.StatusCanceled {
		t.Errorf("status = %s, want canceled", got.Status)
	}
	wantCode(t, s.SetSubmissionStatus(t.Context(), sub.ID, "lost"), grader.CodeInvalid, "")
	wantCode(t, s.SetSubmissionStatus(t.Context(), sub.ID+100, grader.StatusQueued), grader.CodeNotFound, "")
}
