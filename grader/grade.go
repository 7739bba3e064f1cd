package grader

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"takehome/exercises"
)

// GradeStore is what grading a submission needs from the database.
type GradeStore interface {
	FindSubmission(ctx context.Context, id int64) (*Submission, error)
	FindVersion(ctx context.Context, id int64) (*ExerciseVersion, error)
	VersionFiles(ctx context.Context, versionID int64, kind string) ([]exercises.File, error)
	EvalSet(ctx context.Context, versionID int64, name string) (exercises.EvalSet, error)
	SubmissionArchive(ctx context.Context, id int64) ([]byte, error)
	StartRun(ctx context.Context, submissionID int64, worker string, now time.Time) (*Run, error)
	// SetRunSandbox records the image id and OCI runtime of the run's
	// containers.
	SetRunSandbox(ctx context.Context, runID int64, imageID, runtime string) error
	FinishRun(ctx context.Context, runID int64, status, errMsg string, now time.Time) error
	SaveReport(ctx context.Context, rep *Report, complete func(ctx context.Context, tx *sql.Tx) error) error
	SetSubmissionStatus(ctx context.Context, id int64, status SubmissionStatus) error
}

// Observer is told how runs and steps ended, for metrics.
type Observer interface {
	RunDone(outcome string)
	StepDone(phase string, verdict Verdict, wall time.Duration)
}

// Grader grades one submission per attempt: it loads the version, the eval
// set and the archive, runs the pipeline, and either saves the report (and
// completes the job, in one transaction) or settles the failure.
type Grader struct {
	Store     GradeStore
	Exercises *exercises.Registry
	Pipeline  *Pipeline
	Unpack    func(archive []byte) ([]exercises.File, error) // an accepted archive's files
	Observer  Observer
	WorkerID  string // recorded on the runs
	Now       func() time.Time
	Logger    *slog.Logger
}

// Attempt is one try at grading a submission, as the queue hands it over.
type Attempt struct {
	SubmissionID int64
	JobID        int64
	Number       int  // 1 for the first try
	Last         bool // no retry follows if this one fails
	// Complete marks the job done inside the transaction that stores the
	// report, so that a submission is graded exactly once.
	Complete func(ctx context.Context, tx *sql.Tx) error
	// CanceledByAdmin reports whether ctx ended because an admin cancelled
	// the job rather than because the worker is stopping.
	CanceledByAdmin func(ctx context.Context) bool
}

// How an attempt that did not grade ends; the queue maps each to its own
// way of settling a job. Any other error is worth a retry.
var (
	// ErrJobCanceled: an admin cancelled the job; it must not run again.
	ErrJobCanceled = errors.New("canceled by an admin")
	// ErrWorkerStopping: the worker is shutting down; the job should be
	// available again at once, without spending an attempt.
	ErrWorkerStopping = errors.New("worker stopping")
)

// Grade grades the attempt's submission. It returns nil when the submission
// is graded (by this attempt or an earlier one) or settled; otherwise an
// error wrapping ErrJobCanceled, ErrWorkerStopping, or one worth retrying.
func (g *Grader) Grade(ctx context.Context, a Attempt) error {
	log := g.Logger.With("submission_id", a.SubmissionID, "job_id", a.JobID, "attempt", a.Number)
	sub, err := g.Store.FindSubmission(ctx, a.SubmissionID)
	if err != nil {
		return fmt.Errorf("find submission: %w", err)
	}
	if sub.Status == StatusGraded || sub.Status == StatusCanceled {
		log.Info("submission already settled", "status", sub.Status)
		return nil
	}
	run, err := g.Store.StartRun(ctx, sub.ID, g.WorkerID, g.Now())
	if ErrorCode(err) == CodeConflict {
		return nil // graded by an earlier attempt that died before completing its job
	}
	if err != nil {
		return fmt.Errorf("start run: %w", err)
	}
	log = log.With("run_id", run.ID)
	version, out, err := g.run(ctx, sub, run)
	if out.ImageID != "" {
		if err := g.Store.SetRunSandbox(context.WithoutCancel(ctx), run.ID, out.ImageID, out.Runtime); err != nil {
			log.Error("record image and runtime", "err", err)
		}
	}
	for _, p := range out.Phases {
		g.Observer.StepDone(p.Phase, p.Verdict, p.Wall)
	}
	if err != nil {
		return g.settle(ctx, a, sub, run, err, log)
	}
	return g.save(ctx, a, version, sub, run, out, log)
}

// run loads what the submission needs and runs the pipeline.
func (g *Grader) run(ctx context.Context, sub *Submission, run *Run) (*ExerciseVersion, Outcome, error) {
	version, err := g.Store.FindVersion(ctx, sub.ExerciseVersionID)
	if err != nil {
		return nil, Outcome{}, fmt.Errorf("find version: %w", err)
	}
	ex, err := g.Exercises.Get(version.Spec.EngineSlug())
	if err != nil {
		return nil, Outcome{}, err
	}
	assets, err := g.Store.VersionFiles(ctx, version.ID, "asset")
	if err != nil {
		return nil, Outcome{}, fmt.Errorf("load assets: %w", err)
	}
	set, err := g.Store.EvalSet(ctx, version.ID, exercises.SetFor(sub.Mode))
	if err != nil {
		return nil, Outcome{}, fmt.Errorf("load eval set: %w", err)
	}
	data, err := g.Store.SubmissionArchive(ctx, sub.ID)
	if err != nil {
		return nil, Outcome{}, fmt.Errorf("load archive: %w", err)
	}
	files, err := g.Unpack(data)
	if err != nil {
		return nil, Outcome{}, fmt.Errorf("unpack accepted archive: %w", err)
	}
	out, err := g.Pipeline.Run(ctx, Job{
		RunID: run.ID, Exercise: ex, Spec: version.Spec, Assets: assets, Set: set,
		Mode: sub.Mode, Files: files,
		Labels: map[string]string{"takehome.submission": fmt.Sprint(sub.ID)},
	})
	return version, out, err
}

// save stores the report and completes the job in one transaction, so a
// submission is graded exactly once even if this worker dies right after.
func (g *Grader) save(ctx context.Context, a Attempt, version *ExerciseVersion, sub *Submission, run *Run, out Outcome, log *slog.Logger) error {
	rep := &Report{
		SubmissionID: sub.ID, RunID: run.ID, Mode: sub.Mode, ImageID: out.ImageID,
		Exercise: version.Slug, Version: version.Number,
		Phases: out.Phases, Result: out.Result, ExpectedScore: out.Manifest.ExpectedScore,
		GradedAt: g.Now(),
	}
	// Results are written even when the worker is stopping.
	err := g.Store.SaveReport(context.WithoutCancel(ctx), rep, a.Complete)
	if ErrorCode(err) == CodeConflict {
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
	g.Observer.RunDone(outcome)
	log.Info("graded", "outcome", outcome)
	return nil
}

// settle records a run that could not finish: cancelled by an admin, stopped
// by a shutdown (the job goes to another worker), or an infrastructure error
// (retried with backoff; the submission fails after the last attempt).
func (g *Grader) settle(ctx context.Context, a Attempt, sub *Submission, run *Run, cause error, log *slog.Logger) error {
	bg := context.WithoutCancel(ctx)
	adminCanceled := a.CanceledByAdmin != nil && a.CanceledByAdmin(ctx)
	status, subStatus := "infra_error", StatusQueued
	switch {
	case adminCanceled:
		status, subStatus = "canceled", StatusCanceled
	case ctx.Err() != nil || errors.Is(cause, ErrCanceled):
		status = "abandoned"
	case a.Last:
		subStatus = StatusFailed
	}
	if err := g.Store.FinishRun(bg, run.ID, status, cause.Error(), g.Now()); err != nil {
		log.Error("finish run", "err", err)
	}
	if err := g.Store.SetSubmissionStatus(bg, sub.ID, subStatus); err != nil {
		log.Error("set submission status", "err", err)
	}
	g.Observer.RunDone(status)
	log.Warn("run did not finish", "status", status, "err", cause)
	switch {
	case adminCanceled:
		return fmt.Errorf("%w: %w", ErrJobCanceled, cause)
	case errors.Is(ctx.Err(), context.Canceled):
		// A job out of time gets DeadlineExceeded and is retried with backoff;
		// a cancelled context without an admin's cancel is a shutdown.
		return fmt.Errorf("%w: %w", ErrWorkerStopping, cause)
	}
	return cause
}
