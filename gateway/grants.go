package gateway

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"time"

	"takehome/exercises"
	"takehome/grader"
)

// TokenStore keeps the tokens and budgets Grants hands out.
type TokenStore interface {
	SetLLMBudget(ctx context.Context, runID int64, phase string, limitMicro int64) error
	IssueLLMToken(ctx context.Context, hash []byte, g grader.ModelGrant, now, expires time.Time) error
	RevokeLLMToken(ctx context.Context, hash []byte, now time.Time) error
	LLMStepUse(ctx context.Context, runID int64, step string) (grader.ModelUse, error)
}

// Grants is the grader's side of the gateway: it sets run budgets and
// issues and revokes step tokens (grader.Gateway).
type Grants struct {
	Store TokenStore
	Now   func() time.Time
}

var _ grader.Gateway = (*Grants)(nil)

// TokenPrefix starts every step token, so a leaked one is recognisable.
const TokenPrefix = "tkh_"

// Budget sets the run's budget and its phases' caps.
func (g *Grants) Budget(ctx context.Context, runID int64, a *exercises.ModelAccess) error {
	if err := g.Store.SetLLMBudget(ctx, runID, "", a.BudgetMicroUSD); err != nil {
		return err
	}
	for phase, limit := range a.PhaseBudgetMicroUSD {
		if err := g.Store.SetLLMBudget(ctx, runID, phase, limit); err != nil {
			return err
		}
	}
	return nil
}

// Grant issues a random token for one step, stored by its hash only.
func (g *Grants) Grant(ctx context.Context, mg grader.ModelGrant, ttl time.Duration) (string, error) {
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	token := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	now := g.now()
	if err := g.Store.IssueLLMToken(ctx, hashToken(token), mg, now, now.Add(ttl)); err != nil {
		return "", err
	}
	return token, nil
}

// Revoke ends a token.
func (g *Grants) Revoke(ctx context.Context, token string) error {
	return g.Store.RevokeLLMToken(ctx, hashToken(token), g.now())
}

// Finish ends a step's token and sums up the step's calls.
func (g *Grants) Finish(ctx context.Context, token string, mg grader.ModelGrant) (grader.ModelUse, error) {
	if err := g.Revoke(ctx, token); err != nil {
		return grader.ModelUse{}, err
	}
	use, err := g.Store.LLMStepUse(ctx, mg.RunID, mg.Step)
	if err != nil {
		return grader.ModelUse{}, err
	}
	use.Provider, use.External = mg.Provider, mg.Provider != BuiltinName
	return use, nil
}

func (g *Grants) now() time.Time {
	if g.Now != nil {
		return g.Now()
	}
	return time.Now()
}

func hashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}
