package builtin

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

func TestUnknownRoute(t *testing.T) {
	for _, tc := range []struct{ method, path string }{
		{http.MethodPost, "/v1/completions"},
		{http.MethodGet, "/v1/chat/completions"},
		{http.MethodGet, "/v1/models"},
		{http.MethodPost, "/"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			New().ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
			wantError(t, rec, http.StatusNotFound, "null")
		})
	}
}

func TestBadRequests(t *testing.T) {
	for _, tc := range []struct {
		name, path, body string
		status           int
		code             string
	}{
		{"chat: not JSON", "/v1/chat/completions", `{"model":`, 400, "null"},
		{"chat: wrong type", "/v1/chat/completions", `{"model":"builtin-extractive-v1","messages":"hi"}`, 400, "null"},
		{"chat: bad content", "/v1/chat/completions", `{"model":"builtin-extractive-v1","messages":[{"role":"user","content":7}]}`, 400, "null"},
		{"chat: unknown model", "/v1/chat/completions", `{"model":"gpt-4o","messages":[]}`, 404, `"model_not_found"`},
		{"chat: embedding model", "/v1/chat/completions", `{"model":"builtin-embed-hash-v1","messages":[]}`, 404, `"model_not_found"`},
		{"chat: no model", "/v1/chat/completions", `{"messages":[]}`, 400, "null"},
		{"chat: zero cap", "/v1/chat/completions", `{"model":"builtin-extractive-v1","messages":[],"max_tokens":0}`, 400, "null"},
		{"embeddings: not JSON", "/v1/embeddings", `[`, 400, "null"},
		{"embeddings: unknown model", "/v1/embeddings", `{"model":"text-embedding-3-small","input":"x"}`, 404, `"model_not_found"`},
		{"embeddings: null input", "/v1/embeddings", `{"model":"builtin-embed-hash-v1","input":null}`, 400, "null"},
		{"embeddings: empty input", "/v1/embeddings", `{"model":"builtin-embed-hash-v1","input":[]}`, 400, "null"},
		{"embeddings: mixed input", "/v1/embeddings", `{"model":"builtin-embed-hash-v1","input":["a",1]}`, 400, "null"},
		{"embeddings: dimensions 0", "/v1/embeddings", `{"model":"builtin-embed-hash-v1","input":"x","dimensions":0}`, 400, "null"},
		{"embeddings: dimensions 385", "/v1/embeddings", `{"model":"builtin-embed-hash-v1","input":"x","dimensions":385}`, 400, "null"},
		{"embeddings: bad format", "/v1/embeddings", `{"model":"builtin-embed-hash-v1","input":"x","encoding_format":"int8"}`, 400, "null"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, post(t, tc.path, tc.body), tc.status, tc.code)
		})
	}
}

func TestModels(t *testing.T) {
	if got := Models(); !slices.Equal(got, []string{ChatModel, EmbedModel}) {
		t.Errorf("Models() = %v", got)
	}
}
