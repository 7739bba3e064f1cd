package postgres

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"takehome/grader"
)

type providerRow struct {
	Name           string `gorm:"primaryKey"`
	BaseURL        string `gorm:"column:base_url"`
	APIKey         string `gorm:"column:api_key"`
	MaxTokensField string
	UpdatedAt      time.Time
	UpdatedBy      string
}

func (providerRow) TableName() string { return "llm_providers" }

var providerName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// SaveLLMProvider creates or updates a provider. An empty key keeps the
// one stored, so an admin can change the URL without pasting the key again.
func (s *Store) SaveLLMProvider(ctx context.Context, p grader.LLMProvider) error {
	if err := checkProvider(&p); err != nil {
		return err
	}
	row := providerRow{Name: p.Name, BaseURL: p.BaseURL, APIKey: p.Key, MaxTokensField: p.MaxTokensField, UpdatedAt: p.UpdatedAt, UpdatedBy: pgText(p.UpdatedBy)}
	update := []string{"base_url", "max_tokens_field", "updated_at", "updated_by"}
	if p.Key != "" {
		update = append(update, "api_key")
	}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "name"}}, DoUpdates: clause.AssignmentColumns(update),
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("save provider %s: %w", p.Name, err)
	}
	return nil
}

// checkProvider refuses what the gateway could not use, with the reason.
func checkProvider(p *grader.LLMProvider) error {
	p.Name, p.BaseURL, p.Key = strings.TrimSpace(p.Name), strings.TrimRight(strings.TrimSpace(p.BaseURL), "/"), strings.TrimSpace(p.Key)
	if !providerName.MatchString(p.Name) || p.Name == grader.BuiltinProvider {
		return grader.Errorf(grader.CodeInvalid, "a provider name is 1 to 40 lowercase letters, digits and dashes, and not %q", grader.BuiltinProvider)
	}
	u, err := url.Parse(p.BaseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return grader.Errorf(grader.CodeInvalid, "the base URL must be an http(s) URL without credentials, query or fragment, e.g. https://api.openai.com/v1")
	}
	if p.MaxTokensField == "" {
		p.MaxTokensField = "max_completion_tokens"
	}
	if p.MaxTokensField != "max_completion_tokens" && p.MaxTokensField != "max_tokens" {
		return grader.Errorf(grader.CodeInvalid, "the output cap field is max_completion_tokens or max_tokens")
	}
	return nil
}

// ListLLMProviders lists the providers without their keys.
func (s *Store) ListLLMProviders(ctx context.Context) ([]grader.LLMProvider, error) {
	var rows []providerRow
	if err := s.db.WithContext(ctx).Order("name").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list providers: %w", err)
	}
	out := make([]grader.LLMProvider, len(rows))
	for i, r := range rows {
		out[i] = r.provider()
		out[i].Key = ""
	}
	return out, nil
}

// LLMProvider returns one provider with its key, for the gateway only.
func (s *Store) LLMProvider(ctx context.Context, name string) (grader.LLMProvider, error) {
	var rows []providerRow
	if err := s.db.WithContext(ctx).Where("name = ?", name).Limit(1).Find(&rows).Error; err != nil {
		return grader.LLMProvider{}, fmt.Errorf("find provider %s: %w", name, err)
	}
	if len(rows) == 0 {
		return grader.LLMProvider{}, grader.Errorf(grader.CodeNotFound, "no model provider %q is configured", name)
	}
	return rows[0].provider(), nil
}

// DeleteLLMProvider removes a provider and its key.
func (s *Store) DeleteLLMProvider(ctx context.Context, name string) error {
	res := s.db.WithContext(ctx).Where("name = ?", name).Delete(&providerRow{})
	if res.Error != nil {
		return fmt.Errorf("delete provider %s: %w", name, res.Error)
	}
	if res.RowsAffected == 0 {
		return grader.Errorf(grader.CodeNotFound, "no model provider %q is configured", name)
	}
	return nil
}

func (r providerRow) provider() grader.LLMProvider {
	return grader.LLMProvider{Name: r.Name, BaseURL: r.BaseURL, Key: r.APIKey, KeySet: r.APIKey != "",
		MaxTokensField: r.MaxTokensField, UpdatedAt: utc(r.UpdatedAt), UpdatedBy: r.UpdatedBy}
}
