package builtin

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
)

// ChatModel is the extractive chat model: it answers with the context
// sentences closest to the question.
const ChatModel = "builtin-extractive-v1"

// EmbedModel is the feature-hashing embedding model (see Embed).
const EmbedModel = "builtin-embed-hash-v1"

// Dimensions is the size of an EmbedModel vector, and the most a request's
// dimensions may ask for.
const Dimensions = 384

// maxBody bounds what the handler reads; the gateway already refuses
// bodies above 4 MiB, this only keeps a direct caller from exhausting memory.
const maxBody = 16 << 20

// Models is the models the handler serves.
func Models() []string { return []string{ChatModel, EmbedModel} }

// route answers one endpoint from the request's body.
type route func(w http.ResponseWriter, r *http.Request, body []byte) *apiError

// handler dispatches from one table of routes.
type handler struct{ routes map[string]route }

// New is the builtin provider's handler. It serves POST
// /v1/chat/completions and POST /v1/embeddings; anything else is a 404 in
// OpenAI's error envelope, as the real API answers an unknown URL.
func New() http.Handler {
	return handler{routes: map[string]route{
		"POST /v1/chat/completions": chatCompletions,
		"POST /v1/embeddings":       embeddings,
	}}
}

func (h handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	endpoint, ok := h.routes[r.Method+" "+r.URL.Path]
	if !ok {
		notFound(r).write(w)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		invalid("", "could not read a request body of at most 16 MiB").write(w)
		return
	}
	if e := endpoint(w, r, body); e != nil {
		e.write(w)
	}
}

// writeJSON sends v as the response. HTML escaping is off because nothing
// renders these bodies as HTML and "<" in an answer should stay readable.
func writeJSON(w http.ResponseWriter, v any) *apiError {
	body, err := marshal(v)
	if err != nil {
		return internal(err)
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
	return nil
}

// marshal encodes v as one line of JSON without a trailing newline.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
