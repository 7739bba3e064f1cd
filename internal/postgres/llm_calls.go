package postgres

import (
	"context"
	"fmt"
	"time"

	"takehome/grader"
)

type callRow struct {
	ID               int64
	RunID            int64
	Phase, Step      string
	State            string
	Hidden           bool
	Endpoint         string
	Model            string
	ServedModel      string
	Provider         string
	Stream           bool
	Status           string
	HTTPStatus       int `gorm:"column:http_status"`
	PromptTokens     int
	CompletionTokens int
	ReservedMicro    int64
	CostMicro        *int64
	CostSource       string
	Capped           bool
	ReservedAt       time.Time
	FirstTokenUs     int64 `gorm:"column:first_token_us"`
	TotalUs          int64 `gorm:"column:total_us"`
	RequestGz        []byte
	ResponseGz       []byte
	RequestSha256    []byte `gorm:"column:request_sha256"`
	ResponseSha256   []byte `gorm:"column:response_sha256"`
}

func (callRow) TableName() string { return "llm_calls" }

// LLMCalls returns a run's model calls in the order they were made, with
// their bodies when withBodies.
func (s *Store) LLMCalls(ctx context.Context, runID int64, withBodies bool) ([]grader.ModelCall, error) {
	q := s.db.WithContext(ctx).Where("run_id = ?", runID).Order("id")
	if !withBodies {
		q = q.Omit("request_gz", "response_gz")
	}
	var rows []callRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("model calls of run %d: %w", runID, err)
	}
	out := make([]grader.ModelCall, len(rows))
	for i, r := range rows {
		out[i] = r.call()
	}
	return out, nil
}

func (r callRow) call() grader.ModelCall {
	c := grader.ModelCall{ID: r.ID, RunID: r.RunID, Phase: r.Phase, Step: r.Step, Hidden: r.Hidden,
		Endpoint: r.Endpoint, Model: r.Model, ServedModel: r.ServedModel, Provider: r.Provider, Stream: r.Stream,
		Status: r.Status, HTTPStatus: r.HTTPStatus, PromptTokens: r.PromptTokens, CompletionTokens: r.CompletionTokens,
		ReservedMicro: r.ReservedMicro, CostSource: grader.CostSource(r.CostSource), Capped: r.Capped,
		StartedAt: utc(r.ReservedAt), FirstToken: time.Duration(r.FirstTokenUs) * time.Microsecond,
		Total: time.Duration(r.TotalUs) * time.Microsecond, RequestGz: r.RequestGz, ResponseGz: r.ResponseGz,
		RequestSHA256: r.RequestSha256, ResponseSHA256: r.ResponseSha256}
	if r.CostMicro != nil {
		c.CostMicro = *r.CostMicro
	}
	if r.State == "reserved" {
		c.Status = "in_flight"
	}
	return c
}

// LLMStepUse sums up the calls of one step of a run.
func (s *Store) LLMStepUse(ctx context.Context, runID int64, step string) (grader.ModelUse, error) {
	var u struct {
		Calls, Refused, Exceeded, PromptTokens, CompletionTokens int
		CostMicro                                                int64
	}
	err := s.db.WithContext(ctx).Raw(`SELECT count(*) FILTER (WHERE state <> 'refused') AS calls,
		count(*) FILTER (WHERE state = 'refused') AS refused,
		count(*) FILTER (WHERE status = ?) AS exceeded,
		coalesce(sum(prompt_tokens), 0) AS prompt_tokens, coalesce(sum(completion_tokens), 0) AS completion_tokens,
		coalesce(sum(cost_micro), 0) AS cost_micro
		FROM llm_calls WHERE run_id = ? AND step = ?`, grader.CallBudgetExceeded, runID, pgText(step)).Scan(&u).Error
	if err != nil {
		return grader.ModelUse{}, fmt.Errorf("model use of run %d step %s: %w", runID, step, err)
	}
	return grader.ModelUse{Calls: u.Calls, Refused: u.Refused, BudgetExceeded: u.Exceeded > 0, PromptTokens: u.PromptTokens,
		CompletionTokens: u.CompletionTokens, CostMicro: u.CostMicro}, nil
}
