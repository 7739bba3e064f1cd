package gateway

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
)

// Request limits, checked before any upstream call.
const (
	MaxBodyBytes       = 4 << 20  // a request body
	maxEmbeddingInputs = 2048     // OpenAI's own cap on an input array
	drainBytes         = 64 << 20 // read past the cap so a refused client sees the refusal
)

// ReadBody reads a request body of at most MaxBodyBytes.
func ReadBody(r *http.Request) ([]byte, *Error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		return nil, invalid("", "", "could not read the request body: "+err.Error())
	}
	if len(body) > MaxBodyBytes {
		// Read on (up to a bound) before answering: a server that closes
		// with the request unread resets the connection, and the client
		// sees a reset instead of this answer.
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, drainBytes))
		e := invalid("", "request_too_large", fmt.Sprintf("the request body is larger than %d bytes", MaxBodyBytes))
		e.Status = http.StatusRequestEntityTooLarge
		return nil, e
	}
	return body, nil
}

// Chat is what the gateway needs to know of a chat completion request.
type Chat struct {
	Model        string
	Stream       bool
	IncludeUsage bool
	MaxOutput    *int // max_completion_tokens, else max_tokens; nil when unset
}

// chatFields are the request fields a chat completion may carry; any other
// is refused, so that nothing the gateway does not understand (a
// server-side tool, a remote file) reaches a provider.
var chatFields = []string{
	"model", "messages", "max_tokens", "max_completion_tokens", "temperature", "top_p", "n", "stop",
	"seed", "stream", "stream_options", "response_format", "presence_penalty", "frequency_penalty",
	"logit_bias", "logprobs", "top_logprobs", "tools", "tool_choice", "parallel_tool_calls", "user", "store",
}

var roles = []string{"developer", "system", "user", "assistant", "tool"}

// ParseChat checks a chat completion request against the run's models:
// known fields only, an allowed model, one choice, messages of known roles
// whose parts carry no remote URL, client-side function tools only, and
// nothing stored by the provider.
func ParseChat(body []byte, models []string) (Chat, *Error) {
	fields, e := object(body, chatFields)
	if e != nil {
		return Chat{}, e
	}
	var c Chat
	if e := decodeModel(fields, models, &c.Model); e != nil {
		return Chat{}, e
	}
	if e := checkMessages(fields["messages"]); e != nil {
		return Chat{}, e
	}
	if e := checkTools(fields["tools"]); e != nil {
		return Chat{}, e
	}
	var n int
	if e := decode(fields, "n", &n); e != nil {
		return Chat{}, e
	}
	if n > 1 {
		return Chat{}, invalid("n", "", "n must be 1: each call answers once")
	}
	var store bool
	if e := decode(fields, "store", &store); e != nil {
		return Chat{}, e
	}
	if store {
		return Chat{}, invalid("store", "", "store must be false: the provider keeps nothing of a run")
	}
	var opts struct {
		IncludeUsage bool `json:"include_usage"`
	}
	for name, into := range map[string]any{"stream": &c.Stream, "stream_options": &opts} {
		if e := decode(fields, name, into); e != nil {
			return Chat{}, e
		}
	}
	c.IncludeUsage = opts.IncludeUsage
	for _, name := range []string{"max_tokens", "max_completion_tokens"} { // the second wins
		var v *int
		if e := decode(fields, name, &v); e != nil {
			return Chat{}, e
		}
		if v != nil && *v < 1 {
			return Chat{}, invalid(name, "", name+" must be at least 1")
		}
		if v != nil {
			c.MaxOutput = v
		}
	}
	return c, nil
}

// checkMessages: a non-empty list of known roles; content is a string or
// parts of text, inline images (data: URLs) or inline audio.
func checkMessages(raw json.RawMessage) *Error {
	var msgs []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(raw, &msgs); err != nil || len(msgs) == 0 {
		return invalid("messages", "", "messages must be a non-empty array of {role, content}")
	}
	for i, m := range msgs {
		param := fmt.Sprintf("messages[%d]", i)
		if !slices.Contains(roles, m.Role) {
			return invalid(param+".role", "", fmt.Sprintf("unknown role %q (want one of %s)", m.Role, strings.Join(roles, ", ")))
		}
		if len(m.Content) == 0 || m.Content[0] != '[' {
			continue // a string, or null for an assistant's tool call
		}
		var parts []struct {
			Type     string `json:"type"`
			ImageURL struct {
				URL string `json:"url"`
			} `json:"image_url"`
		}
		if err := json.Unmarshal(m.Content, &parts); err != nil {
			return invalid(param+".content", "", "content must be a string or an array of parts")
		}
		for j, p := range parts {
			switch {
			case p.Type == "text", p.Type == "input_audio":
			case p.Type == "image_url" && strings.HasPrefix(p.ImageURL.URL, "data:"):
			case p.Type == "image_url":
				return invalid(fmt.Sprintf("%s.content[%d].image_url", param, j), "", "images must be inline data: URLs: the provider fetches nothing for a run")
			default:
				return invalid(fmt.Sprintf("%s.content[%d].type", param, j), "", fmt.Sprintf("content parts of type %q are not available", p.Type))
			}
		}
	}
	return nil
}

// checkTools allows only function tools, which the caller runs itself:
// a server-side tool (web search, file search) could carry hidden data out.
func checkTools(raw json.RawMessage) *Error {
	if raw == nil {
		return nil
	}
	var tools []struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(raw, &tools); err != nil {
		return invalid("tools", "", "tools must be an array")
	}
	for i, t := range tools {
		if t.Type != "function" {
			return invalid(fmt.Sprintf("tools[%d].type", i), "", fmt.Sprintf("only function tools are available, not %q: the gateway runs no tool for a run", t.Type))
		}
	}
	return nil
}

// Embeddings is what the gateway needs to know of an embeddings request.
type Embeddings struct {
	Model  string
	Inputs int      // how many inputs
	Base64 bool     // encoding_format "base64" (the official SDKs' default), else floats
	Texts  []string // the inputs when given as text; token arrays are counted only
}

var embeddingFields = []string{"model", "input", "dimensions", "encoding_format", "user"}

// ParseEmbeddings checks an embeddings request: known fields only, an
// allowed model, 1 to 2048 non-empty inputs (text or token arrays), and an
// encoding the gateway serves.
func ParseEmbeddings(body []byte, models []string) (Embeddings, *Error) {
	fields, e := object(body, embeddingFields)
	if e != nil {
		return Embeddings{}, e
	}
	var emb Embeddings
	if e := decodeModel(fields, models, &emb.Model); e != nil {
		return Embeddings{}, e
	}
	var format string
	if e := decode(fields, "encoding_format", &format); e != nil {
		return Embeddings{}, e
	}
	switch format {
	case "", "float":
	case "base64":
		emb.Base64 = true
	default:
		return Embeddings{}, invalid("encoding_format", "", fmt.Sprintf("encoding_format must be float or base64, not %q", format))
	}
	texts, tokens, ok := inputs(fields["input"])
	if !ok {
		return Embeddings{}, invalid("input", "", "input must be a string, an array of strings, or token arrays")
	}
	emb.Inputs, emb.Texts = len(texts)+len(tokens), texts
	if emb.Inputs == 0 || emb.Inputs > maxEmbeddingInputs {
		return Embeddings{}, invalid("input", "", fmt.Sprintf("input must hold 1 to %d items, not %d", maxEmbeddingInputs, emb.Inputs))
	}
	for i, t := range texts {
		if t == "" {
			return Embeddings{}, invalid(fmt.Sprintf("input[%d]", i), "", "an input cannot be an empty string")
		}
	}
	for i, t := range tokens {
		if len(t) == 0 {
			return Embeddings{}, invalid(fmt.Sprintf("input[%d]", i), "", "an input cannot be an empty token array")
		}
	}
	return emb, nil
}

// inputs reads an embeddings input: a string, strings, one token array or
// token arrays. (A failed json.Unmarshal may leave what it decoded so far,
// so each shape decodes into a value of its own.)
func inputs(in json.RawMessage) (texts []string, tokens [][]int, ok bool) {
	var text string
	if json.Unmarshal(in, &text) == nil && len(in) > 0 && in[0] == '"' {
		return []string{text}, nil, true
	}
	var many []string
	if json.Unmarshal(in, &many) == nil && len(in) > 0 && in[0] == '[' {
		return many, nil, true
	}
	var arrays [][]int
	if json.Unmarshal(in, &arrays) == nil && len(in) > 0 && in[0] == '[' {
		return nil, arrays, true
	}
	var one []int
	if json.Unmarshal(in, &one) == nil && len(one) > 0 {
		return nil, [][]int{one}, true
	}
	return nil, nil, false
}

// object decodes a JSON object and refuses any field not in known.
func object(body []byte, known []string) (map[string]json.RawMessage, *Error) {
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&fields); err != nil || fields == nil || dec.More() {
		return nil, invalid("", "", "the request body must be one JSON object")
	}
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	slices.Sort(names) // the same refusal every time
	for _, name := range names {
		if !slices.Contains(known, name) {
			return nil, invalid(name, "unknown_parameter", fmt.Sprintf("Unrecognized request argument supplied: %s", name))
		}
	}
	return fields, nil
}

// decode sets into from the field name when it is present and not null.
func decode(fields map[string]json.RawMessage, name string, into any) *Error {
	raw, ok := fields[name]
	if !ok || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, into); err != nil {
		return invalid(name, "", fmt.Sprintf("%s has the wrong type: %v", name, err))
	}
	return nil
}

// decodeModel reads model and checks it is one the run may use: 404
// model_not_found otherwise, as OpenAI answers.
func decodeModel(fields map[string]json.RawMessage, models []string, into *string) *Error {
	if e := decode(fields, "model", into); e != nil {
		return e
	}
	if *into == "" {
		return invalid("model", "", "model is required")
	}
	if !slices.Contains(models, *into) {
		e := invalid("model", "model_not_found", fmt.Sprintf("The model %q is not available to this run (available: %s)", *into, strings.Join(models, ", ")))
		e.Status = http.StatusNotFound
		return e
	}
	return nil
}
