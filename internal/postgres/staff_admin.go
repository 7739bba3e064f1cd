package postgres

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"takehome/exercises"
	"takehome/grader"
)

// CreateDraftVersion stores v as the next version of its exercise, in
// draft: invisible to invites until an admin publishes it.
func (s *Store) CreateDraftVersion(ctx context.Context, v *exercises.Version) (*grader.ExerciseVersion, error) {
	var out *grader.ExerciseVersion
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if out, err = (&Store{db: tx, enq: s.enq}).CreateVersion(ctx, v); err != nil {
			return err
		}
		out.Status = "draft"
		return tx.Exec("UPDATE exercise_versions SET status = 'draft' WHERE id = ?", out.ID).Error
	})
	if err != nil {
		return nil, fmt.Errorf("create draft version: %w", err)
	}
	return out, nil
}

// SetVersionStatus publishes, archives or drafts a version. A version that
// has invites cannot go back to draft.
func (s *Store) SetVersionStatus(ctx context.Context, id int64, status string) error {
	switch status {
	case "draft", "published", "archived":
	default:
		return grader.Errorf(grader.CodeInvalid, "unknown version status %q", status)
	}
	cond := "id = ?"
	if status == "draft" {
		cond += " AND locked_at IS NULL"
	}
	res := s.db.WithContext(ctx).Exec("UPDATE exercise_versions SET status = ? WHERE "+cond, status, id)
	if err := notFoundIfNone(res, fmt.Sprintf("unlocked exercise version %d", id)); err != nil {
		return fmt.Errorf("set version status: %w", err)
	}
	return nil
}

// inviteSummaryRow is flat: gorm's Raw scan does not fill embedded structs.
type inviteSummaryRow struct {
	ID            int64
	VersionID     int64
	Email         string
	ExpiresAt     time.Time
	WindowSeconds int64
	StartedAt     *time.Time
	Attempts      int
	RevokedAt     *time.Time
	CreatedAt     time.Time
	AttemptsUsed  int
	Slug          string
	Version       int
}

func (r *inviteSummaryRow) summary() grader.InviteSummary {
	inv := inviteRow{
		ID: r.ID, VersionID: r.VersionID, Email: r.Email, ExpiresAt: r.ExpiresAt, WindowSeconds: r.WindowSeconds,
		StartedAt: r.StartedAt, Attempts: r.Attempts, RevokedAt: r.RevokedAt, CreatedAt: r.CreatedAt, AttemptsUsed: r.AttemptsUsed,
	}
	return grader.InviteSummary{Invite: *inv.invite(), Slug: r.Slug, Version: r.Version}
}

// ListInvites returns the latest invites, newest first, with their exercise.
func (s *Store) ListInvites(ctx context.Context, limit int) ([]grader.InviteSummary, error) {
	var rows []inviteSummaryRow
	err := s.db.WithContext(ctx).Raw(`SELECT invites.id, invites.version_id, invites.email, invites.expires_at,
		invites.window_seconds, invites.started_at, invites.attempts, invites.revoked_at, invites.created_at, v.slug, v.number AS version,
		(SELECT count(*) FROM submissions s WHERE s.invite_id = invites.id) AS attempts_used
		FROM invites JOIN exercise_versions v ON v.id = invites.version_id
		ORDER BY invites.id DESC LIMIT ?`, listLimit(limit)).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list invites: %w", err)
	}
	out := make([]grader.InviteSummary, len(rows))
	for i := range rows {
		out[i] = rows[i].summary()
	}
	return out, nil
}

// ExtendInvite moves an invite's expiry.
func (s *Store) ExtendInvite(ctx context.Context, id int64, expires time.Time) error {
	res := s.db.WithContext(ctx).Exec("UPDATE invites SET expires_at = ? WHERE id = ? AND revoked_at IS NULL", expires, id)
	if err := notFoundIfNone(res, fmt.Sprintf("unrevoked invite %d", id)); err != nil {
		return fmt.Errorf("extend invite: %w", err)
	}
	return nil
}

type jobRow struct {
	ID           int64
	State        string
	Attempt      int
	MaxAttempts  int
	SubmissionID int64
	CreatedAt    time.Time
	AttemptedAt  *time.Time
	LastError    string
}

// ListJobs returns the grading jobs that are not completed: running,
// waiting, retrying, failed for good or cancelled, newest first.
func (s *Store) ListJobs(ctx context.Context, limit int) ([]grader.QueueJob, error) {
	var rows []jobRow
	err := s.db.WithContext(ctx).Raw(`SELECT id, state, attempt, max_attempts,
		coalesce((args->>'submission_id')::bigint, 0) AS submission_id, created_at, attempted_at,
		coalesce(errors[array_length(errors, 1)]->>'error', '') AS last_error
		FROM river_job WHERE kind = 'grade' AND state <> 'completed'
		ORDER BY id DESC LIMIT ?`, listLimit(limit)).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	out := make([]grader.QueueJob, len(rows))
	for i, r := range rows {
		out[i] = grader.QueueJob{
			ID: r.ID, State: r.State, Attempt: r.Attempt, MaxAttempts: r.MaxAttempts, SubmissionID: r.SubmissionID,
			CreatedAt: utc(r.CreatedAt), AttemptedAt: utcPtr(r.AttemptedAt), LastError: r.LastError,
		}
	}
	return out, nil
}

// Regrade grades a graded or failed submission again: its report moves to
// superseded_reports (reports keeps one row per submission, the latest), the
// submission goes back to queued without a score, and a new grading job is
// enqueued, all in one transaction. It returns the job's id.
func (s *Store) Regrade(ctx context.Context, submissionID int64) (int64, error) {
	var job int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		job, err = s.regrade(ctx, tx, submissionID)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("regrade submission %d: %w", submissionID, err)
	}
	return job, nil
}

func (s *Store) regrade(ctx context.Context, tx *gorm.DB, id int64) (int64, error) {
	if s.enq == nil {
		return 0, fmt.Errorf("store has no queue")
	}
	var status string
	res := tx.Raw("SELECT status FROM submissions WHERE id = ? FOR UPDATE", id).Scan(&status)
	if err := notFoundIfNone(res, fmt.Sprintf("submission %d", id)); err != nil {
		return 0, err
	}
	if status != string(grader.StatusGraded) && status != string(grader.StatusFailed) {
		return 0, grader.Errorf(grader.CodeConflict, "submission %d is %s: only graded or failed submissions can be regraded", id, status)
	}
	err := tx.Exec(`INSERT INTO superseded_reports (submission_id, run_id, body, created_at)
		SELECT submission_id, run_id, body, created_at FROM reports WHERE submission_id = ?`, id).Error
	if err == nil {
		err = tx.Exec("DELETE FROM reports WHERE submission_id = ?", id).Error
	}
	if err != nil {
		return 0, err
	}
	stx, err := sqlTx(tx)
	if err != nil {
		return 0, err
	}
	job, err := s.enq.EnqueueGrade(ctx, stx, id)
	if err != nil {
		return 0, err
	}
	return job, tx.Exec("UPDATE submissions SET status = 'queued', score = NULL, graded_at = NULL, job_id = ? WHERE id = ?", job, id).Error
}

// RegradeVersion regrades every graded or failed submission of a version in
// one transaction and returns how many.
func (s *Store) RegradeVersion(ctx context.Context, versionID int64) (int, error) {
	var n int
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var ids []int64
		err := tx.Raw("SELECT id FROM submissions WHERE version_id = ? AND status IN ('graded', 'failed') ORDER BY id", versionID).Scan(&ids).Error
		if err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := s.regrade(ctx, tx, id); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("regrade version %d: %w", versionID, err)
	}
	return n, nil
}

// SupersededReports counts the reports a submission's regrades replaced.
func (s *Store) SupersededReports(ctx context.Context, submissionID int64) (int, error) {
	var n int
	if err := s.db.WithContext(ctx).Raw("SELECT count(*) FROM superseded_reports WHERE submission_id = ?", submissionID).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("count superseded reports: %w", err)
	}
	return n, nil
}
