package gateway_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"takehome/grader"
)

// A provider that streams far past the output cap is cut off: the caller's
// stream ends without [DONE], the upstream request is cancelled and the
// call is charged its whole reservation, never more.
func TestStreamPastTheCapIsCut(t *testing.T) {
	cancelled := make(chan struct{})
	u := newUpRig(t, func(w http.ResponseWriter, r *http.Request) {
		f := startSSE(w)
		for i := 0; i < 100_000; i++ {
			if _, err := io.WriteString(w, sseChunk("word ")); err != nil || r.Context().Err() != nil {
				close(cancelled)
				return
			}
			f.Flush()
		}
	})
	resp, data := u.chat(t, u.token, upChat(map[string]any{"stream": true, "max_completion_tokens": 10}))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d", resp.StatusCode)
	}
	_, text, done := readStream(t, data)
	if done || len(text) > 8*10+256+64 {
		t.Errorf("the caller got %d bytes of text, [DONE] %v: want the stream cut near the cap", len(text), done)
	}
	<-cancelled
	c := oneCall(t, u.store, u.runID)
	checkCharged(t, u, c, grader.CallUpstreamError, c.ReservedMicro, grader.CostEstimated)
	if !strings.Contains(u.logs.String(), "ignored the output cap") {
		t.Error("no warning about the ignored cap")
	}
}

// Provider usage far from the gateway's own count is logged: it catches a
// mispriced or misrouted model before its reservations mislead.
func TestUsageDriftIsLogged(t *testing.T) {
	u := newUpRig(t, func(w http.ResponseWriter, _ *http.Request) { writeCompletion(w, fakeAnswer, &[2]int{5_000, 12}) })
	if resp, _ := u.chat(t, u.token, upChat(nil)); resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d", resp.StatusCode)
	}
	if !strings.Contains(u.logs.String(), "disagree on the prompt's tokens") {
		t.Errorf("no drift warning in %s", u.logs.String())
	}
	u2 := newUpRig(t, func(w http.ResponseWriter, _ *http.Request) { writeCompletion(w, fakeAnswer, nil) })
	if resp, _ := u2.chat(t, u2.token, upChat(nil)); resp.StatusCode != http.StatusOK || strings.Contains(u2.logs.String(), "disagree") {
		t.Error("a call without provider usage was reported as drifting")
	}
}

// Tool definitions and earlier tool calls are prompt the provider bills:
// the gateway's count, hence the reservation, includes them.
func TestToolsCountInThePrompt(t *testing.T) {
	u := newUpRig(t, func(w http.ResponseWriter, _ *http.Request) { writeCompletion(w, fakeAnswer, nil) })
	plain := upChat(map[string]any{"max_completion_tokens": 5})
	withTools := upChat(map[string]any{"max_completion_tokens": 5, "tools": []any{map[string]any{"type": "function",
		"function": map[string]any{"name": "lookup_refund_policy", "description": strings.Repeat("Looks up the refund policy of a plan. ", 20),
			"parameters": map[string]any{"type": "object", "properties": map[string]any{"plan": map[string]any{"type": "string"}}}}}}})
	for _, body := range []map[string]any{plain, withTools} {
		if resp, data := u.chat(t, u.token, body); resp.StatusCode != http.StatusOK {
			t.Fatalf("HTTP %d %s", resp.StatusCode, data)
		}
	}
	calls := settledCalls(t, u.store, u.runID, false)
	if len(calls) != 2 || calls[1].PromptTokens < calls[0].PromptTokens+150 {
		t.Errorf("prompt tokens without tools %d, with a 20-sentence tool %d", calls[0].PromptTokens, calls[1].PromptTokens)
	}
}
