package grader

import (
	"strings"
	"time"
)

// Decision is an interviewer's call on a submission.
type Decision string

// Decisions.
const (
	DecisionAdvance Decision = "advance"
	DecisionHold    Decision = "hold"
	DecisionReject  Decision = "reject"
)

// ParseDecision checks a decision from a form; "" means undecided.
func ParseDecision(s string) (Decision, error) {
	switch d := Decision(s); d {
	case "", DecisionAdvance, DecisionHold, DecisionReject:
		return d, nil
	}
	return "", Errorf(CodeInvalid, "unknown decision %q: want advance, hold or reject", s)
}

// Review is one interviewer's rubric scores, decision and comment on a
// submission.
type Review struct {
	SubmissionID int64          `json:"submission_id"`
	UserID       int64          `json:"user_id"`
	Reviewer     string         `json:"reviewer,omitempty"` // the user's email, when read
	Scores       map[string]int `json:"scores"`             // criterion key -> 1..4
	Decision     Decision       `json:"decision,omitempty"`
	Comment      string         `json:"comment,omitempty"`
	UpdatedAt    time.Time      `json:"updated_at"`
}

// SubmissionSummary is a row of the staff's submission list: the
// submission with its candidate, exercise and decision.
type SubmissionSummary struct {
	Submission
	Email    string   `json:"email"`
	Slug     string   `json:"slug"`
	Version  int      `json:"version"`
	Decision Decision `json:"decision,omitempty"`
}

// InviteSummary is a row of the admin's invite list.
type InviteSummary struct {
	Invite
	Slug    string `json:"slug"`
	Version int    `json:"version"`
}

// QueueJob is a grading job as the admin's queue page shows it.
type QueueJob struct {
	ID           int64      `json:"id"`
	State        string     `json:"state"` // River's: available, running, retryable, discarded, cancelled, completed, scheduled
	Attempt      int        `json:"attempt"`
	MaxAttempts  int        `json:"max_attempts"`
	SubmissionID int64      `json:"submission_id"`
	CreatedAt    time.Time  `json:"created_at"`
	AttemptedAt  *time.Time `json:"attempted_at,omitempty"`
	LastError    string     `json:"last_error,omitempty"`
}

// SummaryFilter selects rows of the staff's submission list; zero fields
// match all.
type SummaryFilter struct {
	VersionID int64
	Slug      string
	Status    SubmissionStatus
	Decision  string // advance, hold, reject, or "none" for undecided
	ByScore   bool   // best score first instead of newest first
	// References keeps only reference submissions (their invites' emails
	// match ReferenceEmailLike).
	References bool
	Limit      int // 1 to 1000, 100 when zero
	Offset     int
}

// Reference submissions run on internal invites whose email marks them, so
// they never count as candidates (".invalid" never delivers mail).
const (
	referencePrefix = "reference+"
	referenceDomain = "@takehome.invalid"
	// ReferenceEmailLike matches the emails of reference invites in SQL.
	ReferenceEmailLike = referencePrefix + "%" + referenceDomain
)

// ReferenceEmail is the email of the invite a reference submission runs on.
func ReferenceEmail(name string) string { return referencePrefix + name + referenceDomain }

// ReferenceName returns the reference's name when email is a reference
// invite's.
func ReferenceName(email string) (string, bool) {
	if !strings.HasPrefix(email, referencePrefix) || !strings.HasSuffix(email, referenceDomain) {
		return "", false
	}
	return strings.TrimSuffix(strings.TrimPrefix(email, referencePrefix), referenceDomain), true
}
