package queue_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"takehome/exercises"
	"takehome/exercises/smoke"
	"takehome/grader"
	"takehome/internal/archive"
	"takehome/internal/pgtest"
	"takehome/internal/postgres"
	"takehome/internal/queue"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// fixture is a fresh database with the smoke exercise and one invite.
type fixture struct {
	db     *gorm.DB
	url    string
	store  *postgres.Store
	invite *grader.Invite
}

func newFixture(t *testing.T, attempts int) *fixture {
	t.Helper()
	url := pgtest.URL(t)
	db, err := postgres.Open(context.Background(), url, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	store := postgres.NewStore(db, nil)
	v, err := smoke.New().Build(1)
	if err != nil {
		t.Fatal(err)
	}
	ver, _, err := store.EnsureVersion(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	inv := &grader.Invite{ExerciseVersionID: ver.ID, Email: "c@example.com", ExpiresAt: time.Now().Add(time.Hour), Window: time.Hour, Attempts: attempts}
	if _, err := store.CreateInvite(context.Background(), inv); err != nil {
		t.Fatal(err)
	}
	return &fixture{db: db, url: url, store: store, invite: inv}
}

func (f *fixture) sqlDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := f.db.DB()
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func (f *fixture) count(t *testing.T, query string) int {
	t.Helper()
	var n int
	if err := f.sqlDB(t).QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func newJobs(t *testing.T, f *fixture) *queue.Jobs {
	t.Helper()
	jobs, err := queue.NewJobs(f.sqlDB(t))
	if err != nil {
		t.Fatal(err)
	}
	return jobs
}

// newWorkers returns a client that works jobs with g, one at a time.
func newWorkers(t *testing.T, f *fixture, g *grader.Grader) *queue.Workers {
	t.Helper()
	w, err := queue.NewWorkers(context.Background(), f.sqlDB(t), f.url, queue.Config{
		ID: "test", Workers: 1, JobTimeout: time.Minute, RescueAfter: time.Hour, SoftStop: 5 * time.Second,
		PollEvery: 100 * time.Millisecond, Logger: slog.New(slog.DiscardHandler),
		Upkeep: queue.UpkeepConfig{Every: time.Hour, Retention: 24 * time.Hour},
	}, g, f.store)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// failingEnqueuer enqueues for real, then fails, as a later statement of the
// same transaction would.
type failingEnqueuer struct{ q *queue.Jobs }

func (e failingEnqueuer) EnqueueGrade(ctx context.Context, tx *sql.Tx, id int64) (int64, error) {
	if _, err := e.q.EnqueueGrade(ctx, tx, id); err != nil {
		return 0, err
	}
	return 0, errors.New("boom after enqueue")
}

func archiveOf(t *testing.T, dir string) []byte {
	t.Helper()
	files, err := archive.ReadDir("../../exercises/smoke/testdata/"+dir, archive.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	data, err := archive.TarGz(files)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestFailedTransactionLeavesNeitherSubmissionNorJob(t *testing.T) {
	f := newFixture(t, 5)
	store := postgres.NewStore(f.db, failingEnqueuer{newJobs(t, f)})
	sub := &grader.Submission{InviteID: f.invite.ID, ExerciseVersionID: f.invite.ExerciseVersionID, Mode: exercises.ModeCheck}
	data := archiveOf(t, "good")
	if _, err := store.CreateSubmission(context.Background(), sub, bytes.NewReader(data), int64(len(data)), time.Now()); err == nil {
		t.Fatal("CreateSubmission succeeded with a failing transaction")
	}
	if n := f.count(t, "SELECT count(*) FROM submissions"); n != 0 {
		t.Errorf("%d submissions after a failed transaction", n)
	}
	if n := f.count(t, "SELECT count(*) FROM river_job"); n != 0 {
		t.Errorf("%d jobs after a failed transaction", n)
	}
}

func TestDuplicatePostCreatesOneSubmission(t *testing.T) {
	f := newFixture(t, 5)
	store := postgres.NewStore(f.db, newJobs(t, f))
	var wg sync.WaitGroup
	ids := make([]int64, 4)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sub := &grader.Submission{InviteID: f.invite.ID, ExerciseVersionID: f.invite.ExerciseVersionID, Mode: exercises.ModeCheck, IdempotencyKey: "same-key"}
			data := archiveOf(t, "good")
			if _, err := store.CreateSubmission(context.Background(), sub, bytes.NewReader(data), int64(len(data)), time.Now()); err != nil {
				t.Error(err)
			}
			ids[i] = sub.ID
		}()
	}
	wg.Wait()
	for _, id := range ids[1:] {
		if id != ids[0] {
			t.Errorf("same idempotency key gave submissions %v", ids)
		}
	}
	if n := f.count(t, "SELECT count(*) FROM submissions"); n != 1 {
		t.Errorf("%d submissions, want 1", n)
	}
	if n := f.count(t, "SELECT count(*) FROM river_job"); n != 1 {
		t.Errorf("%d jobs, want 1", n)
	}
}

func smokeExercise() exercises.Exercise { return smoke.New() }
