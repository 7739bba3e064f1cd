package gateway_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"takehome/gateway"
	"takehome/grader"
	"takehome/internal/gatewaytest"
	"takehome/internal/pgtest"
	"takehome/internal/postgres"
)

// answerFake is a fake upstream that answers every chat call at once.
func answerFake(w http.ResponseWriter, _ *http.Request) {
	writeCompletion(w, fakeAnswer, &[2]int{50, 12})
}

// checkUntouched checks that nothing reached the provider and nothing was
// reserved or spent.
func checkUntouched(t *testing.T, u *upRig) {
	t.Helper()
	if n := len(u.up.requests()); n != 0 {
		t.Errorf("upstream saw %d requests, want 0", n)
	}
	if b := runBudget(t, u.store, u.runID); b.SpentMicro != 0 || b.ReservedMicro != 0 {
		t.Errorf("budget spent %d, reserved %d; want nothing", b.SpentMicro, b.ReservedMicro)
	}
}

// Only a live token of a step gets in: none, a malformed one, an unknown,
// a revoked and an expired one are all 401 invalid_api_key.
func TestRefuseBadTokens(t *testing.T) {
	u := newUpRig(t, answerFake)
	revoked := u.grant(t, "revoked", u.access)
	if resp, data := u.call(t, t.Context(), revoked, http.MethodGet, "/v1/models", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("a fresh token: HTTP %d %s", resp.StatusCode, data)
	}
	if err := u.grants.Revoke(t.Context(), revoked); err != nil {
		t.Fatal(err)
	}
	past := &gateway.Grants{Store: u.store, Now: func() time.Time { return time.Now().Add(-2 * time.Hour) }}
	expired, err := past.Grant(t.Context(), grader.ModelGrant{RunID: u.runID, Phase: "query", Step: "expired",
		Provider: "fake", Models: u.access.Models}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, auth string }{
		{"no header", ""},
		{"no token", "Bearer "},
		{"not a bearer", "Basic " + u.token},
		{"unknown", "Bearer " + gateway.TokenPrefix + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
		{"the provider's key", "Bearer " + fakeKey},
		{"revoked", "Bearer " + revoked},
		{"expired", "Bearer " + expired},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"/v1/models", "/v1/chat/completions", "/v1/embeddings"} {
				method := map[bool]string{true: http.MethodGet, false: http.MethodPost}[path == "/v1/models"]
				req, _ := http.NewRequestWithContext(t.Context(), method, u.srv.URL+path, strings.NewReader(`{}`))
				if tt.auth != "" {
					req.Header.Set("Authorization", tt.auth)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				var e errEnvelope
				_ = json.NewDecoder(resp.Body).Decode(&e)
				resp.Body.Close()
				if resp.StatusCode != http.StatusUnauthorized || e.Error.Code == nil || *e.Error.Code != "invalid_api_key" {
					t.Errorf("%s %s: HTTP %d %+v, want 401 invalid_api_key", method, path, resp.StatusCode, e.Error)
				}
			}
		})
	}
	checkUntouched(t, u)
	if calls := settledCalls(t, u.store, u.runID, false); len(calls) != 0 {
		t.Errorf("refused keys recorded %d calls", len(calls))
	}
}

// A token works for its own run only: whatever the request says, its calls
// are charged to and recorded on the token's run, under its pseudonym.
func TestTokenIsBoundToItsRun(t *testing.T) {
	u := newUpRig(t, answerFake)
	other := gatewaytest.NewRun(t, u.store)
	if err := u.grants.Budget(t.Context(), other, u.access); err != nil {
		t.Fatal(err)
	}
	otherToken, err := u.grants.Grant(t.Context(), grader.ModelGrant{RunID: other, Phase: "query", Step: "query",
		Provider: "fake", Models: u.access.Models}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if resp, data := u.chat(t, u.token, upChat(nil)); resp.StatusCode != http.StatusOK {
		t.Fatalf("own token: HTTP %d %s", resp.StatusCode, data)
	}
	mine := u.up.requests()[0].Body["user"]
	// The other run's token, naming this run every way a client could.
	claim := upChat(map[string]any{"user": mine})
	resp, data := u.call(t, t.Context(), otherToken, http.MethodPost, fmt.Sprintf("/v1/chat/completions?run_id=%d", u.runID), claim)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("other token: HTTP %d %s", resp.StatusCode, data)
	}
	if theirs := u.up.requests()[1].Body["user"]; theirs == mine || theirs == nil {
		t.Errorf("the other run's call went upstream as user %v, this run's is %v", theirs, mine)
	}
	for _, run := range []int64{u.runID, other} {
		calls := settledCalls(t, u.store, run, false)
		if len(calls) != 1 || calls[0].RunID != run || calls[0].Status != grader.CallOK {
			t.Errorf("run %d recorded %+v, want its own one call", run, calls)
			continue
		}
		if b := runBudget(t, u.store, run); b.SpentMicro != calls[0].CostMicro {
			t.Errorf("run %d spent %d, its call cost %d", run, b.SpentMicro, calls[0].CostMicro)
		}
	}
}

// A body past the gateway's 4 MiB is refused with 413 before anything is
// parsed, reserved or sent.
func TestRefuseHugeBody(t *testing.T) {
	u := newUpRig(t, answerFake)
	huge := `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"` + strings.Repeat("a", 10<<20) + `"}]}`
	resp, data := u.call(t, t.Context(), u.token, http.MethodPost, "/v1/chat/completions", huge)
	checkError(t, resp, data, http.StatusRequestEntityTooLarge, "request_too_large", true)
	checkUntouched(t, u)
}

// Requests that could make the provider reach out, keep data or answer
// more than once are refused with 400 and never sent.
func TestRefuseRequestsThatReachOut(t *testing.T) {
	u := newUpRig(t, answerFake)
	image := func(url string) map[string]any {
		return upChat(map[string]any{"messages": []any{map[string]any{"role": "user", "content": []any{
			map[string]any{"type": "text", "text": "What is in this picture?"},
			map[string]any{"type": "image_url", "image_url": map[string]any{"url": url}}}}}})
	}
	fn := map[string]any{"type": "function", "function": map[string]any{"name": "lookup", "parameters": map[string]any{"type": "object"}}}
	for _, tt := range []struct {
		name  string
		path  string
		body  map[string]any
		param string
	}{
		{"web_search_options", "chat/completions", upChat(map[string]any{"web_search_options": map[string]any{}}), "web_search_options"},
		{"a web search tool", "chat/completions", upChat(map[string]any{"tools": []any{map[string]any{"type": "web_search_preview"}}}), "tools[0].type"},
		{"a file search tool after a function", "chat/completions", upChat(map[string]any{"tools": []any{fn, map[string]any{"type": "file_search"}}}), "tools[1].type"},
		{"an http image", "chat/completions", image("http://169.254.169.254/latest/meta-data/"), "messages[0].content[1].image_url"},
		{"an https image", "chat/completions", image("https://example.com/cat.png"), "messages[0].content[1].image_url"},
		{"a file part", "chat/completions", upChat(map[string]any{"messages": []any{map[string]any{"role": "user",
			"content": []any{map[string]any{"type": "file", "file": map[string]any{"file_id": "file-abc"}}}}}}), "messages[0].content[0].type"},
		{"n: 2", "chat/completions", upChat(map[string]any{"n": 2}), "n"},
		{"store: true", "chat/completions", upChat(map[string]any{"store": true}), "store"},
		{"an unknown field", "chat/completions", upChat(map[string]any{"metadata": map[string]any{"run_id": "1"}}), "metadata"},
		{"an unknown embeddings field", "embeddings", map[string]any{"model": "text-embedding-3-small", "input": "x", "store": true}, "store"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, data := u.call(t, t.Context(), u.token, http.MethodPost, "/v1/"+tt.path, tt.body)
			e := checkError(t, resp, data, http.StatusBadRequest, "", true)
			if e.Error.Type != "invalid_request_error" || e.Error.Param == nil || *e.Error.Param != tt.param {
				t.Errorf("type %q param %v, want invalid_request_error about %s", e.Error.Type, e.Error.Param, tt.param)
			}
		})
	}
	checkUntouched(t, u)
}

// A model the run does not have is 404 model_not_found, as OpenAI answers;
// a model of the other kind is 400.
func TestRefuseWrongModels(t *testing.T) {
	u := newUpRig(t, answerFake)
	for _, tt := range []struct {
		name, path string
		body       map[string]any
		status     int
		code       string
	}{
		{"unknown chat model", "chat/completions", upChat(map[string]any{"model": "gpt-5"}), http.StatusNotFound, "model_not_found"},
		{"the upstream's name", "chat/completions", upChat(map[string]any{"model": "gpt-4o-mini-2024-07-18"}), http.StatusNotFound, "model_not_found"},
		{"unknown embedding model", "embeddings", map[string]any{"model": "text-embedding-3-large", "input": "x"}, http.StatusNotFound, "model_not_found"},
		{"chat with an embedding model", "chat/completions", upChat(map[string]any{"model": "text-embedding-3-small"}), http.StatusBadRequest, "model_not_supported"},
		{"embeddings with a chat model", "embeddings", map[string]any{"model": "gpt-4o-mini", "input": "x"}, http.StatusBadRequest, "model_not_supported"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, data := u.call(t, t.Context(), u.token, http.MethodPost, "/v1/"+tt.path, tt.body)
			checkError(t, resp, data, tt.status, tt.code, true)
		})
	}
	checkUntouched(t, u)
}

// A step has at most 8 calls in flight: the 9th is refused as retryable
// rate_limit_exceeded while another step's token is still served.
func TestRefuseNinthCallInFlight(t *testing.T) {
	release := make(chan struct{})
	held := make(chan struct{}, gateway.PerStepInFlight)
	u := newUpRig(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(readContent(r), "hold") {
			held <- struct{}{}
			select {
			case <-release:
			case <-r.Context().Done():
				return
			}
		}
		answerFake(w, r)
	})
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	hold, _ := json.Marshal(upChat(map[string]any{"messages": []any{map[string]any{"role": "user", "content": "hold"}}}))
	var wg sync.WaitGroup
	statuses := make(chan int, gateway.PerStepInFlight)
	for range gateway.PerStepInFlight {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodPost, u.srv.URL+"/v1/chat/completions", bytes.NewReader(hold))
			req.Header.Set("Authorization", "Bearer "+u.token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				statuses <- 0
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		})
	}
	for range gateway.PerStepInFlight {
		select {
		case <-held:
		case <-time.After(5 * time.Second):
			t.Fatal("the first 8 calls did not all reach upstream")
		}
	}
	resp, data := u.chat(t, u.token, upChat(nil))
	e := checkError(t, resp, data, http.StatusTooManyRequests, "rate_limit_exceeded", false)
	if e.Error.Type == "insufficient_quota" {
		t.Errorf("a busy step looks like an exhausted budget: %+v", e.Error)
	}
	other := u.grant(t, "other", u.access)
	if resp, data := u.chat(t, other, upChat(nil)); resp.StatusCode != http.StatusOK {
		t.Errorf("another step's call while this one is busy: HTTP %d %s", resp.StatusCode, data)
	}
	close(release)
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != http.StatusOK {
			t.Errorf("a held call ended HTTP %d", s)
		}
	}
	calls := settledCalls(t, u.store, u.runID, false)
	count := map[string]int{}
	for _, c := range calls {
		count[c.Status]++
		if c.Status == grader.CallRateLimited && (c.CostMicro != 0 || c.ReservedMicro != 0 || c.HTTPStatus != http.StatusTooManyRequests) {
			t.Errorf("the refused call was recorded %+v", c)
		}
	}
	if count[grader.CallOK] != 9 || count[grader.CallRateLimited] != 1 || len(calls) != 10 {
		t.Errorf("recorded %v, want 9 ok and 1 rate_limited", count)
	}
}

// readContent is a chat request's messages as the upstream got them.
func readContent(r *http.Request) string {
	var req struct{ Messages json.RawMessage }
	_ = json.NewDecoder(r.Body).Decode(&req)
	return string(req.Messages)
}

// Any other route is a 404 in OpenAI's envelope, token or not.
func TestUnknownRoutes(t *testing.T) {
	u := newUpRig(t, answerFake)
	for _, tt := range []struct{ method, path string }{
		{http.MethodGet, "/"},
		{http.MethodGet, "/v1/chat/completions"},
		{http.MethodPost, "/v1/completions"},
		{http.MethodPost, "/v1/responses"},
		{http.MethodPost, "/v1/messages"},
		{http.MethodGet, "/v1/models/gpt-4o-mini"},
		{http.MethodPost, "/v1/files"},
		{http.MethodPost, "/v2/chat/completions"},
	} {
		for _, token := range []string{u.token, ""} {
			resp, data := u.call(t, t.Context(), token, tt.method, tt.path, upChat(nil))
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s %s (token=%v): HTTP %d %s, want 404", tt.method, tt.path, token != "", resp.StatusCode, data)
				continue
			}
			checkError(t, resp, data, http.StatusNotFound, "not_found", true)
		}
	}
	checkUntouched(t, u)
}

// raceStore is a store on a database of its own, with a pool wide enough
// for 64 callers to race.
func raceStore(t *testing.T) *postgres.Store {
	t.Helper()
	db, err := postgres.Open(context.Background(), pgtest.URL(t), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(80)
	sqlDB.SetMaxIdleConns(80)
	t.Cleanup(func() { sqlDB.Close() })
	return postgres.NewStore(db, gatewaytest.NoQueue{})
}

// 64 steps making 5 calls each at once against a budget worth exactly N
// calls: exactly N are served, the rest refused as budget_exceeded, and
// the budget is never overspent.
func TestBudgetHoldsUnderConcurrentCalls(t *testing.T) {
	const steps, each, n = 64, 5, 100
	store := raceStore(t)
	access := testAccess()
	r := &rig{store: store, grants: &gateway.Grants{Store: store}, runID: gatewaytest.NewRun(t, store)}
	if err := r.grants.Budget(t.Context(), r.runID, access); err != nil {
		t.Fatal(err)
	}
	tokens := make([]string, steps)
	for i := range tokens {
		tokens[i] = r.grant(t, fmt.Sprintf("step-%d", i), access)
	}
	srv := httptest.NewServer(gateway.New(gateway.Config{Store: store}))
	t.Cleanup(srv.Close)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: steps}}
	post := func(token, body string) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/chat/completions", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			t.Error(err)
			return 0
		}
		defer resp.Body.Close()
		var e errEnvelope
		_ = json.NewDecoder(resp.Body).Decode(&e)
		if resp.StatusCode == http.StatusTooManyRequests && (e.Error.Code == nil || *e.Error.Code != "budget_exceeded") {
			return -1
		}
		return resp.StatusCode
	}

	// One call, uncapped, says what the prompt and the answer weigh; capped
	// at the answer's length, each later call reserves what it then costs.
	probe, _ := json.Marshal(upChat(nil))
	if s := post(tokens[0], string(probe)); s != http.StatusOK {
		t.Fatalf("probe: HTTP %d", s)
	}
	first := settledCalls(t, store, r.runID, false)[0]
	if first.Status != grader.CallOK || first.CompletionTokens == 0 {
		t.Fatalf("probe recorded %+v", first)
	}
	price := microCost(access.Models[0], first.PromptTokens, first.CompletionTokens)
	limit := first.CostMicro + n*price + price - 1
	if err := store.SetLLMBudget(t.Context(), r.runID, "", limit); err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(upChat(map[string]any{"max_completion_tokens": first.CompletionTokens}))

	var mu sync.Mutex
	got := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, token := range tokens {
		wg.Go(func() {
			<-start
			for range each {
				s := post(token, string(body))
				mu.Lock()
				got[s]++
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()
	if got[http.StatusOK] != n || got[http.StatusTooManyRequests] != steps*each-n || len(got) != 2 {
		t.Errorf("answers by status %v (-1: a 429 other than budget_exceeded), want %d ok and %d budget_exceeded", got, n, steps*each-n)
	}
	b := runBudget(t, store, r.runID)
	if b.SpentMicro > b.LimitMicro || b.SpentMicro != first.CostMicro+n*price || b.ReservedMicro != 0 {
		t.Errorf("spent %d (want %d), reserved %d, of %d", b.SpentMicro, first.CostMicro+n*price, b.ReservedMicro, b.LimitMicro)
	}
	count := map[string]int{}
	for _, c := range settledCalls(t, store, r.runID, false) {
		count[c.Status]++
		if c.Status == grader.CallOK && c.ID != first.ID && (c.CostMicro != price || c.ReservedMicro != price) {
			t.Errorf("call %d reserved %d and cost %d, want %d", c.ID, c.ReservedMicro, c.CostMicro, price)
		}
	}
	if count[grader.CallOK] != n+1 || count[grader.CallBudgetExceeded] != steps*each-n {
		t.Errorf("recorded %v, want %d ok and %d budget_exceeded", count, n+1, steps*each-n)
	}
}
