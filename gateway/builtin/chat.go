package builtin

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"takehome/gateway/tokencount"
)

// created is every response's timestamp: fixed, so identical requests get
// byte-identical responses, and a real date (2023-11-14), because SDKs
// parse it as one.
const created = 1700000000

const fingerprint = "builtin-v1"

type chatRequest struct {
	Model               string    `json:"model"`
	Messages            []message `json:"messages"`
	MaxTokens           *int      `json:"max_tokens"`
	MaxCompletionTokens *int      `json:"max_completion_tokens"`
	Stream              bool      `json:"stream"`
	StreamOptions       struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
}

type message struct {
	Role    string  `json:"role"`
	Name    string  `json:"name"`
	Content content `json:"content"`
}

// content is a message's text: a string, or its text parts joined by
// newlines (images and audio parts carry nothing this model reads).
type content string

func (c *content) UnmarshalJSON(b []byte) error {
	if string(b) == "null" { // an assistant's tool call
		return nil
	}
	var s string
	if json.Unmarshal(b, &s) == nil {
		*c = content(s)
		return nil
	}
	var parts []struct{ Type, Text string }
	if json.Unmarshal(b, &parts) != nil {
		return errors.New("a message's content must be a string or an array of parts")
	}
	var texts []string
	for _, p := range parts {
		if p.Type == "text" {
			texts = append(texts, p.Text)
		}
	}
	*c = content(strings.Join(texts, "\n"))
	return nil
}

// limit is the output cap, 0 for none: max_completion_tokens wins over
// the legacy max_tokens, as in the gateway's checks.
func (req chatRequest) limit() (int, *apiError) {
	param, v := "max_completion_tokens", req.MaxCompletionTokens
	if v == nil {
		param, v = "max_tokens", req.MaxTokens
	}
	if v == nil {
		return 0, nil
	}
	if *v < 1 {
		return 0, invalid(param, param+" must be at least 1")
	}
	return *v, nil
}

// chatCompletions serves POST /v1/chat/completions.
func chatCompletions(w http.ResponseWriter, r *http.Request, body []byte) *apiError {
	var req chatRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return badJSON(err)
	}
	if req.Model != ChatModel {
		return modelNotFound(req.Model, ChatModel)
	}
	limit, e := req.limit()
	if e != nil {
		return e
	}
	c := complete(req, limit, body)
	if req.Stream {
		stream(w, r, c, req.StreamOptions.IncludeUsage)
		return nil
	}
	return writeJSON(w, c.response())
}

// completion is one answer, ready to send whole or streamed.
type completion struct {
	id, model string
	words     []string // the answer, split at spaces
	finish    string   // "stop", or "length" when cut at the cap
	usage     usage
}

// complete answers req; the id hashes the body, so the same request
// always gets the same id.
func complete(req chatRequest, limit int, body []byte) completion {
	sum := sha256.Sum256(body)
	c := completion{id: "chatcmpl-builtin-" + hex.EncodeToString(sum[:])[:24], model: req.Model, finish: "stop"}
	c.words = strings.Fields(answer(req.Messages))
	if limit > 0 {
		var cut bool
		if c.words, cut = truncate(c.words, limit); cut {
			c.finish = "length"
		}
	}
	c.usage = newUsage(promptTokens(req.Messages), tokencount.Text(c.text()))
	return c
}

func (c completion) text() string { return strings.Join(c.words, " ") }

func promptTokens(msgs []message) int {
	counted := make([]tokencount.Message, len(msgs))
	for i, m := range msgs {
		counted[i] = tokencount.Message{Role: m.Role, Name: m.Name, Text: string(m.Content)}
	}
	return tokencount.Prompt(counted)
}
