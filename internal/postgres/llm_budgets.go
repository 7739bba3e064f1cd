package postgres

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"takehome/grader"
)

// CostSource says where a settled call's cost came from.
type CostSource string

const (
	CostProvider  CostSource = "provider"  // the usage the provider reported
	CostEstimated CostSource = "estimated" // the gateway's own count (e.g. a cut stream)
	CostSwept     CostSource = "swept"     // never settled: charged its full reservation
)

type budgetRow struct {
	RunID         int64
	Phase         string
	LimitMicro    int64
	SpentMicro    int64
	ReservedMicro int64
}

func (budgetRow) TableName() string { return "llm_budgets" }

// Budget is what a run (Phase "") or one of its phases may spend on model
// calls, and what it has spent and holds reserved, in micro-USD.
type Budget struct {
	Phase                                 string
	LimitMicro, SpentMicro, ReservedMicro int64
}

// SetLLMBudget sets the limit of a run's budget: phase "" for the whole
// run, or one phase's. Spending so far is kept.
func (s *Store) SetLLMBudget(ctx context.Context, runID int64, phase string, limitMicro int64) error {
	row := budgetRow{RunID: runID, Phase: pgText(phase), LimitMicro: limitMicro}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "run_id"}, {Name: "phase"}},
		DoUpdates: clause.AssignmentColumns([]string{"limit_micro"}),
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("set budget of run %d: %w", runID, dbError(err, fmt.Sprintf("run %d", runID)))
	}
	return nil
}

// LLMBudgets returns a run's budgets, the run's own first.
func (s *Store) LLMBudgets(ctx context.Context, runID int64) ([]Budget, error) {
	var rows []budgetRow
	if err := s.db.WithContext(ctx).Where("run_id = ?", runID).Order("phase").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("budgets of run %d: %w", runID, err)
	}
	out := make([]Budget, len(rows))
	for i, r := range rows {
		out[i] = Budget{Phase: r.Phase, LimitMicro: r.LimitMicro, SpentMicro: r.SpentMicro, ReservedMicro: r.ReservedMicro}
	}
	return out, nil
}

// ReserveLLMCall reserves the worst-case cost of a call a run's phase is
// about to make, against the run's budget and the phase's if it has one,
// and returns the call's id. A budget that cannot hold it refuses with
// CodeQuota, reserving nothing. The conditional UPDATE is the whole check:
// under READ COMMITTED a concurrent reservation that commits first makes
// PostgreSQL re-check this row's predicate against the new totals, so no
// interleaving of calls can spend past a limit.
func (s *Store) ReserveLLMCall(ctx context.Context, runID int64, phase string, costMicro int64, now time.Time) (int64, error) {
	if costMicro < 0 {
		return 0, grader.Errorf(grader.CodeInvalid, "a call cannot cost %d micro-USD", costMicro)
	}
	phase = pgText(phase)
	var id int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var budgets int64
		if err := tx.Model(&budgetRow{}).Where("run_id = ? AND phase IN ('', ?)", runID, phase).Count(&budgets).Error; err != nil {
			return err
		}
		if budgets == 0 {
			return grader.Errorf(grader.CodeQuota, "run %d has no model budget", runID)
		}
		res := tx.Exec(`UPDATE llm_budgets SET reserved_micro = reserved_micro + ?
			WHERE run_id = ? AND phase IN ('', ?) AND spent_micro + reserved_micro + ? <= limit_micro`,
			costMicro, runID, phase, costMicro)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected < budgets {
			return grader.Errorf(grader.CodeQuota, "the model budget of run %d cannot hold a call of %d micro-USD", runID, costMicro)
		}
		return tx.Raw(`INSERT INTO llm_calls (run_id, phase, state, reserved_micro, reserved_at)
			VALUES (?, ?, 'reserved', ?, ?) RETURNING id`, runID, phase, costMicro, now).Scan(&id).Error
	})
	if err != nil {
		return 0, fmt.Errorf("reserve a model call: %w", err)
	}
	return id, nil
}

// SettleLLMCall turns a call's reservation into its actual cost. Settling a
// call twice changes nothing: the second is a no-op, so a retried settle
// cannot charge twice.
func (s *Store) SettleLLMCall(ctx context.Context, callID, costMicro int64, source CostSource, now time.Time) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var call struct {
			RunID         int64
			Phase         string
			ReservedMicro int64
		}
		res := tx.Raw(`UPDATE llm_calls SET state = 'settled', cost_micro = ?, cost_source = ?, settled_at = ?
			WHERE id = ? AND state = 'reserved' RETURNING run_id, phase, reserved_micro`,
			costMicro, string(source), now, callID).Scan(&call)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error // unknown or settled already
		}
		return tx.Exec(`UPDATE llm_budgets SET spent_micro = spent_micro + ?, reserved_micro = reserved_micro - ?
			WHERE run_id = ? AND phase IN ('', ?)`, costMicro, call.ReservedMicro, call.RunID, call.Phase).Error
	})
	if err != nil {
		return fmt.Errorf("settle model call %d: %w", callID, err)
	}
	return nil
}

// SweepLLMCalls settles the calls reserved before cutoff that never
// settled (their gateway died mid-call) at their full reservation, the
// most they could have cost, and returns how many it settled.
func (s *Store) SweepLLMCalls(ctx context.Context, cutoff, now time.Time) (int, error) {
	var stale []struct {
		ID            int64
		ReservedMicro int64
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT id, reserved_micro FROM llm_calls
		WHERE state = 'reserved' AND reserved_at < ? ORDER BY id`, cutoff).Scan(&stale).Error; err != nil {
		return 0, fmt.Errorf("sweep model calls: %w", err)
	}
	for _, c := range stale {
		if err := s.SettleLLMCall(ctx, c.ID, c.ReservedMicro, CostSwept, now); err != nil {
			return 0, err
		}
	}
	return len(stale), nil
}
