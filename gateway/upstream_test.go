package gateway_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"takehome/exercises"
	"takehome/gateway"
	"takehome/gateway/tokencount"
	"takehome/grader"
	"takehome/internal/gatewaytest"
	"takehome/internal/pgtest"
	"takehome/internal/postgres"
)

// fakeKey is the admin's provider key: it must never reach a client, a
// call record or a log.
const fakeKey = "sk-secret-test"

// fakeAnswer is what the fake upstream answers, streamed word by word.
const fakeAnswer = "Annual plans can be refunded within 30 days of purchase [doc-7]."

// fakeUpstream is an OpenAI-compatible provider on httptest: it records
// every request it gets and answers with the test's handler, which must
// return once its request is cancelled.
type fakeUpstream struct {
	srv    *httptest.Server
	handle http.HandlerFunc
	mu     sync.Mutex
	got    []upstreamRequest
}

// upstreamRequest is one request as the fake upstream saw it.
type upstreamRequest struct {
	Path   string
	Header http.Header
	Raw    []byte
	Body   map[string]any
}

func newFakeUpstream(t *testing.T, handle http.HandlerFunc) *fakeUpstream {
	t.Helper()
	u := &fakeUpstream{handle: handle}
	u.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		seen := upstreamRequest{Path: r.URL.Path, Header: r.Header.Clone(), Raw: raw}
		_ = json.Unmarshal(raw, &seen.Body)
		u.mu.Lock()
		u.got = append(u.got, seen)
		u.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(raw))
		u.handle(w, r)
	}))
	t.Cleanup(u.srv.Close)
	return u
}

func (u *fakeUpstream) requests() []upstreamRequest {
	u.mu.Lock()
	defer u.mu.Unlock()
	return slices.Clone(u.got)
}

// upRig is a rig whose run calls the fake upstream as provider "fake",
// with the gateway's log kept for inspection.
type upRig struct {
	*rig
	up     *fakeUpstream
	access *exercises.ModelAccess
	logs   *syncBuffer
}

// fakeAccess is testAccess on provider "fake", whose names for the models
// differ from the candidate's.
func fakeAccess() *exercises.ModelAccess {
	a := testAccess()
	a.Provider = "fake"
	a.Models[0].Upstream = "gpt-4o-mini-2024-07-18"
	a.Models[1].Upstream = "text-embedding-3-small-v2"
	return a
}

// newUpRig is a gateway on the package's database with provider "fake" in
// front of handle; opts change the provider before the gateway is built.
func newUpRig(t *testing.T, handle http.HandlerFunc, opts ...func(*gateway.Provider)) *upRig {
	t.Helper()
	store := postgres.NewStore(pgtest.DB(t), gatewaytest.NoQueue{})
	u := &upRig{rig: &rig{store: store, grants: &gateway.Grants{Store: store}}, up: newFakeUpstream(t, handle),
		access: fakeAccess(), logs: &syncBuffer{}}
	u.runID = gatewaytest.NewRun(t, store)
	if err := u.grants.Budget(t.Context(), u.runID, u.access); err != nil {
		t.Fatal(err)
	}
	u.token = u.grant(t, "query", u.access)
	prov := &gateway.Provider{Name: "fake", BaseURL: u.up.srv.URL + "/v1", Key: fakeKey, External: true, MaxTokensField: "max_tokens"}
	for _, o := range opts {
		o(prov)
	}
	u.srv = httptest.NewServer(gateway.New(gateway.Config{Store: store, Providers: []*gateway.Provider{prov},
		Log: slog.New(slog.NewTextHandler(u.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}))
	t.Cleanup(u.srv.Close)
	return u
}

// syncBuffer is a log sink that handlers on many goroutines may share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// call sends body (JSON-encoded unless it is a string) to the gateway's
// path with token, and returns the response with its body read.
func (u *upRig) call(t *testing.T, ctx context.Context, token, method, path string, body any) (*http.Response, []byte) {
	t.Helper()
	raw, ok := body.(string)
	if !ok && body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		raw = string(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.srv.URL+path, strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read the answer: %v", method, path, err)
	}
	return resp, data
}

// chat posts a chat request to the gateway and returns the response.
func (u *upRig) chat(t *testing.T, token string, body map[string]any) (*http.Response, []byte) {
	t.Helper()
	return u.call(t, t.Context(), token, http.MethodPost, "/v1/chat/completions", body)
}

// upChat is a chat request for gpt-4o-mini asking the question, with extra
// fields set.
func upChat(extra map[string]any) map[string]any {
	body := map[string]any{"model": "gpt-4o-mini", "messages": []map[string]any{{"role": "user", "content": question}}}
	maps.Copy(body, extra)
	return body
}

// settledCalls waits until none of the run's calls is in flight: the
// gateway settles a call after its last byte went out.
func settledCalls(t *testing.T, store *postgres.Store, runID int64, withBodies bool) []grader.ModelCall {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		calls, err := store.LLMCalls(context.Background(), runID, withBodies)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(calls, func(c grader.ModelCall) bool { return c.Status == "in_flight" }) {
			return calls
		}
		if time.Now().After(deadline) {
			t.Fatalf("calls still in flight after 5s: %+v", calls)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// oneCall is the run's only call, once settled.
func oneCall(t *testing.T, store *postgres.Store, runID int64) grader.ModelCall {
	t.Helper()
	calls := settledCalls(t, store, runID, true)
	if len(calls) != 1 {
		t.Fatalf("%d calls recorded, want 1: %+v", len(calls), calls)
	}
	return calls[0]
}

// runBudget is the run's own budget.
func runBudget(t *testing.T, store *postgres.Store, runID int64) postgres.Budget {
	t.Helper()
	budgets, err := store.LLMBudgets(context.Background(), runID)
	if err != nil {
		t.Fatal(err)
	}
	if len(budgets) == 0 || budgets[0].Phase != "" {
		t.Fatalf("run %d has budgets %+v, want its own first", runID, budgets)
	}
	return budgets[0]
}

// checkCharged checks a settled call's status, cost and source, and that
// the run's budget holds nothing reserved and spent exactly the cost.
func checkCharged(t *testing.T, u *upRig, c grader.ModelCall, status string, cost int64, source grader.CostSource) {
	t.Helper()
	if c.Status != status || c.CostMicro != cost || c.CostSource != source {
		t.Errorf("call %s, cost %d (%s), want %s, %d (%s)", c.Status, c.CostMicro, c.CostSource, status, cost, source)
	}
	if b := runBudget(t, u.store, u.runID); b.SpentMicro != cost || b.ReservedMicro != 0 {
		t.Errorf("budget spent %d, reserved %d; want spent %d, reserved 0", b.SpentMicro, b.ReservedMicro, cost)
	}
}

// microCost is a call's price in micro-USD, rounded up, from the model's
// per-million-token prices.
func microCost(m exercises.Model, prompt, completion int) int64 {
	return (int64(prompt)*m.InputPrice + int64(completion)*m.OutputPrice + 999_999) / 1_000_000
}

// errEnvelope is OpenAI's error body.
type errEnvelope struct {
	Error struct {
		Message string  `json:"message"`
		Type    string  `json:"type"`
		Param   *string `json:"param"`
		Code    *string `json:"code"`
	} `json:"error"`
}

// checkError checks an error answer's status and code ("": any), and
// whether it tells the SDKs not to retry.
func checkError(t *testing.T, resp *http.Response, data []byte, status int, code string, final bool) errEnvelope {
	t.Helper()
	var e errEnvelope
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatalf("HTTP %d, body %q is not an error envelope: %v", resp.StatusCode, data, err)
	}
	if resp.StatusCode != status || (code != "" && (e.Error.Code == nil || *e.Error.Code != code)) {
		t.Errorf("HTTP %d %s, want %d with code %q", resp.StatusCode, data, status, code)
	}
	if got := resp.Header.Get("x-should-retry") == "false"; got != final {
		t.Errorf("x-should-retry %q, want final=%v", resp.Header.Get("x-should-retry"), final)
	}
	return e
}

// The answers of the fake upstream.

func completionJSON(content string, usage *[2]int) []byte {
	resp := map[string]any{"id": "chatcmpl-fake", "object": "chat.completion", "created": 1700000000,
		"model": "gpt-4o-mini-2024-07-18",
		"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": content}}}}
	if usage != nil {
		resp["usage"] = map[string]int{"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": usage[0] + usage[1]}
	}
	data, _ := json.Marshal(resp)
	return data
}

func writeCompletion(w http.ResponseWriter, content string, usage *[2]int) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(completionJSON(content, usage))
}

// sseChunk is one chat chunk event carrying content.
func sseChunk(content string) string {
	data, _ := json.Marshal(map[string]any{"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1700000000,
		"model":   "gpt-4o-mini-2024-07-18",
		"choices": []any{map[string]any{"index": 0, "delta": map[string]any{"content": content}, "finish_reason": nil}}})
	return "data: " + string(data) + "\n\n"
}

// sseUsage is the usage-only chunk OpenAI sends last when asked to.
func sseUsage(prompt, completion int) string {
	return fmt.Sprintf(`data: {"id":"chatcmpl-fake","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini-2024-07-18","choices":[],"usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}`+"\n\n",
		prompt, completion, prompt+completion)
}

const sseDone = "data: [DONE]\n\n"

// fakeEvents is fakeAnswer as a stream: one chunk per word, the usage
// chunk when usage is given, and [DONE].
func fakeEvents(usage *[2]int) []string {
	words := strings.SplitAfter(fakeAnswer, " ")
	events := make([]string, 0, len(words)+2)
	for _, w := range words {
		events = append(events, sseChunk(w))
	}
	if usage != nil {
		events = append(events, sseUsage(usage[0], usage[1]))
	}
	return append(events, sseDone)
}

func startSSE(w http.ResponseWriter) http.Flusher {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	f, _ := w.(http.Flusher)
	f.Flush()
	return f
}

func writeEvents(w http.ResponseWriter, events []string) {
	f := startSSE(w)
	for _, e := range events {
		_, _ = io.WriteString(w, e)
		f.Flush()
	}
}

// streamChunk is what a test reads of a chunk the gateway passed on.
type streamChunk struct {
	Choices []struct {
		Delta struct {
			Content string `json:"content"`
		} `json:"delta"`
	} `json:"choices"`
	Usage *struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
	} `json:"usage"`
}

// readStream parses a stream the gateway sent: its chunks, their text,
// and whether it ended with [DONE].
func readStream(t *testing.T, data []byte) (chunks []streamChunk, text string, done bool) {
	t.Helper()
	for line := range strings.Lines(string(data)) {
		payload, ok := strings.CutPrefix(strings.TrimRight(line, "\r\n"), "data:")
		if !ok {
			continue
		}
		payload = strings.TrimSpace(payload)
		if payload == "[DONE]" {
			done = true
			continue
		}
		var c streamChunk
		if err := json.Unmarshal([]byte(payload), &c); err != nil {
			t.Fatalf("chunk %q: %v", payload, err)
		}
		for _, ch := range c.Choices {
			text += ch.Delta.Content
		}
		chunks = append(chunks, c)
	}
	return chunks, text, done
}

// The gateway sends the provider its own key, the provider's model names,
// the output cap in the field the provider reads, usage on streams, and a
// run pseudonym as user; nothing of the caller's identity.
func TestUpstreamGetsTheGatewaysRequest(t *testing.T) {
	u := newUpRig(t, func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Stream bool }
		_ = json.NewDecoder(r.Body).Decode(&req)
		switch {
		case r.URL.Path == "/v1/embeddings":
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.6,0.8]}],"model":"text-embedding-3-small-v2","usage":{"prompt_tokens":3,"total_tokens":3}}`)
		case req.Stream:
			writeEvents(w, fakeEvents(&[2]int{50, 12}))
		default:
			writeCompletion(w, fakeAnswer, &[2]int{50, 12})
		}
	})
	const client = "alice@example.com"
	chats := []struct {
		name    string
		body    map[string]any
		wantCap float64
		capped  bool
	}{
		{"max_completion_tokens", upChat(map[string]any{"max_completion_tokens": 40, "user": client}), 40, false},
		{"max_tokens, streamed", upChat(map[string]any{"max_tokens": 30, "stream": true, "user": client,
			"stream_options": map[string]any{"include_usage": false}}), 30, false},
		{"no cap: the model's", upChat(nil), 256, true},
	}
	for _, c := range chats {
		if resp, data := u.chat(t, u.token, c.body); resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: HTTP %d %s", c.name, resp.StatusCode, data)
		}
	}
	emb := map[string]any{"model": "text-embedding-3-small", "input": "annual plan refunds", "user": client}
	if resp, data := u.call(t, t.Context(), u.token, http.MethodPost, "/v1/embeddings", emb); resp.StatusCode != http.StatusOK {
		t.Fatalf("embeddings: HTTP %d %s", resp.StatusCode, data)
	}

	got := u.up.requests()
	if len(got) != 4 {
		t.Fatalf("upstream saw %d requests, want 4", len(got))
	}
	pseudonym, _ := got[0].Body["user"].(string)
	if pseudonym == "" || strings.Contains(pseudonym, client) {
		t.Errorf("user sent upstream %q, want a run pseudonym", pseudonym)
	}
	for i, c := range chats {
		req := got[i]
		if req.Path != "/v1/chat/completions" || req.Body["model"] != "gpt-4o-mini-2024-07-18" {
			t.Errorf("%s: upstream got %s for model %v", c.name, req.Path, req.Body["model"])
		}
		if req.Body["max_tokens"] != c.wantCap {
			t.Errorf("%s: max_tokens %v, want %v", c.name, req.Body["max_tokens"], c.wantCap)
		}
		if _, ok := req.Body["max_completion_tokens"]; ok {
			t.Errorf("%s: max_completion_tokens sent to a provider that reads max_tokens", c.name)
		}
		if req.Body["user"] != pseudonym {
			t.Errorf("%s: user %v, want the run pseudonym %q", c.name, req.Body["user"], pseudonym)
		}
		opts, _ := req.Body["stream_options"].(map[string]any)
		if stream := req.Body["stream"] == true; stream != (opts["include_usage"] == true) {
			t.Errorf("%s: stream %v with stream_options %v, want include_usage on every stream", c.name, stream, req.Body["stream_options"])
		}
	}
	if e := got[3]; e.Path != "/v1/embeddings" || e.Body["model"] != "text-embedding-3-small-v2" || e.Body["user"] != nil {
		t.Errorf("embeddings upstream: %s model %v user %v", e.Path, e.Body["model"], e.Body["user"])
	}
	for i, req := range got {
		if auth := req.Header.Values("Authorization"); len(auth) != 1 || auth[0] != "Bearer "+fakeKey {
			t.Errorf("request %d: Authorization %q, want the provider key", i, auth)
		}
		for name, values := range req.Header {
			if strings.Contains(strings.Join(values, " "), u.token) {
				t.Errorf("request %d: the client's token reached upstream in %s", i, name)
			}
		}
		if bytes.Contains(req.Raw, []byte(u.token)) || bytes.Contains(req.Raw, []byte(client)) {
			t.Errorf("request %d: the client's token or user reached upstream: %s", i, req.Raw)
		}
	}
	calls := settledCalls(t, u.store, u.runID, false)
	for i, c := range chats {
		if calls[i].Status != grader.CallOK || calls[i].Capped != c.capped || calls[i].Provider != "fake" {
			t.Errorf("%s: recorded %s capped=%v provider %s, want ok capped=%v fake", c.name, calls[i].Status, calls[i].Capped, calls[i].Provider, c.capped)
		}
	}
}

// A provider configured without MaxTokensField gets the cap as
// max_completion_tokens, OpenAI's name and the documented default.
func TestUpstreamDefaultMaxTokensField(t *testing.T) {
	u := newUpRig(t, func(w http.ResponseWriter, _ *http.Request) { writeCompletion(w, fakeAnswer, &[2]int{50, 12}) },
		func(p *gateway.Provider) { p.MaxTokensField = "" })
	if resp, data := u.chat(t, u.token, upChat(map[string]any{"max_tokens": 40})); resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d %s", resp.StatusCode, data)
	}
	got := u.up.requests()[0].Body
	if got["max_completion_tokens"] != 40.0 || got["max_tokens"] != nil || got[""] != nil {
		t.Errorf("upstream got max_completion_tokens %v, max_tokens %v, %q %v; want max_completion_tokens 40 only",
			got["max_completion_tokens"], got["max_tokens"], "", got[""])
	}
}

// A stream's usage chunk is always asked for upstream and charged, but
// reaches the client only when it asked for it.
func TestUpstreamStreamUsage(t *testing.T) {
	for _, tt := range []struct {
		name      string
		wantUsage bool
	}{{"client did not ask for usage", false}, {"client asked for usage", true}} {
		t.Run(tt.name, func(t *testing.T) {
			u := newUpRig(t, func(w http.ResponseWriter, _ *http.Request) { writeEvents(w, fakeEvents(&[2]int{111, 22})) })
			body := upChat(map[string]any{"stream": true})
			if tt.wantUsage {
				body["stream_options"] = map[string]any{"include_usage": true}
			}
			resp, data := u.chat(t, u.token, body)
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
				t.Fatalf("HTTP %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), data)
			}
			chunks, text, done := readStream(t, data)
			if text != fakeAnswer || !done {
				t.Errorf("streamed %q (done=%v), want %q and [DONE]", text, done, fakeAnswer)
			}
			usageOnly := 0
			for _, c := range chunks {
				if len(c.Choices) == 0 {
					usageOnly++
					if c.Usage == nil || c.Usage.PromptTokens != 111 || c.Usage.CompletionTokens != 22 {
						t.Errorf("usage chunk %+v", c.Usage)
					}
				}
			}
			if want := map[bool]int{false: 0, true: 1}[tt.wantUsage]; usageOnly != want {
				t.Errorf("%d usage-only chunks reached the client, want %d", usageOnly, want)
			}
			c := oneCall(t, u.store, u.runID)
			if c.PromptTokens != 111 || c.CompletionTokens != 22 || c.ServedModel != "gpt-4o-mini-2024-07-18" {
				t.Errorf("recorded %d+%d tokens served by %q, want the provider's 111+22", c.PromptTokens, c.CompletionTokens, c.ServedModel)
			}
			checkCharged(t, u, c, grader.CallOK, microCost(u.access.Models[0], 111, 22), grader.CostProvider)
		})
	}
}

// An answer without usage is charged by the gateway's own count of the
// prompt and of the text it passed on.
func TestUpstreamWithoutUsageIsEstimated(t *testing.T) {
	for _, tt := range []struct {
		name   string
		stream bool
	}{{"stream", true}, {"JSON", false}} {
		t.Run(tt.name, func(t *testing.T) {
			u := newUpRig(t, func(w http.ResponseWriter, _ *http.Request) {
				if tt.stream {
					writeEvents(w, fakeEvents(nil))
					return
				}
				writeCompletion(w, fakeAnswer, nil)
			})
			body := upChat(map[string]any{"stream": tt.stream, "max_completion_tokens": 100})
			if resp, data := u.chat(t, u.token, body); resp.StatusCode != http.StatusOK {
				t.Fatalf("HTTP %d %s", resp.StatusCode, data)
			}
			c := oneCall(t, u.store, u.runID)
			want := tokencount.Text(fakeAnswer)
			if c.PromptTokens == 0 || c.CompletionTokens != want {
				t.Errorf("recorded %d+%d tokens, want the gateway's count of the prompt and %d of the answer",
					c.PromptTokens, c.CompletionTokens, want)
			}
			checkCharged(t, u, c, grader.CallOK, microCost(u.access.Models[0], c.PromptTokens, want), grader.CostEstimated)
			if c.CostMicro >= c.ReservedMicro {
				t.Errorf("charged %d of %d reserved: an answer that came whole costs what it used", c.CostMicro, c.ReservedMicro)
			}
		})
	}
}

// SSE as real servers frame it (events split across reads, \r\n line
// endings, keep-alive comments) passes through, and the official client
// parses what comes out.
func TestUpstreamStreamFraming(t *testing.T) {
	raw := ": keep-alive\n\n" + strings.Join(fakeEvents(nil)[:3], "") + ": keep-alive\n\n" +
		strings.Join(fakeEvents(&[2]int{111, 22})[3:], "")
	raw = strings.ReplaceAll(raw, "\n", "\r\n")
	// Cut inside "data:", between \r and \n, inside JSON and between the
	// two line ends of an event.
	first := strings.Index(raw, "data:")
	cuts := []int{first + 3, first + strings.Index(raw[first:], "\r\n") + 1, strings.Index(raw, `"content"`) + 5,
		strings.LastIndex(raw, "\r\n\r\n") + 2, len(raw)}
	slices.Sort(cuts)
	u := newUpRig(t, func(w http.ResponseWriter, _ *http.Request) {
		f := startSSE(w)
		from := 0
		for _, to := range cuts {
			_, _ = io.WriteString(w, raw[from:to])
			f.Flush()
			from = to
			time.Sleep(2 * time.Millisecond) // a separate read for each piece
		}
	})
	c := openai.NewClient(option.WithBaseURL(u.srv.URL+"/v1"), option.WithAPIKey(u.token))
	stream := c.Chat.Completions.NewStreaming(t.Context(), openai.ChatCompletionNewParams{Model: "gpt-4o-mini",
		Messages:      []openai.ChatCompletionMessageParamUnion{openai.UserMessage(question)},
		StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}})
	var acc openai.ChatCompletionAccumulator
	for stream.Next() {
		acc.AddChunk(stream.Current())
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if len(acc.Choices) != 1 || acc.Choices[0].Message.Content != fakeAnswer {
		t.Errorf("the client read %+v, want %q", acc.Choices, fakeAnswer)
	}
	if acc.Usage.PromptTokens != 111 || acc.Usage.CompletionTokens != 22 {
		t.Errorf("the client read usage %d+%d, want 111+22", acc.Usage.PromptTokens, acc.Usage.CompletionTokens)
	}
	call := oneCall(t, u.store, u.runID)
	checkCharged(t, u, call, grader.CallOK, microCost(u.access.Models[0], 111, 22), grader.CostProvider)
	if call.FirstToken <= 0 || call.FirstToken > call.Total {
		t.Errorf("first token at %v of %v", call.FirstToken, call.Total)
	}
}

// A stream is complete at [DONE]: the client's stream ends there even if
// the provider holds its connection open, and the call is ok and charged
// what it used though the client hangs up at once (the SDKs do).
func TestUpstreamStreamEndsAtDone(t *testing.T) {
	u := newUpRig(t, func(w http.ResponseWriter, r *http.Request) {
		writeEvents(w, fakeEvents(nil))
		_, _ = io.WriteString(w, ": keep-alive\n\n")
		<-r.Context().Done()
	})
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	resp, data := u.call(t, ctx, u.token, http.MethodPost, "/v1/chat/completions", upChat(map[string]any{"stream": true}))
	if _, text, done := readStream(t, data); resp.StatusCode != http.StatusOK || !done || text != fakeAnswer {
		t.Fatalf("HTTP %d, streamed %q, done=%v", resp.StatusCode, text, done)
	}
	c := oneCall(t, u.store, u.runID)
	checkCharged(t, u, c, grader.CallOK, microCost(u.access.Models[0], c.PromptTokens, tokencount.Text(fakeAnswer)), grader.CostEstimated)
}

// A stream the provider cut before [DONE] is an upstream error charged
// the whole reservation: the provider may have billed all of it.
func TestUpstreamStreamCut(t *testing.T) {
	for _, tt := range []struct {
		name string
		end  func()
	}{
		{"ends without [DONE]", func() {}},
		{"connection dropped", func() { panic(http.ErrAbortHandler) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			u := newUpRig(t, func(w http.ResponseWriter, _ *http.Request) {
				writeEvents(w, fakeEvents(nil)[:3])
				tt.end()
			})
			resp, data := u.chat(t, u.token, upChat(map[string]any{"stream": true}))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("HTTP %d %s", resp.StatusCode, data)
			}
			if _, text, done := readStream(t, data); done || text == "" {
				t.Errorf("the client got %q, done=%v: want the text so far and no [DONE]", text, done)
			}
			c := oneCall(t, u.store, u.runID)
			if c.ReservedMicro <= 0 {
				t.Fatalf("reserved %d", c.ReservedMicro)
			}
			checkCharged(t, u, c, grader.CallUpstreamError, c.ReservedMicro, grader.CostEstimated)
		})
	}
}

// A client that goes away mid-stream cancels the upstream request, and
// the call is charged its whole reservation: the provider was generating.
func TestUpstreamStreamClientGoesAway(t *testing.T) {
	cancelled := make(chan struct{})
	u := newUpRig(t, func(w http.ResponseWriter, r *http.Request) {
		defer close(cancelled)
		f := startSSE(w)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			_, _ = io.WriteString(w, sseChunk("more "))
			f.Flush()
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
			}
		}
	})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	body, _ := json.Marshal(upChat(map[string]any{"stream": true}))
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, u.srv.URL+"/v1/chat/completions", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+u.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "data:") {
		t.Fatalf("first line %q, %v", line, err)
	}
	cancel()
	resp.Body.Close()
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the upstream request was not cancelled 5s after the client went away")
	}
	c := oneCall(t, u.store, u.runID)
	checkCharged(t, u, c, grader.CallCanceled, c.ReservedMicro, grader.CostEstimated)
}

// A client that goes away while the provider is still working on the
// answer (no header yet: a slow first byte, or a whole JSON answer being
// generated) cancels the upstream request and is charged its whole
// reservation: the provider was generating, and bills it.
func TestUpstreamClientGoesAwayBeforeTheAnswer(t *testing.T) {
	for _, stream := range []bool{false, true} {
		t.Run(fmt.Sprintf("stream=%v", stream), func(t *testing.T) {
			arrived, cancelled := make(chan struct{}), make(chan struct{})
			u := newUpRig(t, func(_ http.ResponseWriter, r *http.Request) {
				close(arrived)
				<-r.Context().Done()
				close(cancelled)
			})
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			errs := make(chan error, 1)
			go func() {
				body, _ := json.Marshal(upChat(map[string]any{"stream": stream}))
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, u.srv.URL+"/v1/chat/completions", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+u.token)
				resp, err := http.DefaultClient.Do(req)
				if err == nil {
					resp.Body.Close()
				}
				errs <- err
			}()
			for _, ch := range []chan struct{}{arrived, cancelled} {
				select {
				case <-ch:
				case <-time.After(5 * time.Second):
					t.Fatal("the upstream request did not arrive, or was not cancelled")
				}
				cancel()
			}
			if err := <-errs; err == nil {
				t.Error("the client's request succeeded after it was cancelled")
			}
			c := oneCall(t, u.store, u.runID)
			if c.ReservedMicro <= 0 {
				t.Fatalf("reserved %d", c.ReservedMicro)
			}
			checkCharged(t, u, c, grader.CallCanceled, c.ReservedMicro, grader.CostEstimated)
		})
	}
}

// A provider's error reaches the client as the gateway's own envelope,
// without the provider's body (which may echo the provider key), with the
// provider's 429 kept retryable; nothing of it is charged, recorded or logged.
func TestUpstreamErrorsAreWrapped(t *testing.T) {
	const leak = `{"error":{"message":"Incorrect API key provided: sk-secret-test. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`
	for _, tt := range []struct {
		name     string
		upstream int
		stream   bool
		want     int
	}{
		{"500", http.StatusInternalServerError, false, http.StatusBadGateway},
		{"500 on a stream", http.StatusInternalServerError, true, http.StatusBadGateway},
		{"429", http.StatusTooManyRequests, false, http.StatusTooManyRequests},
		{"429 on a stream", http.StatusTooManyRequests, true, http.StatusTooManyRequests},
	} {
		t.Run(tt.name, func(t *testing.T) {
			u := newUpRig(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("X-Leak", fakeKey)
				w.WriteHeader(tt.upstream)
				_, _ = io.WriteString(w, leak)
			})
			resp, data := u.chat(t, u.token, upChat(map[string]any{"stream": tt.stream}))
			e := checkError(t, resp, data, tt.want, "upstream_error", false)
			if e.Error.Type != "api_error" {
				t.Errorf("type %q, want api_error", e.Error.Type)
			}
			for name, values := range resp.Header {
				if strings.Contains(strings.Join(values, " "), fakeKey) {
					t.Errorf("header %s carries the provider key", name)
				}
			}
			if bytes.Contains(data, []byte(fakeKey)) || strings.Contains(u.logs.String(), fakeKey) {
				t.Errorf("the provider key reached the client or the log: %s", data)
			}
			c := oneCall(t, u.store, u.runID)
			if c.HTTPStatus != tt.want || bytes.Contains(gunzip(t, c.ResponseGz), []byte(fakeKey)) {
				t.Errorf("recorded HTTP %d, response %q", c.HTTPStatus, gunzip(t, c.ResponseGz))
			}
			checkCharged(t, u, c, grader.CallUpstreamError, 0, grader.CostProvider)
		})
	}
}

func gunzip(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return out
}

// A hostile provider's endless answer is cut at the gateway's cap: the
// client gets an error (or a stream without [DONE]) and the call is an
// upstream error charged its whole reservation.
func TestUpstreamHugeAnswerIsCut(t *testing.T) {
	t.Run("20 MB of JSON", func(t *testing.T) {
		u := newUpRig(t, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"id":"chatcmpl-fake","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"`)
			mb := bytes.Repeat([]byte("a"), 1<<20)
			for range 20 {
				if _, err := w.Write(mb); err != nil {
					return
				}
			}
			_, _ = io.WriteString(w, `"},"finish_reason":"stop"}]}`)
		})
		resp, data := u.chat(t, u.token, upChat(nil))
		checkError(t, resp, data, http.StatusBadGateway, "upstream_error", false)
		if len(data) > 4096 {
			t.Errorf("the client got %d bytes of the answer", len(data))
		}
		c := oneCall(t, u.store, u.runID)
		checkCharged(t, u, c, grader.CallUpstreamError, c.ReservedMicro, grader.CostEstimated)
	})
	t.Run("endless stream", func(t *testing.T) {
		// Chunks of 16 KiB whose text is one word: what is cut is bytes.
		pad := strings.Repeat("x", 16<<10)
		event := strings.Replace(sseChunk("word "), `"id":"chatcmpl-fake"`, `"id":"`+pad+`"`, 1)
		u := newUpRig(t, func(w http.ResponseWriter, r *http.Request) {
			f := startSSE(w)
			for r.Context().Err() == nil {
				if _, err := io.WriteString(w, event); err != nil {
					return
				}
				f.Flush()
			}
		})
		resp, data := u.chat(t, u.token, upChat(map[string]any{"stream": true}))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("HTTP %d", resp.StatusCode)
		}
		if _, _, done := readStream(t, data); done || len(data) > 17<<20 {
			t.Errorf("the client got %d bytes, done=%v: want the stream cut near 16 MiB", len(data), done)
		}
		c := oneCall(t, u.store, u.runID)
		checkCharged(t, u, c, grader.CallUpstreamError, c.ReservedMicro, grader.CostEstimated)
	})
}

// A provider that ignores the output cap and reports more than was
// reserved is charged what it reports: the provider bills it. The
// reservation is then no hard limit: the budget ends overspent, and every
// later call is refused.
func TestUpstreamOverrunsTheCap(t *testing.T) {
	u := newUpRig(t, func(w http.ResponseWriter, _ *http.Request) { writeCompletion(w, fakeAnswer, &[2]int{60, 20_000}) })
	if resp, data := u.chat(t, u.token, upChat(map[string]any{"max_completion_tokens": 10})); resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d %s", resp.StatusCode, data)
	}
	c := oneCall(t, u.store, u.runID)
	actual := microCost(u.access.Models[0], 60, 20_000)
	if c.CompletionTokens != 20_000 || c.ReservedMicro >= actual {
		t.Errorf("recorded %d completion tokens, reserved %d of the actual %d", c.CompletionTokens, c.ReservedMicro, actual)
	}
	checkCharged(t, u, c, grader.CallOK, actual, grader.CostProvider)
	b := runBudget(t, u.store, u.runID)
	if b.SpentMicro <= b.LimitMicro {
		t.Errorf("spent %d of %d: the overrun was expected to overspend the budget", b.SpentMicro, b.LimitMicro)
	}
	if left, err := u.store.LLMBudgetLeft(t.Context(), u.runID, "query"); err != nil || left != 0 {
		t.Errorf("budget left %d, %v; want 0", left, err)
	}
	resp, data := u.chat(t, u.token, upChat(map[string]any{"max_completion_tokens": 10}))
	checkError(t, resp, data, http.StatusTooManyRequests, "budget_exceeded", true)
	if n := len(u.up.requests()); n != 1 {
		t.Errorf("upstream saw %d requests, want 1: the overspent budget refuses the second", n)
	}
}
