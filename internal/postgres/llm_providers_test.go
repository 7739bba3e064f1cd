package postgres_test

import (
	"testing"

	"takehome/exercises"
	"takehome/grader"
)

// A provider's key is stored write-only: listings carry none, saving
// without a key keeps it, and only the gateway's lookup returns it.
func TestLLMProviderKeyIsWriteOnly(t *testing.T) {
	s, _ := newStore(t)
	ctx := t.Context()
	p := grader.LLMProvider{Name: "openai", BaseURL: "https://api.openai.com/v1/", Key: "sk-secret", UpdatedAt: t0, UpdatedBy: "admin@example.com"}
	if err := s.SaveLLMProvider(ctx, p); err != nil {
		t.Fatal(err)
	}
	list, err := s.ListLLMProviders(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("list %v %v", list, err)
	}
	if got := list[0]; got.Key != "" || !got.KeySet || got.BaseURL != "https://api.openai.com/v1" || got.MaxTokensField != "max_completion_tokens" {
		t.Errorf("listed %+v", got)
	}
	p.Key, p.BaseURL, p.MaxTokensField = "", "http://vllm.internal:8000/v1", "max_tokens"
	if err := s.SaveLLMProvider(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := s.LLMProvider(ctx, "openai")
	if err != nil || got.Key != "sk-secret" || got.BaseURL != "http://vllm.internal:8000/v1" || got.MaxTokensField != "max_tokens" {
		t.Errorf("after an update without a key: %+v %v", got, err)
	}
	for _, bad := range []grader.LLMProvider{
		{Name: "builtin", BaseURL: "https://x.example/v1"}, {Name: "Bad Name", BaseURL: "https://x.example/v1"},
		{Name: "x", BaseURL: "ftp://x.example"}, {Name: "x", BaseURL: "https://user:pw@x.example/v1"},
		{Name: "x", BaseURL: "https://x.example/v1", MaxTokensField: "n"},
	} {
		if err := s.SaveLLMProvider(ctx, bad); grader.ErrorCode(err) != grader.CodeInvalid {
			t.Errorf("%+v: err %v, want invalid", bad, err)
		}
	}
	if err := s.DeleteLLMProvider(ctx, "openai"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LLMProvider(ctx, "openai"); grader.ErrorCode(err) != grader.CodeNotFound {
		t.Errorf("after delete: %v", err)
	}
}

// An admin's change to a version's model access (prices, provider,
// budget) is what every reader of the version sees afterwards; the list of
// models cannot change, nor can a version without model access get some.
func TestModelAccessSettings(t *testing.T) {
	s, _ := newStore(t)
	ctx := t.Context()
	v := testVersion("llm-settings", 3)
	v.Spec.Models = &exercises.ModelAccess{Provider: grader.BuiltinProvider, BudgetMicroUSD: 1000,
		Models: []exercises.Model{{Name: "gpt-4o-mini", Kind: exercises.ModelChat, InputPrice: 150_000, OutputPrice: 600_000}}}
	ver, err := s.CreateVersion(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	edit := *v.Spec.Models
	edit.Models = []exercises.Model{{Name: "gpt-4o-mini", Kind: exercises.ModelChat, InputPrice: 400_000, OutputPrice: 1_600_000, MaxOutput: 300}}
	edit.Provider, edit.BudgetMicroUSD, edit.ExternalOnHidden = "openai", 250_000, true
	if err := s.SetModelAccess(ctx, ver.ID, edit, "admin@example.com", t0); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindVersion(ctx, ver.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m := got.Spec.Models; m.Provider != "openai" || m.BudgetMicroUSD != 250_000 || !m.ExternalOnHidden || m.Models[0].InputPrice != 400_000 || got.ModelsEditedBy != "admin@example.com" {
		t.Errorf("after the change: %+v by %q", m, got.ModelsEditedBy)
	}
	list, err := s.ListVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range list {
		if l.ID == ver.ID && l.Spec.Models.Models[0].OutputPrice != 1_600_000 {
			t.Errorf("the list shows %+v", l.Spec.Models)
		}
	}
	renamed := edit
	renamed.Models = []exercises.Model{{Name: "gpt-4o", Kind: exercises.ModelChat, InputPrice: 1}}
	if err := s.SetModelAccess(ctx, ver.ID, renamed, "a", t0); grader.ErrorCode(err) != grader.CodeInvalid {
		t.Errorf("a changed model list: %v", err)
	}
	pricey := edit
	pricey.Models = []exercises.Model{{Name: "gpt-4o-mini", Kind: exercises.ModelChat, InputPrice: 2_000_000_000}}
	if err := s.SetModelAccess(ctx, ver.ID, pricey, "a", t0); grader.ErrorCode(err) != grader.CodeInvalid {
		t.Errorf("a price of $2,000 per 1M tokens: %v", err)
	}
	plain, err := s.CreateVersion(ctx, testVersion("llm-settings-none", 4))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetModelAccess(ctx, plain.ID, edit, "a", t0); grader.ErrorCode(err) != grader.CodeInvalid {
		t.Errorf("a version without model access: %v", err)
	}
}
