package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"takehome/exercises"
	"takehome/grader"
)

// maxResponseBytes bounds what the gateway reads from a provider for one
// call: a hostile or broken upstream cannot fill its memory.
const maxResponseBytes = 16 << 20

// call is one metered call on its way through the gateway.
type call struct {
	rec      grader.ModelCall
	model    exercises.Model
	prov     *Provider
	resp     *capture
	started  time.Time
	estimate int // the gateway's own count of the prompt
}

// admit reads and checks a request (parse returns its model and whether
// it streams), begins its call record and takes an in-flight slot. A nil
// call means the caller has its answer already; otherwise release must be
// called when the call ends.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, c caller, endpoint, kind string,
	parse func(body []byte) (model string, stream bool, e *Error)) (k *call, body []byte, release func()) {
	body, e := ReadBody(r)
	if e != nil {
		e.Write(w)
		return nil, nil, nil
	}
	name, stream, e := parse(body)
	if e != nil {
		e.Write(w)
		return nil, nil, nil
	}
	m, e := modelOfKind(c.grant.Models, name, kind)
	if e == nil {
		k, e = s.begin(r.Context(), c, endpoint, m, stream, body)
	}
	if e != nil {
		e.Write(w)
		return nil, nil, nil
	}
	release, limit, ok := s.flights.acquire(c.token)
	if !ok {
		s.refuse(r.Context(), w, k, busy(limit), grader.CallRateLimited)
		return nil, nil, nil
	}
	return k, body, release
}

// begin starts the record of a call by c's step to model m, at the
// provider of its grant.
func (s *Server) begin(ctx context.Context, c caller, endpoint string, m exercises.Model, stream bool, body []byte) (*call, *Error) {
	g := c.grant
	prov, e := s.providers.get(ctx, g.Provider)
	if e != nil {
		return nil, e
	}
	req := newCapture()
	req.add(body)
	k := &call{model: m, prov: prov, resp: newCapture(), started: s.now()}
	k.rec = grader.ModelCall{RunID: g.RunID, Phase: g.Phase, Step: g.Step, Hidden: g.Hidden, Endpoint: endpoint,
		Model: m.Name, Provider: g.Provider, Stream: stream, StartedAt: k.started,
		RequestGz: req.gz(), RequestSHA256: req.hash()}
	return k, nil
}

// refuse answers a call the gateway will not make, and records it.
func (s *Server) refuse(ctx context.Context, w http.ResponseWriter, k *call, e *Error, status string) {
	e.Write(w)
	k.resp.add(e.body())
	k.rec.Status, k.rec.HTTPStatus, k.rec.Total = status, e.Status, s.now().Sub(k.started)
	k.rec.ResponseGz, k.rec.ResponseSHA256 = k.resp.gz(), k.resp.hash()
	if err := s.store.RecordLLMRefusal(context.WithoutCancel(ctx), k.rec, s.now()); err != nil {
		s.log.Error("gateway: record a refused call", "run_id", k.rec.RunID, "err", err)
	}
	s.metrics.observe(k.rec)
}

// reserve holds the call's worst-case cost against the budget, or refuses
// the call; false means the caller got its answer.
func (s *Server) reserve(ctx context.Context, w http.ResponseWriter, k *call, worst int64) bool {
	k.rec.ReservedMicro = worst
	id, err := s.store.ReserveLLMCall(ctx, k.rec)
	switch {
	case grader.ErrorCode(err) == grader.CodeQuota:
		s.refuse(ctx, w, k, budgetExceeded(fmt.Sprintf("this call may cost up to %s", usd(worst))), grader.CallBudgetExceeded)
		return false
	case err != nil:
		s.log.Error("gateway: reserve a call", "run_id", k.rec.RunID, "err", err)
		upstreamFailed(0, "the gateway could not reserve the call's cost").Write(w)
		return false
	}
	k.rec.ID = id
	return true
}

// settle charges the call's actual cost and records how it went. It runs
// on a context that survives the caller's going away.
func (s *Server) settle(ctx context.Context, k *call, u usage, status string, httpStatus int) {
	r := &k.rec
	r.Status, r.HTTPStatus, r.Total = status, httpStatus, s.now().Sub(k.started)
	r.PromptTokens, r.CompletionTokens, r.CostSource = u.prompt, u.completion, u.source
	r.CostMicro = cost(k.model, u.prompt, u.completion)
	if u.full {
		r.CostMicro = r.ReservedMicro
	}
	r.ResponseGz, r.ResponseSHA256 = k.resp.gz(), k.resp.hash()
	if u.source == grader.CostProvider && drifts(u.prompt, k.estimate) {
		// A mispriced or misrouted model, or a tokenizer unlike ours: the
		// reservations of this model are off by as much.
		s.log.Warn("gateway: provider and gateway disagree on the prompt's tokens", "provider", k.prov.Name,
			"model", r.Model, "provider_tokens", u.prompt, "gateway_tokens", k.estimate)
	}
	if err := s.store.SettleLLMCall(context.WithoutCancel(ctx), *r, s.now()); err != nil {
		s.log.Error("gateway: settle a call", "run_id", r.RunID, "call", r.ID, "err", err)
	}
	s.metrics.observe(*r)
}

// drifts says two token counts of one prompt differ by more than a quarter.
func drifts(reported, estimate int) bool {
	if estimate == 0 {
		return false
	}
	d := reported - estimate
	return 4*max(d, -d) > estimate
}

// usage is what a call is charged for.
type usage struct {
	prompt, completion int
	source             grader.CostSource
	full               bool // charge the whole reservation (cut mid-generation)
}

// post sends a request body to the provider's endpoint, e.g. "/chat/completions".
func (p *Provider) post(ctx context.Context, endpoint string, body []byte) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.BaseURL+endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if p.Key != "" {
		req.Header.Set("Authorization", "Bearer "+p.Key)
	}
	client := p.Client
	if client == nil {
		client = http.DefaultClient
	}
	return client.Do(req)
}

// readUpstream reads a provider's whole answer, refusing one past
// maxResponseBytes.
func readUpstream(resp *http.Response) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxResponseBytes {
		return nil, fmt.Errorf("the answer is larger than %d bytes", maxResponseBytes)
	}
	return data, nil
}

// reported is the model, answer and usage a provider's JSON answer states.
type reported struct {
	Model   string `json:"model"`
	Choices []struct {
		Message struct {
			Content string `json:"content"`
		} `json:"message"`
	} `json:"choices"`
	Usage *struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
	} `json:"usage"`
}

// text is the answer's text, for the gateway's own count.
func (r reported) text() string {
	var text string
	for _, c := range r.Choices {
		text += c.Message.Content
	}
	return text
}

func parseReported(data []byte) reported {
	var r reported
	_ = json.Unmarshal(data, &r)
	return r
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
