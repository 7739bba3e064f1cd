package gateway

import (
	"context"
	"fmt"
	"math"
	"net/http"

	"takehome/exercises"
	"takehome/grader"
)

// chat serves POST /v1/chat/completions: checked, capped, reserved,
// forwarded (streamed or not), settled.
func (s *Server) chat(w http.ResponseWriter, r *http.Request, c caller) {
	var req Chat
	k, body, release := s.admit(w, r, c, "chat.completions", exercises.ModelChat, func(body []byte) (string, bool, *Error) {
		var e *Error
		req, e = ParseChat(body, names(c.grant.Models))
		return req.Model, req.Stream, e
	})
	if k == nil {
		return
	}
	defer release()
	m := k.model
	prompt := promptTokens(body)
	worstPrompt := reserveTokens(k.prov, prompt)
	left, err := s.budgetLeft(r.Context(), c.grant, req.MaxOutput)
	if err != nil {
		s.log.Error("gateway: budget left", "run_id", c.grant.RunID, "err", err)
		upstreamFailed(0, "the gateway could not read the budget").Write(w)
		return
	}
	out, capped, e := outputCap(req.MaxOutput, m, worstPrompt, left)
	if e != nil {
		s.refuse(r.Context(), w, k, e, grader.CallBudgetExceeded)
		return
	}
	k.rec.Capped, k.estimate = capped, prompt
	up, err := rewrite(body, chatChanges(k.prov, m, c.grant.RunID, req, out))
	if err != nil {
		invalid("", "", "the request body could not be rewritten: "+err.Error()).Write(w)
		return
	}
	if !s.reserve(r.Context(), w, k, cost(m, worstPrompt, out)) {
		return
	}
	if req.Stream {
		s.relayStream(w, r, k, up, req.IncludeUsage, prompt, out)
		return
	}
	s.relayJSON(w, r, k, "/chat/completions", up, prompt)
}

// chatChanges are the fields the gateway sets before a chat call goes
// upstream: the provider's model name, the output cap in the field the
// provider reads, usage in streams (always asked for: it is what is
// charged), and a run pseudonym as user, never the caller's.
func chatChanges(p *Provider, m exercises.Model, runID int64, req Chat, out int) map[string]any {
	set := map[string]any{"model": p.upstreamModel(m), "user": fmt.Sprintf("takehome-run-%d", runID),
		"max_tokens": nil, "max_completion_tokens": nil}
	field := p.MaxTokensField
	if field == "" {
		field = "max_completion_tokens" // OpenAI's name, the documented default
	}
	set[field] = out
	if req.Stream {
		set["stream_options"] = map[string]bool{"include_usage": true}
	}
	return set
}

// modelOfKind finds the requested model and checks it is of the endpoint's kind.
func modelOfKind(models []exercises.Model, name, kind string) (exercises.Model, *Error) {
	for _, m := range models {
		if m.Name == name && m.Kind == kind {
			return m, nil
		}
		if m.Name == name {
			return m, invalid("model", "model_not_supported", fmt.Sprintf("%s is a%s model, not a %s model", name, article(m.Kind), kind))
		}
	}
	return exercises.Model{}, invalid("model", "model_not_found", "unknown model "+name)
}

func article(kind string) string {
	if kind == exercises.ModelEmbedding {
		return "n " + kind
	}
	return " " + kind
}

func names(models []exercises.Model) []string {
	out := make([]string, len(models))
	for i, m := range models {
		out[i] = m.Name
	}
	return out
}

// budgetLeft is what the budget can still pay, read only when the gateway
// must choose the output cap; a call with its own cap is checked by the
// reservation alone.
func (s *Server) budgetLeft(ctx context.Context, g grader.ModelGrant, asked *int) (int64, error) {
	if asked != nil {
		return math.MaxInt64, nil
	}
	return s.store.LLMBudgetLeft(ctx, g.RunID, g.Phase)
}
