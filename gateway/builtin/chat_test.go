package builtin

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"takehome/gateway/tokencount"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden pins the whole response: identical requests must answer
// byte-identically, today and after any change to the model.
func TestGolden(t *testing.T) {
	body := ragRequest("Can I get a refund on my annual plan?", "")
	first := post(t, "/v1/chat/completions", body).Body.Bytes()
	if second := post(t, "/v1/chat/completions", body).Body.Bytes(); !bytes.Equal(first, second) {
		t.Fatalf("the same request answered differently:\n%s\n%s", first, second)
	}
	golden := filepath.Join("testdata", "chat.golden")
	if *update {
		if err := os.WriteFile(golden, first, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(first, want) {
		t.Errorf("response differs from %s (go test -update if intended):\ngot  %s\nwant %s", golden, first, want)
	}
}

func TestExtractiveAnswer(t *testing.T) {
	res := chat(t, ragRequest("Can I get a refund on my annual plan?", ""))
	got := res.Choices[0]
	if got.Message.Content != "Refunds for annual plans are available within 30 days of purchase [doc-7]." {
		t.Errorf("content = %q, want the refund sentence with its marker", got.Message.Content)
	}
	if got.Message.Role != "assistant" || got.FinishReason != "stop" {
		t.Errorf("role %q, finish_reason %q", got.Message.Role, got.FinishReason)
	}
	if !strings.HasPrefix(res.ID, "chatcmpl-builtin-") || len(res.ID) != len("chatcmpl-builtin-")+24 {
		t.Errorf("id = %q", res.ID)
	}
	u := res.Usage
	if u.CompletionTokens != tokencount.Text(got.Message.Content) || u.TotalTokens != u.PromptTokens+u.CompletionTokens || u.PromptTokens < 50 {
		t.Errorf("usage = %+v", u)
	}
}

func TestUnrelatedQuestion(t *testing.T) {
	for _, q := range []string{"Who painted the Mona Lisa?", "What is it?", ""} {
		if got := chat(t, ragRequest(q, "")).Choices[0].Message.Content; got != NoAnswer {
			t.Errorf("%q answered %q, want %q", q, got, NoAnswer)
		}
	}
}

// Without the Question: label the last user message is the question and
// the other messages, in string or parts form, the context.
func TestContextFromMessages(t *testing.T) {
	body := `{"model":"builtin-extractive-v1","messages":[
		{"role":"system","content":[{"type":"text","text":"Passwords must be at least twelve characters long [doc-5]."},{"type":"image_url","image_url":{"url":"data:,"}}]},
		{"role":"user","content":"Hello"},
		{"role":"assistant","content":null,"tool_calls":[]},
		{"role":"tool","tool_call_id":"1","content":"The API rate limit is 600 requests per minute per key [doc-4]."},
		{"role":"user","content":[{"type":"text","text":"How long must my password be?"}]}]}`
	if got := chat(t, body).Choices[0].Message.Content; got != "Passwords must be at least twelve characters long [doc-5]." {
		t.Errorf("content = %q", got)
	}
}

func TestMaxTokens(t *testing.T) {
	for _, field := range []string{"max_completion_tokens", "max_tokens"} {
		res := chat(t, ragRequest("Can I get a refund on my annual plan?", `,"`+field+`":5`))
		got := res.Choices[0]
		if got.FinishReason != "length" || res.Usage.CompletionTokens > 5 || got.Message.Content == "" {
			t.Errorf("%s 5: finish_reason %q, %d tokens, content %q", field, got.FinishReason, res.Usage.CompletionTokens, got.Message.Content)
		}
		if !strings.HasPrefix("Refunds for annual plans are available", got.Message.Content) {
			t.Errorf("%s 5: content %q is not a word prefix of the answer", field, got.Message.Content)
		}
	}
	if got := chat(t, ragRequest("Can I get a refund on my annual plan?", `,"max_completion_tokens":500`)).Choices[0]; got.FinishReason != "stop" {
		t.Errorf("a cap above the answer: finish_reason %q", got.FinishReason)
	}
}
