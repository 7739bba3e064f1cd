package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// FindSubmission returns the submission with the id.
func (s *Store) FindSubmission(ctx context.Context, id int64) (*grader.Submission, error) {
	var row submissionRow
	if err := s.db.WithContext(ctx).Take(&row, id).Error; err != nil {
		return nil, fmt.Errorf("find submission: %w", dbError(err, fmt.Sprintf("submission %d", id)))
	}
	return row.submission(), nil
}

// ListSubmissions returns the submissions matching f, newest first.
func (s *Store) ListSubmissions(ctx context.Context, f grader.SubmissionFilter) ([]grader.Submission, error) {
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
	// A graded submission keeps its status: a stale attempt (a worker cut
	// off while its job was rescued and graded elsewhere) settling late
	// must not send it back to the queue.
	res := s.db.WithContext(ctx).Exec(`UPDATE submissions SET status = CASE
		WHEN EXISTS (SELECT 1 FROM reports r WHERE r.submission_id = submissions.id) THEN status ELSE ? END
		WHERE id = ?`, string(status), id)
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

// maxInviteSubmissions bounds the list of an invite's submissions; the
// quota of an invite is far smaller.
const maxInviteSubmissions = 1000

// ListInviteSubmissions returns the submissions of one invite, newest first,
// for the candidate's pages.
func (s *Store) ListInviteSubmissions(ctx context.Context, inviteID int64) ([]grader.Submission, error) {
	if inviteID <= 0 { // a zero filter would match every invite's submissions
		return nil, grader.Errorf(grader.CodeInvalid, "invite id %d is not positive", inviteID)
	}
	subs, err := s.ListSubmissions(ctx, grader.SubmissionFilter{InviteID: inviteID, Limit: maxInviteSubmissions})
	if err != nil {
		return nil, fmt.Errorf("list submissions of invite %d: %w", inviteID, err)
	}
	return subs, nil
}

// CreateSubmission stores sub (its InviteID, Mode and IdempotencyKey) with
// its archive and enqueues its grading job, all in one transaction: on any
// error nothing is stored or enqueued. It fills sub and reports created.
//
// The archive is the size bytes of archive, streamed into the database in
// chunks while its SHA-256 is computed: the store never holds it whole. An
// archive of another length than size is an error.
//
// When sub.IdempotencyKey names a submission of the invite already, sub is
// filled with that one and created is false. Otherwise it refuses a revoked
// invite or one past its deadline (CodeForbidden), an invite out of attempts
// (CodeQuota) and a second final submission (CodeConflict), and starts the
// invite's window if it has not started.
func (s *Store) CreateSubmission(ctx context.Context, sub *grader.Submission, archive io.Reader, size int64, now time.Time) (bool, error) {
	if s.enq == nil {
		return false, errors.New("create submission: store has no enqueuer")
	}
	if size < 0 {
		return false, fmt.Errorf("create submission: archive size %d is negative", size)
	}
	if sub.Mode != exercises.ModeCheck && sub.Mode != exercises.ModeFinal {
		return false, grader.Errorf(grader.CodeInvalid, "unknown mode %q", sub.Mode)
	}
	var out *grader.Submission
	created := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		inv, err := lockInvite(tx, sub.InviteID)
		if err != nil {
			return err
		}
		var found bool
		if out, found, err = findByIdempotencyKey(tx, inv.ID, sub.IdempotencyKey); found || err != nil {
			return err
		}
		if err := admit(tx, inv, sub.Mode, now); err != nil {
			return err
		}
		created = true
		out, err = s.insertSubmission(ctx, tx, inv, sub, archive, size, now)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("create submission: %w", err)
	}
	*sub = *out
	return created, nil
}

// findByIdempotencyKey returns the invite's submission with the key, if any.
func findByIdempotencyKey(tx *gorm.DB, inviteID int64, key string) (*grader.Submission, bool, error) {
	if key == "" {
		return nil, false, nil
	}
	var rows []submissionRow
	if err := tx.Where("invite_id = ? AND idempotency_key = ?", inviteID, key).Limit(1).Find(&rows).Error; err != nil {
		return nil, false, err
	}
	if len(rows) == 0 {
		return nil, false, nil
	}
	return rows[0].submission(), true, nil
}

// admit refuses a submission the locked invite does not allow.
func admit(tx *gorm.DB, inv *grader.Invite, mode exercises.Mode, now time.Time) error {
	if inv.RevokedAt != nil {
		return grader.Errorf(grader.CodeForbidden, "invite revoked")
	}
	if deadline := inv.Deadline(); !now.Before(deadline) {
		if deadline.Equal(inv.ExpiresAt) {
			return grader.Errorf(grader.CodeForbidden, "invite expired")
		}
		return grader.Errorf(grader.CodeForbidden, "time window is over")
	}
	// A statement of its own, after the lock: its snapshot sees every
	// submission committed by whoever held the lock before.
	var used struct{ Total, Finals int }
	err := tx.Raw(`SELECT count(*) AS total, count(*) FILTER (WHERE mode = 'final' AND status <> 'canceled') AS finals
		FROM submissions WHERE invite_id = ?`, inv.ID).Scan(&used).Error
	if err != nil {
		return err
	}
	if used.Total >= inv.Attempts {
		return grader.Errorf(grader.CodeQuota, "no attempts left (%d of %d used)", used.Total, inv.Attempts)
	}
	if mode == exercises.ModeFinal && used.Finals > 0 {
		return grader.Errorf(grader.CodeConflict, "a final submission already exists")
	}
	return nil
}

// insertSubmission starts the invite's window, stores the submission and its
// archive, enqueues its job and audits it.
func (s *Store) insertSubmission(ctx context.Context, tx *gorm.DB, inv *grader.Invite, sub *grader.Submission, archive io.Reader, size int64, now time.Time) (*grader.Submission, error) {
	if inv.StartedAt == nil {
		if err := tx.Exec("UPDATE invites SET started_at = ? WHERE id = ?", now, inv.ID).Error; err != nil {
			return nil, err
		}
	}
	row := submissionRow{
		InviteID: inv.ID, VersionID: inv.ExerciseVersionID, Mode: string(sub.Mode), Status: string(grader.StatusQueued),
		ArchiveSize: size, CreatedAt: now, // the digest once the archive is stored
	}
	if sub.IdempotencyKey != "" {
		row.IdempotencyKey = &sub.IdempotencyKey
	}
	if err := tx.Create(&row).Error; err != nil {
		return nil, dbError(err, "submission")
	}
	sum, err := writeArchive(ctx, tx, row.ID, archive, size)
	if err != nil {
		return nil, err
	}
	row.ArchiveSHA256 = sum
	if err := tx.Model(&row).Update("archive_sha256", sum).Error; err != nil {
		return nil, err
	}
	if err := s.enqueue(ctx, tx, &row); err != nil {
		return nil, err
	}
	detail, _ := json.Marshal(map[string]any{"mode": row.Mode, "archive_sha256": row.ArchiveSHA256, "archive_size": row.ArchiveSize})
	err = addAudit(tx, grader.AuditEvent{
		Actor: fmt.Sprintf("invite:%d", inv.ID), Action: "submission.create",
		Target: fmt.Sprintf("submission:%d", row.ID), Detail: detail, At: now,
	})
	if err != nil {
		return nil, err
	}
	return row.submission(), nil
}

// enqueue puts the submission's grading job on the queue in tx and records
// the job's id.
func (s *Store) enqueue(ctx context.Context, tx *gorm.DB, row *submissionRow) error {
	stx, err := sqlTx(tx)
	if err != nil {
		return err
	}
	jobID, err := s.enq.EnqueueGrade(ctx, stx, row.ID)
	if err != nil {
		return fmt.Errorf("enqueue grading of submission %d: %w", row.ID, err)
	}
	row.JobID = &jobID
	return tx.Model(row).Update("job_id", jobID).Error
}
