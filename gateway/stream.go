package gateway

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"takehome/gateway/tokencount"
	"takehome/grader"
)

// maxEventBytes bounds one SSE line from a provider.
const maxEventBytes = 1 << 20

var newline = []byte("\n")

// chunk is what the gateway reads of a streamed chat chunk.
type chunk struct {
	Model   string `json:"model"`
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

// relayStream makes a streamed call and passes each event on as it comes,
// reading the events only to time the first token, count the text and pick
// up the usage chunk (always asked for upstream; passed on only when the
// caller asked for it).
func (s *Server) relayStream(w http.ResponseWriter, r *http.Request, k *call, body []byte, wantUsage bool, prompt, maxOut int) {
	resp, err := k.prov.post(r.Context(), "/chat/completions", body)
	if err != nil {
		s.fail(w, r, k, 0, err.Error(), usage{source: grader.CostEstimated, full: r.Context().Err() != nil})
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		s.fail(w, r, k, resp.StatusCode, "it answered HTTP "+resp.Status, usage{source: grader.CostProvider})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	st := streamState{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), maxEventBytes)
	read, settled := 0, false
	for sc.Scan() && read <= maxResponseBytes {
		line := sc.Bytes()
		read += len(line) + 1
		if !st.pass(line, wantUsage) {
			continue
		}
		if st.text.Len() > 0 && k.rec.FirstToken == 0 {
			k.rec.FirstToken = s.now().Sub(k.started)
		}
		k.resp.add(line)
		k.resp.add(newline)
		if st.done && !settled { // settled before the caller learns the stream is over
			k.rec.ServedModel = st.model
			s.settle(r.Context(), k, st.charge(prompt), st.status(r), http.StatusOK)
			settled = true
		}
		_, _ = w.Write(line)
		_, _ = w.Write(newline)
		if len(line) == 0 && flusher != nil {
			flusher.Flush()
		}
		if st.done && len(line) == 0 {
			break // complete: what the provider sends after [DONE] is no one's
		}
		if st.text.Len() > overrunBytes(maxOut) {
			st.overrun = true // a provider that ignores the cap would spend past the reservation
			s.log.Warn("gateway: provider ignored the output cap; stream cut", "run_id", k.rec.RunID, "provider", k.prov.Name, "cap", maxOut)
			break
		}
	}
	if !settled {
		k.rec.ServedModel = st.model
		s.settle(r.Context(), k, st.charge(prompt), st.status(r), http.StatusOK)
	}
}

// streamState is what the relay learned of a stream so far.
type streamState struct {
	text      strings.Builder
	model     string
	reported  *chunk
	done      bool
	skipBlank bool // the event was dropped: drop its blank line too
	overrun   bool // cut: far more text than the output cap allows
}

// overrunBytes is how much streamed text an output cap of n tokens can
// explain: 8 bytes a token is twice the longest average of any tokenizer.
func overrunBytes(n int) int { return 8*n + 256 }

// pass reads one SSE line and says whether to forward it.
func (st *streamState) pass(line []byte, wantUsage bool) bool {
	if len(line) == 0 && st.skipBlank {
		st.skipBlank = false
		return false
	}
	data, ok := bytes.CutPrefix(line, []byte("data:"))
	if !ok {
		return true // a comment, an event name or a blank line
	}
	data = bytes.TrimSpace(data)
	if string(data) == "[DONE]" {
		st.done = true
		return true
	}
	var c chunk
	if json.Unmarshal(data, &c) != nil {
		return true
	}
	if c.Model != "" {
		st.model = c.Model
	}
	for _, ch := range c.Choices {
		st.text.WriteString(ch.Delta.Content)
	}
	if c.Usage != nil {
		st.reported = &c
		if len(c.Choices) == 0 && !wantUsage {
			st.skipBlank = true
			return false
		}
	}
	return true
}

// charge is what a stream costs: the usage the provider reported, else the
// gateway's count of the prompt and the text it saw, or the whole
// reservation when the stream was cut (by the provider, the client or the
// gateway's cap) before [DONE], while the provider was generating.
func (st *streamState) charge(prompt int) usage {
	if st.reported != nil {
		return usage{prompt: st.reported.Usage.PromptTokens, completion: st.reported.Usage.CompletionTokens, source: grader.CostProvider}
	}
	return usage{prompt: prompt, completion: tokencount.Text(st.text.String()), source: grader.CostEstimated, full: !st.done}
}

// status is how the stream went: complete once [DONE] came, even if the
// client hung up right after it (the official SDKs close at [DONE]).
func (st *streamState) status(r *http.Request) string {
	switch {
	case st.overrun:
		return grader.CallUpstreamError
	case st.done:
		return grader.CallOK
	case r.Context().Err() != nil:
		return grader.CallCanceled
	}
	return grader.CallUpstreamError
}
