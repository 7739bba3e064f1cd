package gateway

import (
	"net/http"

	"takehome/exercises"
	"takehome/grader"
)

// embeddings serves POST /v1/embeddings: the inputs' tokens are the whole
// cost, so the reservation is the estimate.
func (s *Server) embeddings(w http.ResponseWriter, r *http.Request, c caller) {
	body, e := ReadBody(r)
	if e != nil {
		e.Write(w)
		return
	}
	req, e := ParseEmbeddings(body, names(c.grant.Models))
	if e != nil {
		e.Write(w)
		return
	}
	m, e := modelOfKind(c.grant.Models, req.Model, exercises.ModelEmbedding)
	if e != nil {
		e.Write(w)
		return
	}
	k, e := s.begin(r.Context(), c, "embeddings", m, false, body)
	if e != nil {
		e.Write(w)
		return
	}
	release, limit, ok := s.flights.acquire(c.token)
	if !ok {
		s.refuse(r.Context(), w, k, busy(limit), grader.CallRateLimited)
		return
	}
	defer release()
	tokens := embeddingTokens(body)
	up, err := rewrite(body, map[string]any{"model": k.prov.upstreamModel(m), "user": nil})
	if err != nil {
		invalid("", "", "the request body could not be rewritten: "+err.Error()).Write(w)
		return
	}
	if !s.reserve(r.Context(), w, k, cost(m, reserveTokens(k.prov, tokens), 0)) {
		return
	}
	s.relayJSON(w, r, k, "/embeddings", up, tokens)
}

// reserveTokens is the prompt size a reservation assumes: the gateway's
// own count, with a quarter more for a provider whose tokenizer may count
// differently (the builtin one counts with the same tokenizer), so that a
// settled cost stays within its reservation.
func reserveTokens(p *Provider, counted int) int {
	if p.standIn {
		return counted
	}
	return counted + (counted+3)/4
}
