package postgres

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"takehome/grader"
)

type runRow struct {
	ID           int64
	SubmissionID int64
	Attempt      int
	Worker       string
	ImageID      string
	Runtime      string
	Status       string
	Error        string
	StartedAt    time.Time
	FinishedAt   *time.Time
}

func (runRow) TableName() string { return "runs" }

func (r *runRow) run() *grader.Run {
	return &grader.Run{
		ID: r.ID, SubmissionID: r.SubmissionID, Attempt: r.Attempt, Worker: r.Worker, ImageID: r.ImageID, Runtime: r.Runtime,
		Status: r.Status, Error: r.Error, StartedAt: utc(r.StartedAt), FinishedAt: utcPtr(r.FinishedAt),
	}
}

// StartRun records a new grading attempt of the submission by worker and
// marks the submission running. Runs of the submission still marked running
// are abandoned: their worker died or gave up. It returns CodeConflict when
// the submission is graded already.
func (s *Store) StartRun(ctx context.Context, submissionID int64, worker string, now time.Time) (*grader.Run, error) {
	row := runRow{SubmissionID: submissionID, Worker: worker, Status: "running", StartedAt: now}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockGradable(tx, submissionID); err != nil {
			return err
		}
		err := tx.Exec("UPDATE runs SET status = 'abandoned', finished_at = ? WHERE submission_id = ? AND status = 'running'",
			now, submissionID).Error
		if err != nil {
			return err
		}
		if err := tx.Raw("SELECT count(*) + 1 FROM runs WHERE submission_id = ?", submissionID).Scan(&row.Attempt).Error; err != nil {
			return err
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return tx.Exec("UPDATE submissions SET status = ? WHERE id = ?", grader.StatusRunning, submissionID).Error
	})
	if err != nil {
		return nil, fmt.Errorf("start run: %w", err)
	}
	return row.run(), nil
}

// lockGradable locks the submission row until the transaction ends and
// refuses a graded submission.
func lockGradable(tx *gorm.DB, submissionID int64) error {
	var graded bool
	res := tx.Raw(`SELECT EXISTS (SELECT 1 FROM reports WHERE submission_id = s.id)
		FROM submissions s WHERE s.id = ? FOR UPDATE OF s`, submissionID).Scan(&graded)
	if err := notFoundIfNone(res, fmt.Sprintf("submission %d", submissionID)); err != nil {
		return err
	}
	if graded {
		return grader.Errorf(grader.CodeConflict, "submission %d is already graded", submissionID)
	}
	return nil
}

// SetRunSandbox records the id of the image and the OCI runtime the run's
// containers use.
func (s *Store) SetRunSandbox(ctx context.Context, runID int64, imageID, runtime string) error {
	res := s.db.WithContext(ctx).Model(&runRow{}).Where("id = ?", runID).
		Updates(map[string]any{"image_id": pgText(imageID), "runtime": pgText(runtime)})
	if err := notFoundIfNone(res, fmt.Sprintf("run %d", runID)); err != nil {
		return fmt.Errorf("set run sandbox: %w", err)
	}
	return nil
}

// FinishRun records how a run ended without a report: status is
// infra_error, abandoned or canceled (SaveReport finishes a run as done).
func (s *Store) FinishRun(ctx context.Context, runID int64, status, errMsg string, now time.Time) error {
	switch status {
	case "done", "infra_error", "abandoned", "canceled":
	default:
		return grader.Errorf(grader.CodeInvalid, "unknown run status %q", status)
	}
	res := s.db.WithContext(ctx).Model(&runRow{}).Where("id = ?", runID).
		Updates(map[string]any{"status": status, "error": pgText(errMsg), "finished_at": now})
	if err := notFoundIfNone(res, fmt.Sprintf("run %d", runID)); err != nil {
		return fmt.Errorf("finish run: %w", err)
	}
	return nil
}

// ListRuns returns the submission's runs in the order they started.
func (s *Store) ListRuns(ctx context.Context, submissionID int64) ([]grader.Run, error) {
	var rows []runRow
	if err := s.db.WithContext(ctx).Where("submission_id = ?", submissionID).Order("attempt").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	runs := make([]grader.Run, len(rows))
	for i := range rows {
		runs[i] = *rows[i].run()
	}
	return runs, nil
}
