package builtin

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// post sends body to the handler at path and returns the recorded response.
func post(t *testing.T, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	New().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, strings.NewReader(body)))
	return rec
}

// decode parses a JSON response into v, failing on a non-JSON body.
func decode(t *testing.T, rec *httptest.ResponseRecorder, v any) {
	t.Helper()
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, rec.Body)
	}
}

// errorBody is OpenAI's error envelope, with param and code kept as raw
// JSON so a test can tell null from a string.
type errorBody struct {
	Error struct {
		Message string          `json:"message"`
		Type    string          `json:"type"`
		Param   json.RawMessage `json:"param"`
		Code    json.RawMessage `json:"code"`
	} `json:"error"`
}

// wantError checks status and that the body is the envelope with code.
func wantError(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status = %d, want %d\n%s", rec.Code, status, rec.Body)
	}
	var e errorBody
	decode(t, rec, &e)
	if e.Error.Message == "" || e.Error.Type == "" || e.Error.Param == nil || string(e.Error.Code) != code {
		t.Errorf("error envelope = %s, want message, type, param and code %s", rec.Body, code)
	}
}

// chatResult is the part of a chat completion the tests read.
type chatResult struct {
	ID      string `json:"id"`
	Choices []struct {
		Message      struct{ Role, Content string } `json:"message"`
		FinishReason string                         `json:"finish_reason"`
	} `json:"choices"`
	Usage struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
		TotalTokens      int `json:"total_tokens"`
	} `json:"usage"`
}

// chat posts a chat completion and decodes a 200 answer.
func chat(t *testing.T, body string) chatResult {
	t.Helper()
	rec := post(t, "/v1/chat/completions", body)
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d\n%s", rec.Code, rec.Body)
	}
	var res chatResult
	decode(t, rec, &res)
	if len(res.Choices) != 1 {
		t.Fatalf("choices = %d, want 1\n%s", len(res.Choices), rec.Body)
	}
	return res
}

// ragContext is a retrieved context in the "Context: … Question:" layout.
const ragContext = `Context:
[doc-3] Monthly plans can be cancelled at any time from the billing page.
Refunds for annual plans are available within 30 days of purchase [doc-7]. After that, the plan runs to the end of its term.
[doc-2] Our office is located in Berlin and opens at 9 am.
`

// ragRequest asks question about ragContext, with extra request fields.
func ragRequest(question, extra string) string {
	msgs, _ := json.Marshal([]map[string]string{
		{"role": "system", "content": "Answer from the context only."},
		{"role": "user", "content": ragContext + "\nQuestion: " + question},
	})
	return `{"model":"builtin-extractive-v1","messages":` + string(msgs) + extra + `}`
}
