package gateway

import (
	"io"
	"net/http"
	"sync"

	"takehome/exercises"
	"takehome/gateway/builtin"
	"takehome/grader"
)

// BuiltinName names the offline provider every install has.
const BuiltinName = grader.BuiltinProvider

// Provider is an upstream that speaks OpenAI's API: the builtin offline
// one, or one an admin configured (OpenAI, Azure, vLLM, Ollama, a
// llama.cpp server, OpenRouter).
type Provider struct {
	Name    string
	BaseURL string // up to and including /v1, e.g. https://api.openai.com/v1
	Key     string // sent upstream only; never logged, never in a sandbox
	// External says prompts leave the platform.
	External bool
	// MaxTokensField is the output cap the provider accepts:
	// max_completion_tokens (OpenAI's current name, the default) or
	// max_tokens (many OpenAI-compatible servers).
	MaxTokensField string
	Client         *http.Client
	// standIn maps every model to the builtin model of its kind.
	standIn bool
}

// String never shows the key.
func (p *Provider) String() string { return p.Name + " (" + p.BaseURL + ")" }

// Builtin is the offline, deterministic provider: it stands in for every
// model of a version, by kind, so a phase that may not send prompts out
// still runs.
func Builtin() *Provider {
	return &Provider{
		Name: BuiltinName, BaseURL: "http://builtin/v1", MaxTokensField: "max_completion_tokens",
		Client: &http.Client{Transport: handlerTransport{builtin.New()}}, standIn: true,
	}
}

// upstreamModel is the name the provider knows a model by.
func (p *Provider) upstreamModel(m exercises.Model) string {
	switch {
	case !p.standIn:
		return m.UpstreamName()
	case m.Kind == exercises.ModelEmbedding:
		return builtin.EmbedModel
	}
	return builtin.ChatModel
}

// handlerTransport serves requests with an in-process handler, streaming:
// the response is returned as soon as the handler writes its header, and
// its body is read as the handler writes it.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	pr, pw := io.Pipe()
	w := &pipeWriter{header: http.Header{}, body: pw, ready: make(chan struct{})}
	go func() {
		defer func() {
			w.start(http.StatusOK)
			_ = pw.Close() // the reader sees EOF; a pipe's Close cannot fail
		}()
		t.h.ServeHTTP(w, r)
	}()
	select {
	case <-w.ready:
	case <-r.Context().Done():
		pr.CloseWithError(r.Context().Err())
		return nil, r.Context().Err()
	}
	go func() { // the handler stops writing once the caller is gone
		<-r.Context().Done()
		pr.CloseWithError(r.Context().Err())
	}()
	return &http.Response{StatusCode: w.status, Header: w.header, Body: pr, Request: r, ProtoMajor: 1, ProtoMinor: 1}, nil
}

// pipeWriter is the handler's side of handlerTransport.
type pipeWriter struct {
	header http.Header
	body   *io.PipeWriter
	status int
	once   sync.Once
	ready  chan struct{}
}

func (w *pipeWriter) Header() http.Header { return w.header }

func (w *pipeWriter) WriteHeader(status int) { w.start(status) }

func (w *pipeWriter) start(status int) {
	w.once.Do(func() {
		w.status = status
		w.header = w.header.Clone()
		close(w.ready)
	})
}

func (w *pipeWriter) Write(b []byte) (int, error) {
	w.start(http.StatusOK)
	return w.body.Write(b)
}

func (w *pipeWriter) Flush() {}

var _ http.Flusher = (*pipeWriter)(nil)
