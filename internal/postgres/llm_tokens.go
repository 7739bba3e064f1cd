package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"takehome/grader"
)

type tokenRow struct {
	TokenHash []byte
	RunID     int64
	Phase     string
	Step      string
	Hidden    bool
	Provider  string
	Models    []byte // jsonb: []exercises.Model
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
}

func (tokenRow) TableName() string { return "llm_tokens" }

// IssueLLMToken stores a gateway token, by its SHA-256 only, for what the
// grant allows until expires.
func (s *Store) IssueLLMToken(ctx context.Context, hash []byte, g grader.ModelGrant, now, expires time.Time) error {
	models, err := json.Marshal(g.Models)
	if err != nil {
		return err
	}
	row := tokenRow{TokenHash: hash, RunID: g.RunID, Phase: pgText(g.Phase), Step: pgText(g.Step), Hidden: g.Hidden,
		Provider: pgText(g.Provider), Models: models, CreatedAt: now, ExpiresAt: expires}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("issue a model token for run %d: %w", g.RunID, dbError(err, fmt.Sprintf("run %d", g.RunID)))
	}
	return nil
}

// LLMGrant returns what a token allows at now. A token that is unknown,
// revoked or expired is CodeUnauthorized, the same for all three so a
// caller learns nothing from the difference.
func (s *Store) LLMGrant(ctx context.Context, hash []byte, now time.Time) (grader.ModelGrant, error) {
	var rows []tokenRow
	err := s.db.WithContext(ctx).Where("token_hash = ? AND revoked_at IS NULL AND expires_at > ?", hash, now).
		Limit(1).Find(&rows).Error
	if err != nil {
		return grader.ModelGrant{}, fmt.Errorf("look up a model token: %w", err)
	}
	if len(rows) == 0 {
		return grader.ModelGrant{}, grader.Errorf(grader.CodeUnauthorized, "the API key is not valid for any running step")
	}
	r := rows[0]
	g := grader.ModelGrant{RunID: r.RunID, Phase: r.Phase, Step: r.Step, Hidden: r.Hidden, Provider: r.Provider}
	if err := json.Unmarshal(r.Models, &g.Models); err != nil {
		return grader.ModelGrant{}, fmt.Errorf("models of a token of run %d: %w", r.RunID, err)
	}
	return g, nil
}

// RevokeLLMToken ends a token; revoking twice is harmless.
func (s *Store) RevokeLLMToken(ctx context.Context, hash []byte, now time.Time) error {
	err := s.db.WithContext(ctx).Model(&tokenRow{}).Where("token_hash = ? AND revoked_at IS NULL", hash).
		Update("revoked_at", now).Error
	if err != nil {
		return fmt.Errorf("revoke a model token: %w", err)
	}
	return nil
}
