package gateway

import (
	"net/http"

	"takehome/exercises"
)

// embeddings serves POST /v1/embeddings: the inputs' tokens are the whole
// cost, so the reservation is the estimate.
func (s *Server) embeddings(w http.ResponseWriter, r *http.Request, c caller) {
	k, body, release := s.admit(w, r, c, "embeddings", exercises.ModelEmbedding, func(body []byte) (string, bool, *Error) {
		req, e := ParseEmbeddings(body, names(c.grant.Models))
		return req.Model, false, e
	})
	if k == nil {
		return
	}
	defer release()
	m := k.model
	tokens := embeddingTokens(body)
	k.estimate = tokens
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
