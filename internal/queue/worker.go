package queue

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivertype"

	"takehome/grader"
)

// GradeWorker hands each grading job to the grader and turns how the attempt
// ended into River's terms.
type GradeWorker struct {
	river.WorkerDefaults[GradeArgs]
	Grader *grader.Grader
	Limit  time.Duration // a job's whole run, all phases and copying
}

// Timeout implements river.Worker. The phases have their own timeouts; this
// one catches a run stuck anywhere else.
func (w *GradeWorker) Timeout(*river.Job[GradeArgs]) time.Duration { return w.Limit }

// Work implements river.Worker.
func (w *GradeWorker) Work(ctx context.Context, job *river.Job[GradeArgs]) error {
	err := w.Grader.Grade(ctx, grader.Attempt{
		SubmissionID: job.Args.SubmissionID, JobID: job.ID, Number: job.Attempt,
		Last: job.Attempt >= job.MaxAttempts,
		Complete: func(ctx context.Context, tx *sql.Tx) error {
			_, err := river.JobCompleteTx[*riverdatabasesql.Driver](ctx, tx, job)
			return err
		},
		CanceledByAdmin: canceledRemotely,
	})
	switch {
	case errors.Is(err, grader.ErrJobCanceled):
		return river.JobCancel(err)
	case errors.Is(err, grader.ErrWorkerStopping):
		// Not the submission's fault nor the infrastructure's: make the job
		// available again at once, without spending an attempt, so another
		// worker takes it now rather than after a retry's backoff.
		return river.JobSnooze(0)
	}
	return err
}

// canceledRemotely reports whether the job's context ended because an admin
// cancelled the job (rather than because the worker is shutting down).
func canceledRemotely(ctx context.Context) bool {
	return errors.Is(context.Cause(ctx), rivertype.ErrJobCancelledRemotely)
}
