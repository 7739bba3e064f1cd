package builtin

import (
	"encoding/json"
	"errors"
	"net/http"
)

// The chunk shapes of openai-python's types/chat/chat_completion_chunk.py.

type chunk struct {
	ID                string        `json:"id"`
	Object            string        `json:"object"`
	Created           int64         `json:"created"`
	Model             string        `json:"model"`
	SystemFingerprint string        `json:"system_fingerprint"`
	Choices           []chunkChoice `json:"choices"`
	// Usage is absent unless the client asked for usage; then it is null
	// on every chunk but the last, as OpenAI sends it.
	Usage json.RawMessage `json:"usage,omitempty"`
}

type chunkChoice struct {
	Index        int       `json:"index"`
	Delta        delta     `json:"delta"`
	Logprobs     *struct{} `json:"logprobs"` // always null
	FinishReason *string   `json:"finish_reason"`
}

type delta struct {
	Role    string  `json:"role,omitempty"`
	Content *string `json:"content,omitempty"`
}

// chunks is the stream of c: the role, one chunk per word (with the space
// after it, so the deltas add up to the whole answer), the finish reason,
// and, when asked for, a usage chunk without choices.
func (c completion) chunks(includeUsage bool) []chunk {
	empty := ""
	out := []chunk{c.chunk(delta{Role: "assistant", Content: &empty}, nil)}
	for i, w := range c.words {
		if i < len(c.words)-1 {
			w += " "
		}
		out = append(out, c.chunk(delta{Content: &w}, nil))
	}
	out = append(out, c.chunk(delta{}, &c.finish))
	if !includeUsage {
		return out
	}
	for i := range out {
		out[i].Usage = json.RawMessage("null")
	}
	last := c.chunk(delta{}, nil)
	last.Choices = []chunkChoice{}
	last.Usage, _ = json.Marshal(c.usage) // ints only: cannot fail
	return append(out, last)
}

func (c completion) chunk(d delta, finish *string) chunk {
	return chunk{
		ID: c.id, Object: "chat.completion.chunk", Created: created, Model: c.model,
		SystemFingerprint: fingerprint,
		Choices:           []chunkChoice{{Delta: d, FinishReason: finish}},
	}
}

// stream sends c as server-sent events, flushing each so the client sees
// words as they come, and stops once the client has gone.
func stream(w http.ResponseWriter, r *http.Request, c completion, includeUsage bool) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	flush := http.NewResponseController(w) // finds the http.Flusher through wrapping writers
	for _, ch := range c.chunks(includeUsage) {
		data, err := marshal(ch)
		if err != nil || !event(r, w, flush, data) {
			return
		}
	}
	event(r, w, flush, []byte("[DONE]"))
}

// event writes one "data:" event and flushes it; false when the request
// is cancelled or the write fails, and the stream should end.
func event(r *http.Request, w http.ResponseWriter, flush *http.ResponseController, data []byte) bool {
	if r.Context().Err() != nil {
		return false
	}
	if _, err := w.Write(append(append([]byte("data: "), data...), "\n\n"...)); err != nil {
		return false
	}
	err := flush.Flush()
	return err == nil || errors.Is(err, http.ErrNotSupported) // unflushed still arrives, only later
}
