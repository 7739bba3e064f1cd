package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"takehome/exercises"
	"takehome/grader"
)

// Store is what the grade worker needs from the database.
type Store interface {
	FindSubmission(ctx context.Context, id int64) (*grader.Submission, error)
	FindVersion(ctx context.Context, id int64) (*grader.ExerciseVersion, error)
	VersionFiles(ctx context.Context, versionID int64, kind string) ([]exercises.File, error)
	EvalSet(ctx context.Context, versionID int64, name string) (exercises.EvalSet, error)
	SubmissionArchive(ctx context.Context, id int64) ([]byte, error)
	StartRun(ctx context.Context, submissionID int64, worker string, now time.Time) (*grader.Run, error)
	SetRunImage(ctx context.Context, runID int64, imageID string) error
	FinishRun(ctx context.Context, runID int64, status, errMsg string, now time.Time) error
	SaveReport(ctx context.Context, rep *grader.Report, complete func(ctx context.Context, tx *sql.Tx) error) error
	SetSubmissionStatus(ctx context.Context, id int64, status grader.SubmissionStatus) error
}

// Observer is told how runs and steps ended, for metrics.
type Observer interface {
	RunDone(outcome string)
	StepDone(phase string, verdict grader.Verdict, wall time.Duration)
}

// GradeWorker grades one submission per job.
type GradeWorker struct {
	river.WorkerDefaults[GradeArgs]

	Store     Store
	Exercises *exercises.Registry
	Pipeline  *grader.Pipeline
	Unpack    func(archive []byte) ([]exercises.File, error)
	Observer  Observer
	WorkerID  string
	Limit     time.Duration // a job's whole run, all phases and copying
	Now       func() time.Time
	Logger    *slog.Logger
}

// Timeout implements river.Worker. The phases have their own timeouts; this
// one catches a run stuck anywhere else.
func (w *GradeWorker) Timeout(*river.Job[GradeArgs]) time.Duration { return w.Limit }

// Work implements river.Worker.
func (w *GradeWorker) Work(ctx context.Context, job *river.Job[GradeArgs]) error {
	log := w.Logger.With("submission_id", job.Args.SubmissionID, "job_id", job.ID, "attempt", job.Attempt)
	sub, err := w.Store.FindSubmission(ctx, job.Args.SubmissionID)
	if err != nil {
		return fmt.Errorf("find submission: %w", err)
	}
	if sub.Status == grader.StatusGraded || sub.Status == grader.StatusCanceled {
		log.Info("submission already settled", "status", sub.Status)
		return nil
	}
	run, err := w.Store.StartRun(ctx, sub.ID, w.WorkerID, w.Now())
	if grader.ErrorCode(err) == grader.CodeConflict {
		return nil // graded by an earlier attempt that died before completing its job
	}
	if err != nil {
		return fmt.Errorf("start run: %w", err)
	}
	log = log.With("run_id", run.ID)
	out, err := w.grade(ctx, sub, run)
	if out.ImageID != "" {
		if err := w.Store.SetRunImage(context.WithoutCancel(ctx), run.ID, out.ImageID); err != nil {
			log.Error("record image", "err", err)
		}
	}
	for _, p := range out.Phases {
		w.Observer.StepDone(p.Phase, p.Verdict, p.Wall)
	}
	if err != nil {
		return w.fail(ctx, job, sub, run, err, log)
	}
	return w.save(ctx, job, sub, run, out, log)
}

// grade loads what the submission needs and runs the pipeline.
func (w *GradeWorker) grade(ctx context.Context, sub *grader.Submission, run *grader.Run) (grader.Outcome, error) {
	version, err := w.Store.FindVersion(ctx, sub.ExerciseVersionID)
	if err != nil {
		return grader.Outcome{}, fmt.Errorf("find version: %w", err)
	}
	ex, err := w.Exercises.Get(version.Spec.EngineSlug())
	if err != nil {
		return grader.Outcome{}, err
	}
	assets, err := w.Store.VersionFiles(ctx, version.ID, "asset")
	if err != nil {
		return grader.Outcome{}, fmt.Errorf("load assets: %w", err)
	}
	set, err := w.Store.EvalSet(ctx, version.ID, exercises.SetFor(sub.Mode))
	if err != nil {
		return grader.Outcome{}, fmt.Errorf("load eval set: %w", err)
	}
	data, err := w.Store.SubmissionArchive(ctx, sub.ID)
	if err != nil {
		return grader.Outcome{}, fmt.Errorf("load archive: %w", err)
	}
	files, err := w.Unpack(data)
	if err != nil {
		return grader.Outcome{}, fmt.Errorf("unpack accepted archive: %w", err)
	}
	return w.Pipeline.Run(ctx, grader.Job{
		RunID: run.ID, Exercise: ex, Spec: version.Spec, Assets: assets, Set: set,
		Mode: sub.Mode, Files: files,
		Labels: map[string]string{"takehome.submission": fmt.Sprint(sub.ID)},
	})
}

// save stores the report and completes the job in one transaction, so a
// submission is graded exactly once even if this worker dies right after.
func (w *GradeWorker) save(ctx context.Context, job *river.Job[GradeArgs], sub *grader.Submission, run *grader.Run, out grader.Outcome, log *slog.Logger) error {
	rep := &grader.Report{
		SubmissionID: sub.ID, RunID: run.ID, Mode: sub.Mode, ImageID: out.ImageID,
		Phases: out.Phases, Result: out.Result, ExpectedScore: out.Manifest.ExpectedScore,
		GradedAt: w.Now(),
	}
	if version, err := w.Store.FindVersion(ctx, sub.ExerciseVersionID); err == nil {
		rep.Exercise, rep.Version = version.Slug, version.Number
	}
	// Results are written even when the worker is stopping.
	saveCtx := context.WithoutCancel(ctx)
	err := w.Store.SaveReport(saveCtx, rep, func(ctx context.Context, tx *sql.Tx) error {
		_, err := river.JobCompleteTx[*riverdatabasesql.Driver](ctx, tx, job)
		return err
	})
	if grader.ErrorCode(err) == grader.CodeConflict {
		log.Warn("report already stored by another run")
		return nil
	}
	if err != nil {
		return fmt.Errorf("save report: %w", err)
	}
	outcome := "graded"
	if out.Result != nil && !out.Result.Valid {
		outcome = "invalid"
	}
	w.Observer.RunDone(outcome)
	log.Info("graded", "outcome", outcome)
	return nil
}

// fail settles a run that could not finish: cancelled by an admin, stopped by
// a shutdown (the job is retried elsewhere), or an infrastructure error
// (retried with backoff until River gives up).
func (w *GradeWorker) fail(ctx context.Context, job *river.Job[GradeArgs], sub *grader.Submission, run *grader.Run, cause error, log *slog.Logger) error {
	bg := context.WithoutCancel(ctx)
	status, subStatus := "infra_error", grader.StatusQueued
	switch {
	case canceledRemotely(ctx):
		status, subStatus = "canceled", grader.StatusCanceled
	case ctx.Err() != nil || errors.Is(cause, grader.ErrCanceled):
		status = "abandoned"
	case job.Attempt >= job.MaxAttempts:
		subStatus = grader.StatusFailed
	}
	if err := w.Store.FinishRun(bg, run.ID, status, cause.Error(), w.Now()); err != nil {
		log.Error("finish run", "err", err)
	}
	if err := w.Store.SetSubmissionStatus(bg, sub.ID, subStatus); err != nil {
		log.Error("set submission status", "err", err)
	}
	w.Observer.RunDone(status)
	log.Warn("run did not finish", "status", status, "err", cause)
	switch {
	case subStatus == grader.StatusCanceled:
		return river.JobCancel(cause)
	case shuttingDown(ctx):
		// Not the submission's fault nor the infrastructure's: make the job
		// available again at once, without spending an attempt, so another
		// worker takes it now rather than after a retry's backoff.
		return river.JobSnooze(0)
	}
	return cause
}

// shuttingDown reports that this worker's client is stopping: River cancels
// the work context (a job that ran out of time gets DeadlineExceeded, and an
// admin's cancel is told apart by canceledRemotely).
func shuttingDown(ctx context.Context) bool {
	return errors.Is(ctx.Err(), context.Canceled) && !canceledRemotely(ctx)
}
