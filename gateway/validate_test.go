package gateway

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

var models = []string{"builtin-chat-v1", "builtin-embed-hash-v1"}

func TestParseChat(t *testing.T) {
	const msgs = `"messages": [{"role": "system", "content": "Answer from the context."}, {"role": "user", "content": "When?"}]`
	tests := []struct {
		name, body  string
		status      int    // 0: accepted
		param, code string // of the refusal
	}{
		{"minimal", `{"model": "builtin-chat-v1", ` + msgs + `}`, 0, "", ""},
		{"everything allowed", `{"model": "builtin-chat-v1", ` + msgs + `, "temperature": 0, "top_p": 1, "n": 1, "seed": 7,
			"stop": ["\n"], "stream": true, "stream_options": {"include_usage": true}, "max_tokens": 50, "max_completion_tokens": 20,
			"tools": [{"type": "function", "function": {"name": "lookup", "parameters": {}}}], "tool_choice": "auto", "store": false, "user": "me"}`, 0, "", ""},
		{"parts with an inline image", `{"model": "builtin-chat-v1", "messages": [{"role": "user", "content": [{"type": "text", "text": "x"},
			{"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]}]}`, 0, "", ""},
		{"not an object", `[1]`, 400, "", ""},
		{"two objects", `{"model": "builtin-chat-v1", ` + msgs + `} {}`, 400, "", ""},
		{"unknown field", `{"model": "builtin-chat-v1", ` + msgs + `, "web_search_options": {}}`, 400, "web_search_options", "unknown_parameter"},
		{"model not allowed", `{"model": "gpt-4o", ` + msgs + `}`, 404, "model", "model_not_found"},
		{"no model", `{` + msgs + `}`, 400, "model", ""},
		{"several choices", `{"model": "builtin-chat-v1", ` + msgs + `, "n": 3}`, 400, "n", ""},
		{"stored by the provider", `{"model": "builtin-chat-v1", ` + msgs + `, "store": true}`, 400, "store", ""},
		{"a server-side tool", `{"model": "builtin-chat-v1", ` + msgs + `, "tools": [{"type": "web_search"}]}`, 400, "tools[0].type", ""},
		{"a remote image", `{"model": "builtin-chat-v1", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://example.com/x.png"}}]}]}`, 400, "messages[0].content[0].image_url", ""},
		{"a file part", `{"model": "builtin-chat-v1", "messages": [{"role": "user", "content": [{"type": "file", "file": {"file_id": "f"}}]}]}`, 400, "messages[0].content[0].type", ""},
		{"unknown role", `{"model": "builtin-chat-v1", "messages": [{"role": "root", "content": "x"}]}`, 400, "messages[0].role", ""},
		{"no messages", `{"model": "builtin-chat-v1", "messages": []}`, 400, "messages", ""},
		{"zero output cap", `{"model": "builtin-chat-v1", ` + msgs + `, "max_tokens": 0}`, 400, "max_tokens", ""},
		{"wrong type", `{"model": "builtin-chat-v1", ` + msgs + `, "stream": "yes"}`, 400, "stream", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, e := ParseChat([]byte(tt.body), models)
			checkRefusal(t, e, tt.status, tt.param, tt.code)
		})
	}
	c, e := ParseChat([]byte(tests[1].body), models)
	if e != nil || !c.Stream || !c.IncludeUsage || c.MaxOutput == nil || *c.MaxOutput != 20 || c.Model != "builtin-chat-v1" {
		t.Errorf("parsed %+v (%v): want a stream with usage, capped at max_completion_tokens 20", c, e)
	}
	if c, _ := ParseChat([]byte(tests[0].body), models); c.MaxOutput != nil || c.Stream {
		t.Errorf("parsed %+v: no cap, no stream", c)
	}
}

func TestParseEmbeddings(t *testing.T) {
	tests := []struct {
		name, body  string
		inputs      int
		base64      bool
		status      int
		param, code string
	}{
		{"one text", `{"model": "builtin-embed-hash-v1", "input": "refund policy"}`, 1, false, 0, "", ""},
		{"texts, base64 (the SDKs' default)", `{"model": "builtin-embed-hash-v1", "input": ["a", "b"], "encoding_format": "base64"}`, 2, true, 0, "", ""},
		{"token arrays", `{"model": "builtin-embed-hash-v1", "input": [[1, 2], [3]], "encoding_format": "float"}`, 2, false, 0, "", ""},
		{"one token array", `{"model": "builtin-embed-hash-v1", "input": [1, 2, 3], "dimensions": 128}`, 1, false, 0, "", ""},
		{"empty text", `{"model": "builtin-embed-hash-v1", "input": ["a", ""]}`, 0, false, 400, "input[1]", ""},
		{"empty list", `{"model": "builtin-embed-hash-v1", "input": []}`, 0, false, 400, "input", ""},
		{"empty token array", `{"model": "builtin-embed-hash-v1", "input": [[]]}`, 0, false, 400, "input[0]", ""},
		{"mixed input", `{"model": "builtin-embed-hash-v1", "input": ["a", 1]}`, 0, false, 400, "input", ""},
		{"no input", `{"model": "builtin-embed-hash-v1"}`, 0, false, 400, "input", ""},
		{"too many", `{"model": "builtin-embed-hash-v1", "input": [` + strings.Repeat(`"x",`, 2048) + `"x"]}`, 0, false, 400, "input", ""},
		{"unknown encoding", `{"model": "builtin-embed-hash-v1", "input": "a", "encoding_format": "int8"}`, 0, false, 400, "encoding_format", ""},
		{"unknown field", `{"model": "builtin-embed-hash-v1", "input": "a", "url": "https://example.com"}`, 0, false, 400, "url", "unknown_parameter"},
		{"model not allowed", `{"model": "text-embedding-3-large", "input": "a"}`, 0, false, 404, "model", "model_not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			emb, e := ParseEmbeddings([]byte(tt.body), models)
			checkRefusal(t, e, tt.status, tt.param, tt.code)
			if e == nil && (emb.Inputs != tt.inputs || emb.Base64 != tt.base64) {
				t.Errorf("parsed %+v, want %d inputs, base64 %v", emb, tt.inputs, tt.base64)
			}
		})
	}
}

// checkRefusal: accepted when status is 0, else refused with that status,
// param and code.
func checkRefusal(t *testing.T, e *Error, status int, param, code string) {
	t.Helper()
	if status == 0 {
		if e != nil {
			t.Fatalf("refused: %d %s", e.Status, e.Message)
		}
		return
	}
	if e == nil {
		t.Fatalf("accepted, want a %d about %q", status, param)
	}
	if e.Status != status || deref(e.Param) != param || deref(e.Code) != code || e.Message == "" {
		t.Errorf("refused %d param %q code %q (%s), want %d param %q code %q", e.Status, deref(e.Param), deref(e.Code), e.Message, status, param, code)
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func TestReadBody(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/v1/chat/completions", bytes.NewReader(make([]byte, MaxBodyBytes+1)))
	if _, e := ReadBody(r); e == nil || e.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over the cap: %+v", e)
	}
	r = httptest.NewRequest(http.MethodPost, "/v1/chat/completions", strings.NewReader(`{}`))
	if b, e := ReadBody(r); e != nil || string(b) != `{}` {
		t.Errorf("read %q, %+v", b, e)
	}
}

// The envelope is OpenAI's, and x-should-retry tells the SDKs which
// refusals a retry cannot cure.
func TestErrorEnvelope(t *testing.T) {
	budget := &Error{Status: http.StatusTooManyRequests, Type: "insufficient_quota", Message: "budget spent"}
	code := "budget_exceeded"
	budget.Code = &code
	tests := []struct {
		e     *Error
		retry string
	}{
		{invalid("n", "", "n must be 1"), "false"},
		{budget, "false"},
		{&Error{Status: http.StatusTooManyRequests, Type: "rate_limit_exceeded", Message: "8 calls in flight"}, ""},
		{&Error{Status: http.StatusBadGateway, Type: "api_error", Message: "upstream failed"}, ""},
	}
	for _, tt := range tests {
		w := httptest.NewRecorder()
		tt.e.Write(w)
		var body struct {
			Error map[string]any `json:"error"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || w.Code != tt.e.Status {
			t.Fatalf("%d %s: %v", w.Code, w.Body, err)
		}
		for _, k := range []string{"message", "type", "param", "code"} {
			if _, ok := body.Error[k]; !ok {
				t.Errorf("%s lacks %q", w.Body, k)
			}
		}
		if got := w.Header().Get("x-should-retry"); got != tt.retry {
			t.Errorf("%d %s: x-should-retry %q, want %q", tt.e.Status, tt.e.Type, got, tt.retry)
		}
	}
}
