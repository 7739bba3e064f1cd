package postgres_test

import (
	"testing"

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
