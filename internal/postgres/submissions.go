package postgres

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"takehome/exercises"
	"takehome/grader"
)

type submissionRow struct {
	ID             int64
	InviteID       int64
	VersionID      int64
	Mode           string
	Status         string
	ArchiveSHA256  string `gorm:"column:archive_sha256"`
	ArchiveSize    int64
	IdempotencyKey *string
	JobID          *int64
	Score          *float64
	CreatedAt      time.Time
	GradedAt       *time.Time
}

func (submissionRow) TableName() string { return "submissions" }

func (r *submissionRow) submission() *grader.Submission {
	sub := &grader.Submission{
		ID: r.ID, InviteID: r.InviteID, ExerciseVersionID: r.VersionID, Mode: exercises.Mode(r.Mode),
		Status: grader.SubmissionStatus(r.Status), ArchiveSHA256: r.ArchiveSHA256, ArchiveSize: r.ArchiveSize,
		Score: r.Score, CreatedAt: utc(r.CreatedAt), GradedAt: utcPtr(r.GradedAt),
	}
	if r.IdempotencyKey != nil {
		sub.IdempotencyKey = *r.IdempotencyKey
	}
	if r.JobID != nil {
		sub.JobID = *r.JobID
	}
	return sub
}

// SubmissionFilter selects submissions; zero fields match all.
type SubmissionFilter struct {
	VersionID int64
	InviteID  int64
	Status    grader.SubmissionStatus
	Limit     int // 100 when zero, at most 1000
	Offset    int
}

// FindSubmission returns the submission with the id.
func (s *Store) FindSubmission(ctx context.Context, id int64) (*grader.Submission, error) {
	var row submissionRow
	if err := s.db.WithContext(ctx).Take(&row, id).Error; err != nil {
		return nil, fmt.Errorf("find submission: %w", dbError(err, fmt.Sprintf("submission %d", id)))
	}
	return row.submission(), nil
}

// ListSubmissions returns the submissions matching f, newest first.
func (s *Store) ListSubmissions(ctx context.Context, f SubmissionFilter) ([]grader.Submission, error) {
	q := s.db.WithContext(ctx).Order("id DESC").Limit(listLimit(f.Limit)).Offset(max(f.Offset, 0))
	if f.VersionID != 0 {
		q = q.Where("version_id = ?", f.VersionID)
	}
	if f.InviteID != 0 {
		q = q.Where("invite_id = ?", f.InviteID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	var rows []submissionRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list submissions: %w", err)
	}
	subs := make([]grader.Submission, len(rows))
	for i := range rows {
		subs[i] = *rows[i].submission()
	}
	return subs, nil
}

// SetSubmissionStatus records where the submission is in its life.
func (s *Store) SetSubmissionStatus(ctx context.Context, id int64, status grader.SubmissionStatus) error {
	switch status {
	case grader.StatusQueued, grader.StatusRunning, grader.StatusGraded, grader.StatusFailed, grader.StatusCanceled:
	default:
		return grader.Errorf(grader.CodeInvalid, "unknown submission status %q", status)
	}
	res := s.db.WithContext(ctx).Model(&submissionRow{}).Where("id = ?", id).Update("status", string(status))
	if err := notFoundIfNone(res, fmt.Sprintf("submission %d", id)); err != nil {
		return fmt.Errorf("set submission status: %w", err)
	}
	return nil
}

// lockInvite reads the invite row and locks it until the transaction ends,
// serializing the submissions made with it.
func lockInvite(tx *gorm.DB, id int64) (*grader.Invite, error) {
	var row inviteRow
	err := tx.Raw("SELECT * FROM invites WHERE id = ? FOR UPDATE", id).Take(&row).Error
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("invite %d", id))
	}
	return row.invite(), nil
}
