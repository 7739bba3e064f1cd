package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"takehome/grader"
)

// Jobs puts grading jobs on the queue and reads and cancels them. It is an
// insert-only River client: it works no jobs, so the web server and the
// store can use it whether or not this process grades.
type Jobs struct {
	client *river.Client[*sql.Tx]
	db     *sql.DB
}

// NewJobs returns the insert-only client on db.
func NewJobs(db *sql.DB) (*Jobs, error) {
	client, err := river.NewClient(riverdatabasesql.New(db), &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("new river client: %w", err)
	}
	return &Jobs{client: client, db: db}, nil
}

// EnqueueGrade inserts the grading job of a submission in tx, so that the
// submission and its job commit or roll back together.
func (j *Jobs) EnqueueGrade(ctx context.Context, tx *sql.Tx, submissionID int64) (int64, error) {
	res, err := j.client.InsertTx(ctx, tx, GradeArgs{SubmissionID: submissionID}, nil)
	if err != nil {
		return 0, fmt.Errorf("enqueue grade %d: %w", submissionID, err)
	}
	return res.Job.ID, nil
}

// CancelJob cancels a grading job: a queued job never runs, a running one has
// its containers stopped by the worker that runs it.
func (j *Jobs) CancelJob(ctx context.Context, jobID int64) error {
	_, err := j.client.JobCancel(ctx, jobID)
	if errors.Is(err, river.ErrNotFound) {
		return grader.Errorf(grader.CodeNotFound, "job %d not found", jobID)
	}
	if err != nil {
		return fmt.Errorf("cancel job %d: %w", jobID, err)
	}
	return nil
}

// Depth counts grading jobs waiting to run, by state.
func (j *Jobs) Depth(ctx context.Context) (map[string]int, error) {
	rows, err := j.db.QueryContext(ctx,
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

// ListJobs returns the grading jobs that are not completed: running,
// waiting, retrying, failed for good or cancelled, newest first; at most
// limit (1 to 1000, 100 when 0).
func (j *Jobs) ListJobs(ctx context.Context, limit int) ([]grader.QueueJob, error) {
	return ListJobs(ctx, j.db, limit)
}

// Querier runs a query: a *sql.DB, or a *sql.Tx to read what it wrote.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// ListJobs is Jobs.ListJobs through db.
func ListJobs(ctx context.Context, db Querier, limit int) ([]grader.QueueJob, error) {
	switch {
	case limit <= 0:
		limit = 100
	case limit > 1000:
		limit = 1000
	}
	rows, err := db.QueryContext(ctx, `SELECT id, state, attempt, max_attempts,
		coalesce((args->>'submission_id')::bigint, 0), created_at, attempted_at,
		coalesce(errors[array_length(errors, 1)]->>'error', '')
		FROM river_job WHERE kind = $1 AND state <> 'completed'
		ORDER BY id DESC LIMIT $2`, GradeArgs{}.Kind(), limit)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	defer rows.Close()
	var out []grader.QueueJob
	for rows.Next() {
		var job grader.QueueJob
		var attempted *time.Time
		if err := rows.Scan(&job.ID, &job.State, &job.Attempt, &job.MaxAttempts, &job.SubmissionID, &job.CreatedAt, &attempted, &job.LastError); err != nil {
			return nil, fmt.Errorf("list jobs: %w", err)
		}
		job.CreatedAt = job.CreatedAt.UTC()
		if attempted != nil {
			t := attempted.UTC()
			job.AttemptedAt = &t
		}
		out = append(out, job)
	}
	return out, rows.Err()
}
