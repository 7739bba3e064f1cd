package gateway_test

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"math"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// client is the official Go SDK pointed at the gateway.
func (r *rig) client(token string, opts ...option.RequestOption) openai.Client {
	return openai.NewClient(append([]option.RequestOption{option.WithBaseURL(r.srv.URL + "/v1"), option.WithAPIKey(token)}, opts...)...)
}

const question = "Context:\n[doc-7] Annual plans can be refunded within 30 days of purchase.\n[doc-9] Monthly plans renew on the first of the month.\n\nQuestion: Within how many days can annual plans be refunded?"

func TestOfficialClientModelsChatStreamEmbeddings(t *testing.T) {
	r := newRig(t, testAccess())
	ctx := t.Context()
	c := r.client(r.token)

	page, err := c.Models.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range page.Data {
		ids = append(ids, m.ID)
	}
	if strings.Join(ids, ",") != "gpt-4o-mini,text-embedding-3-small" {
		t.Errorf("models %v", ids)
	}

	params := openai.ChatCompletionNewParams{Model: "gpt-4o-mini", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(question)}}
	resp, err := c.Chat.Completions.New(ctx, params)
	if err != nil {
		t.Fatal(err)
	}
	answer := resp.Choices[0].Message.Content
	if !strings.Contains(answer, "30 days") || !strings.Contains(answer, "[doc-7]") {
		t.Errorf("answer %q does not carry the supporting sentence and its marker", answer)
	}
	if resp.Usage.PromptTokens == 0 || resp.Usage.CompletionTokens == 0 {
		t.Errorf("usage %+v", resp.Usage)
	}

	params.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
	stream := c.Chat.Completions.NewStreaming(ctx, params)
	var acc openai.ChatCompletionAccumulator
	chunks := 0
	for stream.Next() {
		acc.AddChunk(stream.Current())
		chunks++
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if acc.Choices[0].Message.Content != answer || chunks < 3 {
		t.Errorf("streamed %q in %d chunks, want %q in several", acc.Choices[0].Message.Content, chunks, answer)
	}
	if acc.Usage.CompletionTokens != resp.Usage.CompletionTokens || acc.Usage.PromptTokens != resp.Usage.PromptTokens {
		t.Errorf("streamed usage %+v, want %+v", acc.Usage, resp.Usage)
	}

	emb, err := c.Embeddings.New(ctx, openai.EmbeddingNewParams{Model: "text-embedding-3-small",
		Input: openai.EmbeddingNewParamsInputUnion{OfArrayOfStrings: []string{"annual plan refunds", "monthly renewal"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(emb.Data) != 2 || len(emb.Data[0].Embedding) != 384 {
		t.Fatalf("embeddings: %d of %d values", len(emb.Data), len(emb.Data[0].Embedding))
	}
	// The SDK leaves base64 to its caller: the raw field decodes to the same float32s.
	b64, err := c.Embeddings.New(ctx, openai.EmbeddingNewParams{Model: "text-embedding-3-small",
		Input:          openai.EmbeddingNewParamsInputUnion{OfArrayOfStrings: []string{"annual plan refunds", "monthly renewal"}},
		EncodingFormat: openai.EmbeddingNewParamsEncodingFormatBase64})
	if err != nil {
		t.Fatal(err)
	}
	raw := strings.Trim(b64.Data[0].JSON.Embedding.Raw(), `"`)
	bytes, err := base64.StdEncoding.DecodeString(raw)
	if err != nil || len(bytes) != 4*384 {
		t.Fatalf("base64 embedding: %d bytes, %v", len(bytes), err)
	}
	for i, want := range emb.Data[0].Embedding {
		if got := math.Float32frombits(binary.LittleEndian.Uint32(bytes[4*i:])); float64(got) != float64(float32(want)) {
			t.Fatalf("value %d: base64 %v, float %v", i, got, want)
		}
	}
	calls := r.calls(t)
	if len(calls) != 4 {
		t.Fatalf("%d calls recorded, want 4", len(calls))
	}
	for _, call := range calls {
		if call.Status != "ok" || call.CostSource != "provider" || call.CostMicro <= 0 {
			t.Errorf("call %+v", call)
		}
	}
	if calls[1].PromptTokens != int(acc.Usage.PromptTokens) || calls[1].CompletionTokens != int(acc.Usage.CompletionTokens) {
		t.Errorf("metered stream %d/%d tokens, the client saw %+v", calls[1].PromptTokens, calls[1].CompletionTokens, acc.Usage)
	}
}

// A budget refusal is a typed SDK error with code budget_exceeded, and
// x-should-retry: false keeps the SDK from retrying it (one request, not 3).
func TestBudgetRefusalIsFinalForTheSDK(t *testing.T) {
	access := testAccess()
	access.BudgetMicroUSD = 1 // less than any call
	r := newRig(t, access)
	var requests atomic.Int32
	counting := option.WithMiddleware(func(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
		requests.Add(1)
		return next(req)
	})
	c := r.client(r.token, counting, option.WithMaxRetries(2))
	_, err := c.Chat.Completions.New(t.Context(), openai.ChatCompletionNewParams{Model: "gpt-4o-mini",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(question)}})
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v is not an API error", err)
	}
	if apiErr.StatusCode != 429 || apiErr.Code != "budget_exceeded" || apiErr.Type != "insufficient_quota" {
		t.Errorf("status %d type %q code %q", apiErr.StatusCode, apiErr.Type, apiErr.Code)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("the SDK sent %d requests, want 1", n)
	}
	calls := r.calls(t)
	if len(calls) != 1 || calls[0].Status != "budget_exceeded" || calls[0].CostMicro != 0 {
		t.Errorf("recorded %+v", calls)
	}
}
