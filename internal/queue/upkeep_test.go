package queue_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"takehome/grader"
	"takehome/internal/queue"
)

// seedOld writes, per table, one row past its end of life and one still
// needed, relative to now with a 30-day retention.
func seedOld(t *testing.T, f *fixture, now time.Time) {
	t.Helper()
	ctx := context.Background()
	u, err := f.store.CreateUser(ctx, "old@example.com", grader.RoleAdmin, "")
	if err != nil {
		t.Fatal(err)
	}
	day := 24 * time.Hour
	for _, ok := range []bool{true, false} {
		if err := f.store.RecordLogin(ctx, "a@example.com", "10.0.0.1", ok, now.Add(-40*day)); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.store.RecordLogin(ctx, "a@example.com", "10.0.0.1", false, now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	db := f.sqlDB(t)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for i, expires := range []time.Time{now.Add(-time.Minute), now.Add(time.Hour)} {
		hash := fmt.Sprintf("%032d", i)
		exec("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)", []byte(hash), u.ID, now.Add(-day), expires)
		exec("INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, $3)", []byte(hash), u.ID, expires)
	}
	exec("INSERT INTO workers (id, host, started_at, heartbeat_at) VALUES ('dead', 'h', $1, $1), ('recent', 'h', $2, $2)", now.Add(-31*day), now.Add(-time.Minute))
	for i, j := range []struct {
		state     string
		finalized time.Time
	}{
		{"completed", now.Add(-31 * day)}, {"cancelled", now.Add(-31 * day)}, {"discarded", now.Add(-31 * day)},
		{"completed", now.Add(-29 * day)}, {"discarded", now.Add(-12 * time.Hour)},
	} {
		exec(`INSERT INTO river_job (kind, queue, state, args, attempt, max_attempts, priority, created_at, scheduled_at, finalized_at)
			VALUES ('grade', 'grading', $1, $2, 1, 5, 1, $3, $3, $3)`, j.state, fmt.Sprintf(`{"submission_id": %d}`, 1000+i), j.finalized)
	}
	// An old job that has not finished is kept, however old.
	exec(`INSERT INTO river_job (kind, queue, state, args, attempt, max_attempts, priority, created_at, scheduled_at)
		VALUES ('grade', 'grading', 'retryable', '{"submission_id": 99}', 1, 5, 1, $1, $1)`, now.Add(-40*day))
}

func TestUpkeepPrunesWhatIsPastItsRetention(t *testing.T) {
	f := newFixture(t, 5)
	now := time.Now()
	seedOld(t, f, now)
	pruned, err := queue.Upkeep(context.Background(), f.sqlDB(t), f.store, 30*24*time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"login_attempts": 2, "sessions": 1, "password_resets": 1, "workers": 1, "river_job": 3}
	if diff := cmp.Diff(want, pruned); diff != "" {
		t.Errorf("pruned (-want +got):\n%s", diff)
	}
	for table, left := range map[string]int{"login_attempts": 1, "sessions": 1, "password_resets": 1, "workers": 1, "river_job": 3} {
		if n := f.count(t, "SELECT count(*) FROM "+table); n != left {
			t.Errorf("%d rows left in %s, want %d", n, table, left)
		}
	}
	// A second pass finds nothing more.
	again, err := queue.Upkeep(context.Background(), f.sqlDB(t), f.store, 30*24*time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	for table, n := range again {
		if n != 0 {
			t.Errorf("second upkeep pruned %d rows of %s", n, table)
		}
	}
}

// TestUpkeepRunsAsAPeriodicJob: a worker client enqueues the upkeep job at
// start and works it on its own queue.
func TestUpkeepRunsAsAPeriodicJob(t *testing.T) {
	f := newFixture(t, 5)
	seedOld(t, f, time.Now())
	w := newWorkers(t, f, &grader.Grader{Store: f.store, Observer: nopObserver{}, Now: time.Now, Logger: slog.New(slog.DiscardHandler)})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(30 * time.Second)
	for f.count(t, "SELECT count(*) FROM river_job WHERE kind = 'upkeep' AND state = 'completed'") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no upkeep job completed within 30 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The fixture's retention is 24 h: the finished jobs of 29 days ago go too.
	if n := f.count(t, "SELECT count(*) FROM river_job WHERE kind = 'grade'"); n != 2 {
		t.Errorf("%d grade jobs left, want the recent discarded one and the unfinished one", n)
	}
	if n := f.count(t, "SELECT count(*) FROM workers WHERE id = 'dead'"); n != 0 {
		t.Error("the dead worker's row is still there")
	}
}
