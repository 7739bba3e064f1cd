// Package queue wires the grading job queue: River on the application's
// PostgreSQL, through database/sql with a pgx listener for notifications.
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
	"github.com/riverqueue/river/rivertype"

	"takehome/grader"
)

// QueueName is the River queue grading jobs go to.
const QueueName = "grading"

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

// Config sets up a Queue.
type Config struct {
	ID          string        // this client's id, recorded on the jobs it works
	Workers     int           // grading jobs worked at once; 0 makes an insert-only client
	RescueAfter time.Duration // a running job older than this is presumed dead and re-run
	SoftStop    time.Duration // how long a stop waits for running jobs before cancelling them
	PollEvery   time.Duration // fetch poll interval (notifications make most fetches immediate)
	Logger      *slog.Logger
}

// Queue is the River client for grading jobs.
type Queue struct {
	client   *river.Client[*sql.Tx]
	listener *pgxpool.Pool
	db       *sql.DB
	works    bool // false for an insert-only client, which is never started
}

// New returns a queue on db. listenURL is the database URL used for a pgx
// LISTEN connection; worker is nil for an insert-only client.
func New(ctx context.Context, db *sql.DB, listenURL string, cfg Config, worker *GradeWorker) (*Queue, error) {
	listener, err := pgxpool.New(ctx, listenURL)
	if err != nil {
		return nil, fmt.Errorf("open listener pool: %w", err)
	}
	rc := &river.Config{
		ID:                   cfg.ID,
		Logger:               cfg.Logger,
		RescueStuckJobsAfter: cfg.RescueAfter,
		SoftStopTimeout:      cfg.SoftStop,
		FetchPollInterval:    cfg.PollEvery,
		JobTimeout:           -1, // each job sets its own timeout from its exercise
	}
	if worker != nil && cfg.Workers > 0 {
		workers := river.NewWorkers()
		river.AddWorker(workers, worker)
		rc.Workers = workers
		rc.Queues = map[string]river.QueueConfig{QueueName: {MaxWorkers: cfg.Workers}}
	}
	client, err := river.NewClient(riverdatabasesql.NewWithPgxListener(db, listener), rc)
	if err != nil {
		listener.Close()
		return nil, fmt.Errorf("new river client: %w", err)
	}
	return &Queue{client: client, listener: listener, db: db, works: rc.Workers != nil}, nil
}

// EnqueueGrade inserts the grading job of a submission in tx, so that the
// submission and its job commit or roll back together.
func (q *Queue) EnqueueGrade(ctx context.Context, tx *sql.Tx, submissionID int64) (int64, error) {
	res, err := q.client.InsertTx(ctx, tx, GradeArgs{SubmissionID: submissionID}, nil)
	if err != nil {
		return 0, fmt.Errorf("enqueue grade %d: %w", submissionID, err)
	}
	return res.Job.ID, nil
}

// CancelJob cancels a grading job: a queued job never runs, a running one has
// its containers stopped.
func (q *Queue) CancelJob(ctx context.Context, jobID int64) error {
	_, err := q.client.JobCancel(ctx, jobID)
	if errors.Is(err, river.ErrNotFound) {
		return grader.Errorf(grader.CodeNotFound, "job %d not found", jobID)
	}
	if err != nil {
		return fmt.Errorf("cancel job %d: %w", jobID, err)
	}
	return nil
}

// Run works jobs until ctx is done, then stops softly: no new jobs are
// claimed, running ones get SoftStop to finish before they are cancelled.
func (q *Queue) Run(ctx context.Context) error {
	defer q.listener.Close()
	if !q.works {
		<-ctx.Done()
		return nil
	}
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("start queue: %w", err)
	}
	<-ctx.Done()
	// The stop gets its own context: ctx is already done.
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if err := q.client.Stop(stopCtx); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("stop queue: %w", err)
	}
	return nil
}

// Close releases an insert-only queue's resources.
func (q *Queue) Close() { q.listener.Close() }

// Depth counts grading jobs waiting to run, by state.
func (q *Queue) Depth(ctx context.Context) (map[string]int, error) {
	rows, err := q.db.QueryContext(ctx,
		`SELECT state, count(*) FROM river_job WHERE queue = $1 AND state IN ('available','scheduled','retryable','running') GROUP BY state`, QueueName)
	if err != nil {
		return nil, fmt.Errorf("queue depth: %w", err)
	}
	defer rows.Close()
	depth := map[string]int{}
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("queue depth: %w", err)
		}
		depth[state] = n
	}
	return depth, rows.Err()
}

// canceledRemotely reports whether the job's context ended because an admin
// cancelled the job (rather than because the worker is shutting down).
func canceledRemotely(ctx context.Context) bool {
	return errors.Is(context.Cause(ctx), rivertype.ErrJobCancelledRemotely)
}
