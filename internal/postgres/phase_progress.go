package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"takehome/grader"

	"gorm.io/gorm/clause"
)

type progressRow struct {
	RunID  int64
	Seq    int
	Record []byte
}

func (progressRow) TableName() string { return "phase_progress" }

// SavePhaseProgress records that step seq (from 0) of a run finished. A
// retried save of the same step changes nothing.
func (s *Store) SavePhaseProgress(ctx context.Context, runID int64, seq int, rec grader.PhaseRecord) error {
	rec.Step, rec.Phase, rec.Reason = pgText(rec.Step), pgText(rec.Phase), pgText(rec.Reason)
	rec.Log.Head, rec.Log.Tail = pgText(rec.Log.Head), pgText(rec.Log.Tail)
	body, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("save phase progress: encode: %w", err)
	}
	row := progressRow{RunID: runID, Seq: seq, Record: jsonb(body)}
	if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return fmt.Errorf("save phase progress of run %d: %w", runID, dbError(err, fmt.Sprintf("run %d", runID)))
	}
	return nil
}

// ListPhaseProgress returns the finished steps of the submission's latest
// run, in order; none while no run has started.
func (s *Store) ListPhaseProgress(ctx context.Context, submissionID int64) ([]grader.PhaseRecord, error) {
	var rows []progressRow
	err := s.db.WithContext(ctx).Raw(`SELECT p.run_id, p.seq, p.record FROM phase_progress p
		WHERE p.run_id = (SELECT id FROM runs WHERE submission_id = ? ORDER BY attempt DESC LIMIT 1)
		ORDER BY p.seq`, submissionID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list phase progress of submission %d: %w", submissionID, err)
	}
	recs := make([]grader.PhaseRecord, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal(r.Record, &recs[i]); err != nil {
			return nil, fmt.Errorf("decode phase progress of run %d: %w", r.RunID, err)
		}
	}
	return recs, nil
}
