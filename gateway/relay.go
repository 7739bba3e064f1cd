package gateway

import (
	"net/http"

	"takehome/gateway/tokencount"
	"takehome/grader"
)

// relayJSON makes a non-streamed call and passes its answer on.
func (s *Server) relayJSON(w http.ResponseWriter, r *http.Request, k *call, endpoint string, body []byte, prompt int) {
	resp, err := k.prov.post(r.Context(), endpoint, body)
	if err != nil {
		// Never reached it: nothing to pay; cancelled while it worked on
		// the answer: it may bill all of it.
		s.fail(w, r, k, 0, err.Error(), usage{source: grader.CostEstimated, full: r.Context().Err() != nil})
		return
	}
	defer resp.Body.Close()
	data, err := readUpstream(resp)
	if err != nil {
		// It answered and was cut: it may have billed the whole call.
		s.fail(w, r, k, 0, err.Error(), usage{source: grader.CostEstimated, full: true})
		return
	}
	if resp.StatusCode != http.StatusOK {
		s.fail(w, r, k, resp.StatusCode, "it answered HTTP "+resp.Status, usage{source: grader.CostProvider})
		return
	}
	rep := parseReported(data)
	k.rec.ServedModel = rep.Model
	k.rec.FirstToken = s.now().Sub(k.started)
	u := usage{prompt: prompt, completion: tokencount.Text(rep.text()), source: grader.CostEstimated}
	if rep.Usage != nil {
		u = usage{prompt: rep.Usage.PromptTokens, completion: rep.Usage.CompletionTokens, source: grader.CostProvider}
	}
	// Settled before it is answered: a caller that has its answer finds
	// the call in the ledger.
	k.resp.add(data)
	s.settle(r.Context(), k, u, grader.CallOK, http.StatusOK)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
}

// fail answers a call the provider failed and settles it.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, k *call, upstreamStatus int, why string, u usage) {
	status := grader.CallUpstreamError
	if r.Context().Err() != nil {
		status = grader.CallCanceled
	}
	e := upstreamFailed(upstreamStatus, why)
	e.Write(w)
	k.resp.add(e.body())
	s.log.Warn("gateway: provider failed", "run_id", k.rec.RunID, "provider", k.prov.Name, "why", why)
	s.settle(r.Context(), k, u, status, e.Status)
}
