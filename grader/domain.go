package grader

import (
	"encoding/json"
	"time"

	"takehome/exercises"
)

// Role is what a staff user may do.
type Role string

// Staff roles.
const (
	RoleAdmin       Role = "admin"
	RoleInterviewer Role = "interviewer"
)

// User is a staff member. Candidates have no accounts: their invite is their key.
type User struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	Role      Role      `json:"role"`
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
}

// ExerciseVersion is one immutable version of an exercise.
type ExerciseVersion struct {
	ID        int64          `json:"id"`
	Slug      string         `json:"slug"`
	Number    int            `json:"version"`
	Seed      uint64         `json:"seed"`
	Spec      exercises.Spec `json:"spec"`
	Status    string         `json:"status"` // draft, published, archived
	CreatedAt time.Time      `json:"created_at"`
	// Spec.Models is the one part an admin may change after the version
	// is in use (prices, provider, budgets); these say who did, last.
	ModelsEditedBy string    `json:"models_edited_by,omitempty"`
	ModelsEditedAt time.Time `json:"models_edited_at,omitzero"`
}

// Invite lets one candidate take one exercise version.
type Invite struct {
	ID                int64         `json:"id"`
	ExerciseVersionID int64         `json:"exercise_version_id"`
	Email             string        `json:"email"`
	ExpiresAt         time.Time     `json:"expires_at"`
	Window            time.Duration `json:"window_ns"`
	StartedAt         *time.Time    `json:"started_at,omitempty"`
	Attempts          int           `json:"attempts"`      // quota of submissions, both modes
	AttemptsUsed      int           `json:"attempts_used"` // submissions made so far
	RevokedAt         *time.Time    `json:"revoked_at,omitempty"`
	CreatedAt         time.Time     `json:"created_at"`
}

// Deadline is when the invite stops accepting submissions: its expiry, or the
// end of the personal window once started, whichever is first.
func (i *Invite) Deadline() time.Time {
	if i.StartedAt != nil && i.Window > 0 {
		if end := i.StartedAt.Add(i.Window); end.Before(i.ExpiresAt) {
			return end
		}
	}
	return i.ExpiresAt
}

// SubmissionStatus is where a submission is in its life.
type SubmissionStatus string

// Submission statuses. failed means infrastructure gave up after retries; a
// candidate's broken code is still graded (with an invalid result).
const (
	StatusQueued   SubmissionStatus = "queued"
	StatusRunning  SubmissionStatus = "running"
	StatusGraded   SubmissionStatus = "graded"
	StatusFailed   SubmissionStatus = "failed"
	StatusCanceled SubmissionStatus = "canceled"
)

// Submission is one uploaded archive and its grading state.
type Submission struct {
	ID                int64            `json:"id"`
	InviteID          int64            `json:"invite_id"`
	ExerciseVersionID int64            `json:"exercise_version_id"`
	Mode              exercises.Mode   `json:"mode"`
	Status            SubmissionStatus `json:"status"`
	ArchiveSHA256     string           `json:"archive_sha256"`
	ArchiveSize       int64            `json:"archive_size"`
	IdempotencyKey    string           `json:"-"`
	JobID             int64            `json:"job_id,omitempty"`
	Score             *float64         `json:"score,omitempty"`
	CreatedAt         time.Time        `json:"created_at"`
	GradedAt          *time.Time       `json:"graded_at,omitempty"`
}

// Run is one grading attempt of a submission.
type Run struct {
	ID           int64      `json:"id"`
	SubmissionID int64      `json:"submission_id"`
	Attempt      int        `json:"attempt"`
	Worker       string     `json:"worker"`
	ImageID      string     `json:"image_id"`
	Runtime      string     `json:"runtime"` // OCI runtime of the run's containers, e.g. runc, runsc
	Status       string     `json:"status"`  // running, done, infra_error, abandoned
	Error        string     `json:"error,omitempty"`
	StartedAt    time.Time  `json:"started_at"`
	FinishedAt   *time.Time `json:"finished_at,omitempty"`
}

// PhaseRecord is how one step of a run ended, as stored.
type PhaseRecord struct {
	Step       string        `json:"step"`
	Phase      string        `json:"phase"`
	Runtime    string        `json:"runtime,omitempty"` // OCI runtime it ran under, e.g. runc, runsc
	Verdict    Verdict       `json:"verdict"`
	Reason     string        `json:"reason,omitempty"`
	ExitCode   int           `json:"exit_code"`
	Wall       time.Duration `json:"wall_ns"`
	PeakMemory int64         `json:"peak_memory_bytes,omitempty"`
	Log        Log           `json:"log"`
	Models     *ModelUse     `json:"models,omitempty"` // set when the step had model access
}

// Report is the stored outcome of a graded submission.
type Report struct {
	SubmissionID  int64             `json:"submission_id"`
	RunID         int64             `json:"run_id"`
	Exercise      string            `json:"exercise"`
	Version       int               `json:"version"`
	Mode          exercises.Mode    `json:"mode"`
	ImageID       string            `json:"image_id"`
	Phases        []PhaseRecord     `json:"phases"`
	Result        *exercises.Result `json:"result"`
	ExpectedScore *float64          `json:"expected_score,omitempty"`
	Notes         string            `json:"notes,omitempty"`
	GradedAt      time.Time         `json:"graded_at"`
}

// AuditEvent records who did what.
type AuditEvent struct {
	ID     int64           `json:"id"`
	Actor  string          `json:"actor"` // "user:3", "invite:7", "system"
	Action string          `json:"action"`
	Target string          `json:"target"`
	Detail json.RawMessage `json:"detail,omitempty"`
	At     time.Time       `json:"at"`
}

// SubmissionFilter selects submissions, newest first; zero fields match all.
type SubmissionFilter struct {
	VersionID int64
	InviteID  int64
	Status    SubmissionStatus
	Limit     int // 100 when zero, at most 1000 (the API asks for 1 to 200)
	Offset    int
}
