package web

import (
	"context"
	"time"

	"takehome/exercises"
	"takehome/grader"
)

// SessionStore keeps staff sign-in sessions server-side; the cookie holds
// a random token of which the store keeps only a hash.
type SessionStore interface {
	// CreateSession starts a session for the user and returns its token.
	CreateSession(ctx context.Context, userID int64, now time.Time, ip, userAgent string) (string, error)
	// FindSession returns the session's user and extends the session; it
	// returns CodeUnauthorized for an unknown, expired or disabled one.
	FindSession(ctx context.Context, token string, now time.Time) (*grader.User, error)
	// DeleteSession ends a session; an unknown token is not an error.
	DeleteSession(ctx context.Context, token string) error
}

// StaffStore is what the staff pages read and change besides sessions.
type StaffStore interface {
	LoginStore
	ReviewStore
	UserAdmin
	ExerciseAdmin
	InviteAdmin
	QueueAdmin
	InviteDefaults(ctx context.Context) (grader.InviteDefaults, error)
	SetInviteDefaults(ctx context.Context, d grader.InviteDefaults) error
	ListAudit(ctx context.Context, limit int) ([]grader.AuditEvent, error)
	// ListLLMProviders lists the configured model providers, without keys.
	ListLLMProviders(ctx context.Context) ([]grader.LLMProvider, error)
	// SaveLLMProvider creates or updates one; an empty key keeps the stored one.
	SaveLLMProvider(ctx context.Context, p grader.LLMProvider) error
	DeleteLLMProvider(ctx context.Context, name string) error
	// SetModelAccess stores an admin's change to a version's model access.
	SetModelAccess(ctx context.Context, versionID int64, a exercises.ModelAccess, by string, at time.Time) error
	// LLMCalls lists a run's model calls, with their bodies when asked.
	LLMCalls(ctx context.Context, runID int64, withBodies bool) ([]grader.ModelCall, error)
}

// LoginStore checks staff passwords and remembers failed sign-ins for the
// lockout.
type LoginStore interface {
	// FindUserByEmail returns the user and their password hash, or
	// CodeNotFound.
	FindUserByEmail(ctx context.Context, email string) (*grader.User, string, error)
	// RecordLogin remembers a sign-in attempt for email from ip.
	RecordLogin(ctx context.Context, email, ip string, ok bool, at time.Time) error
	// FailedLogins counts failed attempts since since: for email (since its
	// last successful sign-in) and from ip.
	FailedLogins(ctx context.Context, email, ip string, since time.Time) (byEmail, byIP int, err error)
}

// ReviewStore backs the interviewer pages.
type ReviewStore interface {
	ListSubmissionSummaries(ctx context.Context, f grader.SummaryFilter) ([]grader.SubmissionSummary, error)
	ListExerciseSlugs(ctx context.Context) ([]string, error)
	FindSubmissionSummary(ctx context.Context, id int64) (*grader.SubmissionSummary, error)
	ListReviews(ctx context.Context, submissionID int64) ([]grader.Review, error)
	SaveReview(ctx context.Context, r *grader.Review, now time.Time) error
	// CohortScores are the scores of the graded submissions of a version
	// in a mode.
	CohortScores(ctx context.Context, versionID int64, mode exercises.Mode) ([]float64, error)
	SubmissionArchive(ctx context.Context, id int64) ([]byte, error)
}

// UserAdmin manages staff accounts.
type UserAdmin interface {
	ListUsers(ctx context.Context) ([]grader.User, error)
	FindUser(ctx context.Context, id int64) (*grader.User, error)
	CreateUser(ctx context.Context, email string, role grader.Role, passwordHash string) (*grader.User, error)
	SetUserRole(ctx context.Context, id int64, role grader.Role) error
	// SetUserDisabled also ends the sessions of a disabled user.
	SetUserDisabled(ctx context.Context, id int64, disabled bool) error
	// SetPassword also ends the user's sessions.
	SetPassword(ctx context.Context, userID int64, passwordHash string) error
	CreatePasswordReset(ctx context.Context, userID, createdBy int64, expires time.Time) (string, error)
	// FindPasswordReset returns the user of a live reset link, or
	// CodeNotFound.
	FindPasswordReset(ctx context.Context, token string, now time.Time) (*grader.User, error)
	// UsePasswordReset sets the password and spends the link.
	UsePasswordReset(ctx context.Context, token, passwordHash string, now time.Time) (*grader.User, error)
}

// ExerciseAdmin manages exercise versions.
type ExerciseAdmin interface {
	ListVersions(ctx context.Context) ([]grader.ExerciseVersion, error)
	// CreateDraftVersion stores the next version of an exercise, in draft.
	CreateDraftVersion(ctx context.Context, v *exercises.Version) (*grader.ExerciseVersion, error)
	// SetVersionStatus moves a version to draft, published or archived.
	SetVersionStatus(ctx context.Context, id int64, status string) error
}

// InviteAdmin manages invites.
type InviteAdmin interface {
	ListInvites(ctx context.Context, limit int) ([]grader.InviteSummary, error)
	CreateInvite(ctx context.Context, inv *grader.Invite) (string, error)
	// CreateInvites creates a batch and each one's audit event at once, or
	// nothing; it returns the tokens in order.
	CreateInvites(ctx context.Context, invs []*grader.Invite, audit func(*grader.Invite) grader.AuditEvent) ([]string, error)
	FindInvite(ctx context.Context, id int64) (*grader.Invite, error)
	RevokeInvite(ctx context.Context, id int64, now time.Time) error
	ExtendInvite(ctx context.Context, id int64, expires time.Time) error
}

// QueueAdmin grades submissions again.
type QueueAdmin interface {
	// Regrade keeps the submission's report as superseded and queues it
	// again; it returns the new job's id.
	Regrade(ctx context.Context, submissionID int64) (int64, error)
	// RegradeVersion regrades every graded or failed submission of a
	// version and returns how many.
	RegradeVersion(ctx context.Context, versionID int64) (int, error)
}
