package builtin

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// streamChunk is the part of a chunk the tests read; Usage stays raw so
// that null, absent and an object differ.
type streamChunk struct {
	Object  string `json:"object"`
	Choices []struct {
		Delta struct {
			Role    string  `json:"role"`
			Content *string `json:"content"`
		} `json:"delta"`
		FinishReason *string `json:"finish_reason"`
	} `json:"choices"`
	Usage json.RawMessage `json:"usage"`
}

// events splits an SSE body into its data payloads, failing on any other line.
func events(t *testing.T, body string) []string {
	t.Helper()
	var out []string
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok {
			t.Fatalf("not an SSE data line: %q", line)
		}
		out = append(out, data)
	}
	return out
}

// streamed posts a streaming request and parses its chunks, checking that
// [DONE] comes last and only there.
func streamed(t *testing.T, body string) []streamChunk {
	t.Helper()
	rec := post(t, "/v1/chat/completions", body)
	if ct := rec.Header().Get("Content-Type"); rec.Code != http.StatusOK || ct != "text/event-stream" {
		t.Fatalf("status %d, content type %q", rec.Code, ct)
	}
	data := events(t, rec.Body.String())
	if len(data) == 0 || data[len(data)-1] != "[DONE]" {
		t.Fatalf("stream does not end with [DONE]: %q", data)
	}
	chunks := make([]streamChunk, len(data)-1)
	for i, d := range data[:len(data)-1] {
		if err := json.Unmarshal([]byte(d), &chunks[i]); err != nil || chunks[i].Object != "chat.completion.chunk" {
			t.Fatalf("chunk %d = %s (%v)", i, d, err)
		}
	}
	return chunks
}

// joined joins the deltas and returns the finish reason.
func joined(chunks []streamChunk) (text, finish string) {
	var b strings.Builder
	for _, c := range chunks {
		for _, ch := range c.Choices {
			if ch.Delta.Content != nil {
				b.WriteString(*ch.Delta.Content)
			}
			if ch.FinishReason != nil {
				finish = *ch.FinishReason
			}
		}
	}
	return b.String(), finish
}

func TestStreamMatchesCompletion(t *testing.T) {
	for _, extra := range []string{"", `,"max_completion_tokens":5`} {
		want := chat(t, ragRequest("Where is the office and when does it open?", extra)).Choices[0]
		chunks := streamed(t, ragRequest("Where is the office and when does it open?", `,"stream":true`+extra))
		text, finish := joined(chunks)
		if text != want.Message.Content || finish != want.FinishReason {
			t.Errorf("stream %q (%s), completion %q (%s)", text, finish, want.Message.Content, want.FinishReason)
		}
		if first := chunks[0].Choices[0].Delta; first.Role != "assistant" || first.Content == nil || *first.Content != "" {
			t.Errorf("first delta = %+v, want the role and empty content", first)
		}
		if len(chunks) != len(strings.Fields(text))+2 {
			t.Errorf("%d chunks for %d words, want one per word plus role and finish", len(chunks), len(strings.Fields(text)))
		}
		for _, c := range chunks {
			if c.Usage != nil {
				t.Errorf("usage %s sent without include_usage", c.Usage)
			}
		}
	}
}

func TestStreamUsage(t *testing.T) {
	chunks := streamed(t, ragRequest("Can I get a refund on my annual plan?", `,"stream":true,"stream_options":{"include_usage":true}`))
	last := chunks[len(chunks)-1]
	if last.Choices == nil || len(last.Choices) != 0 {
		t.Errorf("usage chunk choices = %v, want []", last.Choices)
	}
	var u struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
		TotalTokens      int `json:"total_tokens"`
	}
	if err := json.Unmarshal(last.Usage, &u); err != nil || u.CompletionTokens == 0 || u.TotalTokens != u.PromptTokens+u.CompletionTokens {
		t.Errorf("usage chunk = %s (%v)", last.Usage, err)
	}
	for i, c := range chunks[:len(chunks)-1] {
		if string(c.Usage) != "null" {
			t.Errorf("chunk %d usage = %s, want null", i, c.Usage)
		}
	}
}

func TestStreamStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/v1/chat/completions", strings.NewReader(ragRequest("Where is the office?", `,"stream":true`)))
	rec := httptest.NewRecorder()
	New().ServeHTTP(rec, req)
	if rec.Body.Len() != 0 {
		t.Errorf("a cancelled request got %q", rec.Body)
	}
}
