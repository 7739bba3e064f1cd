package web

import (
	"context"
	"io"
	"time"

	"takehome/exercises"
	"takehome/grader"
)

// InviteStore finds and starts invites.
type InviteStore interface {
	// FindInviteByToken returns a *grader.Error with CodeUnauthorized when
	// the token is unknown.
	FindInviteByToken(ctx context.Context, token string) (*grader.Invite, error)
	// StartInvite starts the invite's personal window at now.
	StartInvite(ctx context.Context, id int64, now time.Time) (*grader.Invite, error)
}

// VersionStore reads exercise versions.
type VersionStore interface {
	FindVersion(ctx context.Context, id int64) (*grader.ExerciseVersion, error)
	// VersionFiles returns the version's files of a kind, e.g. "starter".
	VersionFiles(ctx context.Context, versionID int64, kind string) ([]exercises.File, error)
}

// UserStore finds staff users.
type UserStore interface {
	// FindUserByAPIToken returns a *grader.Error with CodeUnauthorized when
	// the token is unknown or its user disabled.
	FindUserByAPIToken(ctx context.Context, token string) (*grader.User, error)
}

// SubmissionStore creates and reads submissions and their reports.
type SubmissionStore interface {
	// CreateSubmission stores sub with its archive, the size bytes read
	// from archive, and enqueues its grading job in one transaction; it
	// fills in sub.ArchiveSHA256. It returns codes forbidden (revoked or
	// expired invite), quota and conflict (a second final). When
	// sub.IdempotencyKey names an existing submission it fills sub with it
	// and returns created == false, possibly without reading archive.
	CreateSubmission(ctx context.Context, sub *grader.Submission, archive io.Reader, size int64, now time.Time) (created bool, err error)
	// FindSubmission returns CodeNotFound when there is no such submission.
	FindSubmission(ctx context.Context, id int64) (*grader.Submission, error)
	// FindReport returns CodeNotFound while the submission is not graded.
	FindReport(ctx context.Context, submissionID int64) (*grader.Report, error)
	// ListInviteSubmissions returns an invite's submissions, newest first.
	ListInviteSubmissions(ctx context.Context, inviteID int64) ([]grader.Submission, error)
	// ListPhaseProgress returns the finished steps of the submission's
	// latest run, in order.
	ListPhaseProgress(ctx context.Context, submissionID int64) ([]grader.PhaseRecord, error)
}

// ModelCallReader reads a run's model calls, with their bodies when asked.
type ModelCallReader interface {
	LLMCalls(ctx context.Context, runID int64, withBodies bool) ([]grader.ModelCall, error)
}

// SubmissionLister lists submissions, newest first.
type SubmissionLister interface {
	ListSubmissions(ctx context.Context, f grader.SubmissionFilter) ([]grader.Submission, error)
}

// AuditLog records who did what.
type AuditLog interface {
	AddAudit(ctx context.Context, e grader.AuditEvent) error
}

// JobQueue lists and cancels grading jobs.
type JobQueue interface {
	// ListJobs returns the jobs that are not completed, newest first.
	ListJobs(ctx context.Context, limit int) ([]grader.QueueJob, error)
	CancelJob(ctx context.Context, jobID int64) error
}
