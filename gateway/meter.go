package gateway

import (
	"encoding/json"
	"fmt"

	"takehome/exercises"
	"takehome/gateway/tokencount"
)

// cost is the price of a call in micro-USD, rounded up: prices are per
// million tokens.
func cost(m exercises.Model, prompt, completion int) int64 {
	total := int64(prompt)*m.InputPrice + int64(completion)*m.OutputPrice
	return (total + 999_999) / 1_000_000
}

// outputCap is the most a chat call may generate: the request's own cap,
// else the model's cap lowered to what the budget left can pay for (and
// then capped says the gateway chose it). A cap the budget cannot pay for
// refuses the call.
func outputCap(asked *int, m exercises.Model, prompt int, left int64) (limit int, capped bool, e *Error) {
	if asked != nil {
		if cost(m, prompt, *asked) > left {
			return 0, false, budgetExceeded(fmt.Sprintf("a call of %d prompt tokens and up to %d output tokens costs up to %s, and the budget has %s left",
				prompt, *asked, usd(cost(m, prompt, *asked)), usd(left)))
		}
		return *asked, false, nil
	}
	limit = m.MaxOutput
	if limit <= 0 {
		limit = 4096
	}
	if m.OutputPrice > 0 {
		affordable := (left*1_000_000 - int64(prompt)*m.InputPrice) / m.OutputPrice
		limit = int(min(int64(limit), affordable))
	}
	if limit < 1 || cost(m, prompt, limit) > left {
		return 0, false, budgetExceeded(fmt.Sprintf("a call of %d prompt tokens costs more than the %s the budget has left", prompt, usd(left)))
	}
	return limit, true, nil
}

func usd(micro int64) string { return fmt.Sprintf("$%.6f", float64(micro)/1e6) }

// promptTokens counts a chat request's prompt: message texts (strings and
// the text parts of part lists) by OpenAI's convention, plus the JSON of
// tool definitions and of earlier tool calls, which the provider bills as
// prompt too.
func promptTokens(body []byte) int {
	var req struct {
		Messages []struct {
			Role      string          `json:"role"`
			Name      string          `json:"name"`
			Content   json.RawMessage `json:"content"`
			ToolCalls json.RawMessage `json:"tool_calls"`
		} `json:"messages"`
		Tools json.RawMessage `json:"tools"`
	}
	_ = json.Unmarshal(body, &req) // checked by ParseChat already
	msgs := make([]tokencount.Message, len(req.Messages))
	extra := tokencount.Text(string(req.Tools))
	for i, m := range req.Messages {
		msgs[i] = tokencount.Message{Role: m.Role, Name: m.Name, Text: contentText(m.Content)}
		extra += tokencount.Text(string(m.ToolCalls))
	}
	return tokencount.Prompt(msgs) + extra
}

// contentText is a message's text: the string, or its text parts joined.
func contentText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	_ = json.Unmarshal(raw, &parts)
	text := ""
	for _, p := range parts {
		if p.Type == "text" {
			text += p.Text
		}
	}
	return text
}

// embeddingTokens counts an embeddings request's inputs: text by the
// tokenizer, token arrays by their length.
func embeddingTokens(body []byte) int {
	var req struct {
		Input json.RawMessage `json:"input"`
	}
	_ = json.Unmarshal(body, &req)
	texts, tokens, _ := inputs(req.Input)
	n := 0
	for _, t := range texts {
		n += tokencount.Text(t)
	}
	for _, t := range tokens {
		n += len(t)
	}
	return n
}

// rewrite sets fields of a request body before it goes upstream.
func rewrite(body []byte, set map[string]any) ([]byte, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil, err
	}
	for name, v := range set {
		if v == nil {
			delete(fields, name)
			continue
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		fields[name] = raw
	}
	return json.Marshal(fields)
}
