package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"takehome/exercises"
	"takehome/gateway"
	"takehome/gateway/tokencount"
	"takehome/grader"
	"takehome/internal/postgres"
)

// benchModel is the chat model the gateway benchmarks call, priced like
// gpt-4o-mini.
var benchModel = exercises.Model{Name: "gpt-4o-mini", Kind: exercises.ModelChat, InputPrice: 150_000, OutputPrice: 600_000, MaxOutput: 256}

// gwPace is how long the paced fake upstream takes before it answers:
// a fast model's time to a short answer (a hosted model's is several
// times longer).
const gwPace = 100 * time.Millisecond

// gwRig is a gateway on a fresh, migrated database, in front of two fake
// upstreams, all served by net/http on loopback: provider "fake" answers
// at once, "paced" after gwPace.
type gwRig struct {
	server, dbName      string
	store               *postgres.Store
	sqlDB               *sql.DB
	grants              *gateway.Grants
	upstream, paced, gw *httptest.Server
	client              *http.Client // the callers' keep-alive client
}

// openGatewayRig creates the database and starts the fake upstream and the
// gateway. close undoes what it did, also after an error.
func openGatewayRig(ctx context.Context, server string) (*gwRig, error) {
	r := &gwRig{server: server, dbName: fmt.Sprintf("takehome_bench_gw_%d", time.Now().UnixNano()), client: benchClient()}
	if err := execSQL(ctx, server, "CREATE DATABASE "+r.dbName); err != nil {
		return r, err
	}
	u, _ := url.Parse(server)
	u.Path = "/" + r.dbName
	db, err := postgres.Open(ctx, u.String(), slog.New(slog.DiscardHandler))
	if err != nil {
		return r, err
	}
	if r.sqlDB, err = db.DB(); err != nil {
		return r, err
	}
	r.sqlDB.SetMaxOpenConns(96) // 64 callers, each holding one connection per statement or transaction
	r.sqlDB.SetMaxIdleConns(96)
	if err := postgres.Migrate(ctx, db); err != nil {
		return r, err
	}
	r.store = postgres.NewStore(db, benchNoQueue{})
	r.grants = &gateway.Grants{Store: r.store}
	r.upstream = httptest.NewServer(http.HandlerFunc(fakeChat))
	r.paced = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		time.Sleep(gwPace)
		fakeChat(w, req)
	}))
	r.gw = httptest.NewServer(gateway.New(gateway.Config{Store: r.store, Log: slog.New(slog.DiscardHandler),
		Providers: []*gateway.Provider{
			{Name: "fake", BaseURL: r.upstream.URL + "/v1", MaxTokensField: "max_tokens", Client: benchClient()},
			{Name: "paced", BaseURL: r.paced.URL + "/v1", MaxTokensField: "max_tokens", Client: benchClient()},
		}}))
	return r, nil
}

// close stops the servers and drops the database.
func (r *gwRig) close(ctx context.Context) {
	for _, s := range []*httptest.Server{r.gw, r.upstream, r.paced} {
		if s != nil {
			s.Close()
		}
	}
	if r.sqlDB != nil {
		_ = r.sqlDB.Close()
	}
	_ = execSQL(ctx, r.server, "DROP DATABASE IF EXISTS "+r.dbName+" WITH (FORCE)")
}

// benchClient keeps a connection alive for each of 64 concurrent callers.
func benchClient() *http.Client {
	return &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 128}}
}

// benchNoQueue accepts submissions without queueing a job.
type benchNoQueue struct{}

func (benchNoQueue) EnqueueGrade(context.Context, *sql.Tx, int64) (int64, error) { return 0, nil }

// newRun makes a version, an invite, a submission and a running run with a
// run budget of limit micro-USD, and grants steps s0..s(n-1) of its
// phase "query" a token each for model m of the provider.
func (r *gwRig) newRun(ctx context.Context, slug string, limit int64, n int, provider string, m exercises.Model) (int64, []string, error) {
	v, err := r.store.CreateVersion(ctx, &exercises.Version{Spec: exercises.Spec{
		Slug: slug, Kind: exercises.KindTest, Title: "Gateway bench", Brief: "# Brief", Image: "python:3.12",
		Phases: []exercises.Phase{{Name: "query", Limits: exercises.DefaultLimits()}}, Headline: "accuracy",
	}, Sets: []exercises.EvalSet{{Name: exercises.SetPublic}, {Name: exercises.SetHidden}}})
	if err != nil {
		return 0, nil, err
	}
	inv := &grader.Invite{ExerciseVersionID: v.ID, Email: "bench@example.com", ExpiresAt: time.Now().Add(time.Hour), Window: time.Hour, Attempts: 3}
	if _, err := r.store.CreateInvite(ctx, inv); err != nil {
		return 0, nil, err
	}
	sub := &grader.Submission{InviteID: inv.ID, Mode: exercises.ModeCheck}
	if _, err := r.store.CreateSubmission(ctx, sub, strings.NewReader("zip"), 3, time.Now()); err != nil {
		return 0, nil, err
	}
	run, err := r.store.StartRun(ctx, sub.ID, "bench", time.Now())
	if err != nil {
		return 0, nil, err
	}
	if err := r.store.SetLLMBudget(ctx, run.ID, "", limit); err != nil {
		return 0, nil, err
	}
	tokens := make([]string, n)
	for i := range tokens {
		g := grader.ModelGrant{RunID: run.ID, Phase: "query", Step: fmt.Sprintf("s%d", i), Provider: provider, Models: []exercises.Model{m}}
		if tokens[i], err = r.grants.Grant(ctx, g, time.Hour); err != nil {
			return 0, nil, err
		}
	}
	return run.ID, tokens, nil
}

// fakeChat answers OpenAI's chat completions at once: a fixed short answer
// whose usage is the prompt counted by the gateway's own tokenizer and a
// completion of exactly the cap it was sent, so a call through the gateway
// settles at exactly what it reserved. Streams are 10 content chunks, a
// usage chunk and [DONE].
func fakeChat(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Stream    bool `json:"stream"`
		MaxTokens int  `json:"max_tokens"`
		Messages  []struct{ Role, Name, Content string }
	}
	if r.URL.Path != "/v1/chat/completions" || json.NewDecoder(r.Body).Decode(&req) != nil {
		http.Error(w, `{"error":{"message":"bad request"}}`, http.StatusBadRequest)
		return
	}
	msgs := make([]tokencount.Message, len(req.Messages))
	for i, m := range req.Messages {
		msgs[i] = tokencount.Message{Role: m.Role, Name: m.Name, Text: m.Content}
	}
	prompt := tokencount.Prompt(msgs)
	usage := map[string]int{"prompt_tokens": prompt, "completion_tokens": req.MaxTokens, "total_tokens": prompt + req.MaxTokens}
	if !req.Stream {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"id": "chatcmpl-bench", "object": "chat.completion", "created": 0, "model": benchModel.Name,
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop", "message": map[string]string{"role": "assistant", "content": "Paris is the capital of France."}}},
			"usage":   usage})
		return
	}
	fakeStream(w, usage)
}

// fakeStream writes the events of a streamed answer, each flushed.
func fakeStream(w http.ResponseWriter, usage map[string]int) {
	w.Header().Set("Content-Type", "text/event-stream")
	flusher, _ := w.(http.Flusher)
	event := func(v any) {
		data, _ := json.Marshal(v)
		_, _ = fmt.Fprintf(w, "data: %s\n\n", data)
		flusher.Flush()
	}
	chunk := func(choices []any, usage any) map[string]any {
		return map[string]any{"id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": 0, "model": benchModel.Name, "choices": choices, "usage": usage}
	}
	words := strings.Fields("Paris is the capital and the largest city of France .")
	for i, word := range words {
		var finish any
		if i == len(words)-1 {
			finish = "stop"
		}
		event(chunk([]any{map[string]any{"index": 0, "delta": map[string]string{"content": word + " "}, "finish_reason": finish}}, nil))
	}
	event(chunk([]any{}, usage))
	_, _ = fmt.Fprint(w, "data: [DONE]\n\n")
	flusher.Flush()
}

// drive makes n calls from one concurrent caller per token.
func (r *gwRig) drive(ctx context.Context, base string, tokens []string, body []byte, n int) ([]sample, error) {
	ss := make([]sample, n)
	var next atomic.Int64
	var g errgroup.Group
	for _, token := range tokens {
		g.Go(func() error {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				var err error
				if ss[i], err = r.call(ctx, base, token, body); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return ss, g.Wait()
}

// call makes one chat call and reads the answer to its end; first is when
// the first event of a stream came.
func (r *gwRig) call(ctx context.Context, base, token string, body []byte) (sample, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/chat/completions", bytes.NewReader(body))
	if err != nil {
		return sample{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	start := time.Now()
	resp, err := r.client.Do(req)
	if err != nil {
		return sample{}, err
	}
	defer resp.Body.Close()
	s := sample{status: resp.StatusCode}
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error struct{ Code string } }
		_ = json.NewDecoder(resp.Body).Decode(&e)
		s.code = e.Error.Code
	}
	br := bufio.NewReader(resp.Body)
	for {
		line, err := br.ReadSlice('\n')
		if s.first == 0 && bytes.HasPrefix(line, []byte("data:")) {
			s.first = time.Since(start)
		}
		if err == io.EOF {
			break
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return s, err
		}
	}
	s.total = time.Since(start)
	return s, nil
}

// thousands writes n with comma separators.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
