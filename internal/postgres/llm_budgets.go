package postgres

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"takehome/grader"
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

// ReserveLLMCall reserves the worst-case cost of a call (c.ReservedMicro)
// a run's phase is about to make, against the run's budget and the phase's
// if it has one, records who makes it and returns the call's id. A budget
// that cannot hold it refuses with CodeQuota, reserving nothing. The
// conditional UPDATE is the whole check: under READ COMMITTED a concurrent
// reservation that commits first makes PostgreSQL re-check this row's
// predicate against the new totals, so no interleaving of calls can spend
// past a limit.
func (s *Store) ReserveLLMCall(ctx context.Context, c grader.ModelCall) (int64, error) {
	if c.ReservedMicro < 0 {
		return 0, grader.Errorf(grader.CodeInvalid, "a call cannot cost %d micro-USD", c.ReservedMicro)
	}
	phase := pgText(c.Phase)
	var id int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// The call's row first: the budget rows stay locked only from
		// their UPDATE to the COMMIT, the one contended part.
		err := tx.Raw(`INSERT INTO llm_calls (run_id, phase, state, reserved_micro, reserved_at,
			step, hidden, endpoint, model, provider, stream)
			VALUES (?, ?, 'reserved', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.RunID, phase, c.ReservedMicro, c.StartedAt, pgText(c.Step), c.Hidden, c.Endpoint, pgText(c.Model),
			c.Provider, c.Stream).Scan(&id).Error
		if err != nil {
			return err
		}
		var n struct{ Budgets, Reserved int64 }
		err = tx.Raw(`WITH reserved AS (
				UPDATE llm_budgets SET reserved_micro = reserved_micro + ?
				WHERE run_id = ? AND phase IN ('', ?) AND spent_micro + reserved_micro + ? <= limit_micro RETURNING 1)
			SELECT (SELECT count(*) FROM llm_budgets WHERE run_id = ? AND phase IN ('', ?)) AS budgets,
				(SELECT count(*) FROM reserved) AS reserved`,
			c.ReservedMicro, c.RunID, phase, c.ReservedMicro, c.RunID, phase).Scan(&n).Error
		switch {
		case err != nil:
			return err
		case n.Budgets == 0:
			return grader.Errorf(grader.CodeQuota, "run %d has no model budget", c.RunID)
		case n.Reserved < n.Budgets: // rolls back the reservation of the budget that could hold it
			return grader.Errorf(grader.CodeQuota, "the model budget of run %d cannot hold a call of %d micro-USD", c.RunID, c.ReservedMicro)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("reserve a model call: %w", err)
	}
	return id, nil
}

// SettleLLMCall turns a call's reservation into its actual cost
// (c.CostMicro, c.CostSource) and records what the call was. Settling a
// call twice changes nothing: the second is a no-op, so a retried settle
// cannot charge twice.
func (s *Store) SettleLLMCall(ctx context.Context, c grader.ModelCall, now time.Time) error {
	// One statement, so atomic on its own: the call's row turns settled
	// and its budgets move from reserved to spent, or, when it was settled
	// already, nothing happens.
	args := append([]any{c.CostMicro, string(c.CostSource), now}, outcome(c)...)
	args = append(args, c.ID, c.CostMicro)
	err := s.db.WithContext(ctx).Exec(`WITH settled AS (
			UPDATE llm_calls SET state = 'settled', cost_micro = ?, cost_source = ?, settled_at = ?,
				served_model = ?, status = ?, http_status = ?, prompt_tokens = ?, completion_tokens = ?, capped = ?,
				first_token_us = ?, total_us = ?, request_gz = ?, response_gz = ?, request_sha256 = ?, response_sha256 = ?
			WHERE id = ? AND state = 'reserved' RETURNING run_id, phase, reserved_micro)
		UPDATE llm_budgets b SET spent_micro = spent_micro + ?, reserved_micro = b.reserved_micro - settled.reserved_micro
		FROM settled WHERE b.run_id = settled.run_id AND b.phase IN ('', settled.phase)`, args...).Error
	if err != nil {
		return fmt.Errorf("settle model call %d: %w", c.ID, err)
	}
	return nil
}

// outcome is how a call went, in the column order SettleLLMCall and
// RecordLLMRefusal write it.
func outcome(c grader.ModelCall) []any {
	return []any{pgText(c.ServedModel), c.Status, c.HTTPStatus, c.PromptTokens, c.CompletionTokens, c.Capped,
		c.FirstToken.Microseconds(), c.Total.Microseconds(), c.RequestGz, c.ResponseGz, c.RequestSHA256, c.ResponseSHA256}
}

// RecordLLMRefusal records a call the gateway refused before reserving
// anything (over budget, too many in flight): it costs nothing.
func (s *Store) RecordLLMRefusal(ctx context.Context, c grader.ModelCall, now time.Time) error {
	args := append([]any{c.RunID, pgText(c.Phase), c.StartedAt, now, pgText(c.Step), c.Hidden, c.Endpoint,
		pgText(c.Model), c.Provider, c.Stream}, outcome(c)...)
	err := s.db.WithContext(ctx).Exec(`INSERT INTO llm_calls (run_id, phase, state, reserved_micro, cost_micro,
		reserved_at, settled_at, step, hidden, endpoint, model, provider, stream, served_model, status, http_status,
		prompt_tokens, completion_tokens, capped, first_token_us, total_us, request_gz, response_gz,
		request_sha256, response_sha256)
		VALUES (?, ?, 'refused', 0, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...).Error
	if err != nil {
		return fmt.Errorf("record a refused model call of run %d: %w", c.RunID, err)
	}
	return nil
}

// LLMBudgetLeft is what a run's phase may still reserve: the least headroom
// of the run's budget and the phase's, never below 0.
func (s *Store) LLMBudgetLeft(ctx context.Context, runID int64, phase string) (int64, error) {
	var left *int64
	err := s.db.WithContext(ctx).Raw(`SELECT min(limit_micro - spent_micro - reserved_micro) FROM llm_budgets
		WHERE run_id = ? AND phase IN ('', ?)`, runID, pgText(phase)).Scan(&left).Error
	if err != nil {
		return 0, fmt.Errorf("budget left of run %d: %w", runID, err)
	}
	if left == nil || *left < 0 {
		return 0, nil
	}
	return *left, nil
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
		swept := grader.ModelCall{ID: c.ID, CostMicro: c.ReservedMicro, CostSource: grader.CostSwept, Status: grader.CallLost}
		if err := s.SettleLLMCall(ctx, swept, now); err != nil {
			return 0, err
		}
	}
	return len(stale), nil
}
