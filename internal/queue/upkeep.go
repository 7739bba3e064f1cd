package queue

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// UpkeepConfig says how often upkeep runs and what it keeps.
type UpkeepConfig struct {
	Every     time.Duration // how often the periodic job is enqueued
	Retention time.Duration // history older than this goes: sign-in attempts, dead workers, finished jobs
}

// Pruner deletes the application's rows that are no longer needed; each
// method returns how many rows went.
type Pruner interface {
	PruneLoginAttempts(ctx context.Context, before time.Time) (int64, error)
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)
	DeleteExpiredPasswordResets(ctx context.Context, now time.Time) (int64, error)
	DeleteDeadWorkers(ctx context.Context, lastSeenBefore time.Time) (int64, error)
}

// UpkeepArgs is the periodic job that prunes old rows.
type UpkeepArgs struct{}

// Kind implements river.JobArgs.
func (UpkeepArgs) Kind() string { return "upkeep" }

// InsertOpts implements river.JobArgsWithInsertOpts: one upkeep job at a
// time is enough, however many hosts enqueue it.
func (UpkeepArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: UpkeepQueue, MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByPeriod: 5 * time.Minute}}
}

func upkeepJob(cfg UpkeepConfig) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(cfg.Every),
		func() (river.JobArgs, *river.InsertOpts) { return UpkeepArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

// UpkeepWorker prunes the tables that only grow: sign-in attempts, expired
// sessions and password resets, workers that stopped heartbeating, and
// River's finished jobs.
type UpkeepWorker struct {
	river.WorkerDefaults[UpkeepArgs]
	DB     *sql.DB
	Pruner Pruner
	Config UpkeepConfig
	Logger *slog.Logger
}

// Work implements river.Worker.
func (w *UpkeepWorker) Work(ctx context.Context, job *river.Job[UpkeepArgs]) error {
	pruned, err := Upkeep(ctx, w.DB, w.Pruner, w.Config.Retention, time.Now())
	if err != nil {
		return err
	}
	w.Logger.Info("upkeep", "pruned", pruned)
	return nil
}

// Upkeep prunes everything once at now and returns the rows deleted per
// table.
func Upkeep(ctx context.Context, db *sql.DB, p Pruner, retention time.Duration, now time.Time) (map[string]int64, error) {
	before := now.Add(-retention)
	steps := []struct {
		table string
		prune func() (int64, error)
	}{
		{"login_attempts", func() (int64, error) { return p.PruneLoginAttempts(ctx, before) }},
		{"sessions", func() (int64, error) { return p.DeleteExpiredSessions(ctx, now) }},
		{"password_resets", func() (int64, error) { return p.DeleteExpiredPasswordResets(ctx, now) }},
		{"workers", func() (int64, error) { return p.DeleteDeadWorkers(ctx, before) }},
		{"river_job", func() (int64, error) { return pruneFinishedJobs(ctx, db, before) }},
	}
	pruned := make(map[string]int64, len(steps))
	for _, s := range steps {
		n, err := s.prune()
		if err != nil {
			return pruned, fmt.Errorf("prune %s: %w", s.table, err)
		}
		pruned[s.table] = n
	}
	return pruned, nil
}

// pruneFinishedJobs deletes jobs that completed, were cancelled or were
// discarded (failed for good) before before. Their submissions keep their
// runs and reports; the admin queue page shows only unfinished jobs and the
// failures still within the retention.
func pruneFinishedJobs(ctx context.Context, db *sql.DB, before time.Time) (int64, error) {
	res, err := db.ExecContext(ctx, `DELETE FROM river_job
		WHERE state IN ('completed', 'cancelled', 'discarded') AND finalized_at < $1`, before)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
