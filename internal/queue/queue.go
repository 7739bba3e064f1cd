// Package queue is the River wiring of the grading queue on the
// application's PostgreSQL: the job kinds, an insert-only client (Jobs)
// for the web server and the store, and the client that works jobs
// (Workers). All SQL on River's tables is here. What grading a submission
// means is grader's.
package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"takehome/grader"
)

// Queue names: grading jobs and upkeep jobs have their own slots, so upkeep
// never waits behind a long grading run nor takes a grading slot.
const (
	QueueName   = "grading"
	UpkeepQueue = "upkeep"
)

// GradeArgs is the job that grades one submission.
type GradeArgs struct {
	SubmissionID int64 `json:"submission_id"`
}

// Kind implements river.JobArgs.
func (GradeArgs) Kind() string { return "grade" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (GradeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueName, MaxAttempts: 5}
}

// Config sets up Workers.
type Config struct {
	ID          string        // this client's id, recorded on the jobs it works
	Workers     int           // grading jobs worked at once, at least 1
	JobTimeout  time.Duration // longest a grading job may run
	RescueAfter time.Duration // a running job older than this is presumed dead and re-run
	SoftStop    time.Duration // how long a stop waits for running jobs before cancelling them
	PollEvery   time.Duration // fetch poll interval (notifications make most fetches immediate)
	Upkeep      UpkeepConfig
	Logger      *slog.Logger
}

// Workers is the River client that works grading and upkeep jobs.
type Workers struct {
	client   *river.Client[*sql.Tx]
	listener *pgxpool.Pool
}

// NewWorkers returns a client on db that grades with g and prunes with
// pruner. listenURL is the database URL of a pgx LISTEN connection, so
// new jobs are claimed at once rather than at the next poll.
func NewWorkers(ctx context.Context, db *sql.DB, listenURL string, cfg Config, g *grader.Grader, pruner Pruner) (*Workers, error) {
	if cfg.Workers < 1 {
		return nil, errors.New("queue workers: need at least one grading worker")
	}
	listener, err := pgxpool.New(ctx, listenURL)
	if err != nil {
		return nil, fmt.Errorf("open listener pool: %w", err)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &GradeWorker{Grader: g, Limit: cfg.JobTimeout})
	river.AddWorker(workers, &UpkeepWorker{DB: db, Pruner: pruner, Config: cfg.Upkeep, Logger: cfg.Logger})
	client, err := river.NewClient(riverdatabasesql.NewWithPgxListener(db, listener), &river.Config{
		ID:                   cfg.ID,
		Logger:               cfg.Logger,
		RescueStuckJobsAfter: cfg.RescueAfter,
		SoftStopTimeout:      cfg.SoftStop,
		FetchPollInterval:    cfg.PollEvery,
		JobTimeout:           -1, // each job sets its own timeout
		Workers:              workers,
		Queues: map[string]river.QueueConfig{
			QueueName:   {MaxWorkers: cfg.Workers},
			UpkeepQueue: {MaxWorkers: 1},
		},
		PeriodicJobs: []*river.PeriodicJob{upkeepJob(cfg.Upkeep)},
		// The upkeep job prunes finished jobs with the product's retention
		// setting; River's own cleaner (24 h by default) would undercut it.
		CompletedJobRetentionPeriod: -1,
		CancelledJobRetentionPeriod: -1,
		DiscardedJobRetentionPeriod: -1,
	})
	if err != nil {
		listener.Close()
		return nil, fmt.Errorf("new river client: %w", err)
	}
	return &Workers{client: client, listener: listener}, nil
}

// Run works jobs until ctx is done, then stops softly: no new jobs are
// claimed, running ones get SoftStop to finish before they are cancelled.
func (w *Workers) Run(ctx context.Context) error {
	defer w.listener.Close()
	if err := w.client.Start(ctx); err != nil {
		return fmt.Errorf("start queue: %w", err)
	}
	<-ctx.Done()
	// The stop gets its own context: ctx is already done.
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if err := w.client.Stop(stopCtx); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("stop queue: %w", err)
	}
	return nil
}
