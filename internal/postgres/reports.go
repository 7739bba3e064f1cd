package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"takehome/grader"
)

type phaseRow struct {
	ID              int64
	RunID           int64
	Seq             int
	Step            string
	Phase           string
	Verdict         string
	Reason          string
	ExitCode        int
	WallMs          int64
	PeakMemoryBytes int64
	LogHead         string
	LogTail         string
	LogDropped      int64
}

func (phaseRow) TableName() string { return "phases" }

func (r *phaseRow) record() grader.PhaseRecord {
	return grader.PhaseRecord{
		Step: r.Step, Phase: r.Phase, Verdict: grader.Verdict(r.Verdict), Reason: r.Reason, ExitCode: r.ExitCode,
		Wall: time.Duration(r.WallMs) * time.Millisecond, PeakMemory: r.PeakMemoryBytes,
		Log: grader.Log{Head: r.LogHead, Tail: r.LogTail, Dropped: r.LogDropped},
	}
}

type reportRow struct {
	ID           int64
	SubmissionID int64
	RunID        int64
	Body         []byte
	CreatedAt    time.Time
}

func (reportRow) TableName() string { return "reports" }

// SaveReport stores the report of rep.RunID in one transaction: its phases,
// the report, the submission graded with its score, the run done, and then
// complete(ctx, tx), which may be nil (the queue completes the job there). On
// any error nothing is stored. A submission is graded once: a second report
// gets CodeConflict.
func (s *Store) SaveReport(ctx context.Context, rep *grader.Report, complete func(ctx context.Context, tx *sql.Tx) error) error {
	if rep == nil {
		return grader.Errorf(grader.CodeInvalid, "no report")
	}
	r := sanitizedReport(rep)
	body, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("save report: encode: %w", err)
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockGradable(tx, r.SubmissionID); err != nil {
			return err
		}
		if err := insertReport(tx, &r, body); err != nil {
			return err
		}
		if err := markGraded(tx, &r); err != nil {
			return err
		}
		if complete == nil {
			return nil
		}
		stx, err := sqlTx(tx)
		if err != nil {
			return err
		}
		return complete(ctx, stx)
	})
	if err != nil {
		return fmt.Errorf("save report of submission %d: %w", rep.SubmissionID, err)
	}
	return nil
}

// sanitizedReport copies rep with a grading time and storable log text.
func sanitizedReport(rep *grader.Report) grader.Report {
	r := *rep
	if r.GradedAt.IsZero() {
		r.GradedAt = time.Now().UTC()
	}
	r.Phases = make([]grader.PhaseRecord, len(rep.Phases))
	for i, p := range rep.Phases {
		p.Step, p.Phase, p.Reason = pgText(p.Step), pgText(p.Phase), pgText(p.Reason)
		p.Log.Head, p.Log.Tail = pgText(p.Log.Head), pgText(p.Log.Tail)
		r.Phases[i] = p
	}
	return r
}

func insertReport(tx *gorm.DB, r *grader.Report, body []byte) error {
	row := reportRow{SubmissionID: r.SubmissionID, RunID: r.RunID, Body: jsonb(body)}
	if err := tx.Create(&row).Error; err != nil {
		if isUniqueViolation(err) {
			return grader.Errorf(grader.CodeConflict, "submission %d is already graded", r.SubmissionID)
		}
		return dbError(err, fmt.Sprintf("report of submission %d", r.SubmissionID))
	}
	if len(r.Phases) == 0 {
		return nil
	}
	rows := make([]phaseRow, len(r.Phases))
	for i, p := range r.Phases {
		rows[i] = phaseRow{
			RunID: r.RunID, Seq: i + 1, Step: p.Step, Phase: p.Phase, Verdict: string(p.Verdict), Reason: p.Reason,
			ExitCode: p.ExitCode, WallMs: p.Wall.Milliseconds(), PeakMemoryBytes: p.PeakMemory,
			LogHead: p.Log.Head, LogTail: p.Log.Tail, LogDropped: p.Log.Dropped,
		}
	}
	if err := tx.CreateInBatches(rows, 100).Error; err != nil {
		return dbError(err, fmt.Sprintf("phases of run %d", r.RunID))
	}
	return nil
}

// markGraded finishes the run as done and the submission as graded.
func markGraded(tx *gorm.DB, r *grader.Report) error {
	res := tx.Exec("UPDATE runs SET status = 'done', finished_at = coalesce(finished_at, ?) WHERE id = ? AND submission_id = ?",
		r.GradedAt, r.RunID, r.SubmissionID)
	if err := notFoundIfNone(res, fmt.Sprintf("run %d of submission %d", r.RunID, r.SubmissionID)); err != nil {
		return err
	}
	var score *float64
	if r.Result != nil {
		score = r.Result.Score
	}
	return tx.Exec("UPDATE submissions SET status = ?, score = ?, graded_at = ? WHERE id = ?",
		grader.StatusGraded, score, r.GradedAt, r.SubmissionID).Error
}

// FindReport returns the report of a graded submission.
func (s *Store) FindReport(ctx context.Context, submissionID int64) (*grader.Report, error) {
	var row reportRow
	if err := s.db.WithContext(ctx).Take(&row, "submission_id = ?", submissionID).Error; err != nil {
		return nil, fmt.Errorf("find report: %w", dbError(err, fmt.Sprintf("report of submission %d", submissionID)))
	}
	var rep grader.Report
	if err := json.Unmarshal(row.Body, &rep); err != nil {
		return nil, fmt.Errorf("decode report of submission %d: %w", submissionID, err)
	}
	rep.GradedAt = rep.GradedAt.UTC()
	return &rep, nil
}

// ListPhases returns the phases of a run in the order they ran.
func (s *Store) ListPhases(ctx context.Context, runID int64) ([]grader.PhaseRecord, error) {
	var rows []phaseRow
	if err := s.db.WithContext(ctx).Where("run_id = ?", runID).Order("seq").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list phases: %w", err)
	}
	phases := make([]grader.PhaseRecord, len(rows))
	for i := range rows {
		phases[i] = rows[i].record()
	}
	return phases, nil
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
