// Package tokencount counts tokens the way OpenAI's current models do
// (o200k_base), for the gateway's worst-case estimates and the builtin
// provider's usage. It is its own package because the embedded vocabulary
// is slow to compile: only what counts tokens pays for it.
package tokencount

import (
	"sync"

	"github.com/tiktoken-go/tokenizer"
)

var codec = sync.OnceValue(func() tokenizer.Codec {
	c, err := tokenizer.Get(tokenizer.O200kBase)
	if err != nil {
		panic("tokencount: the embedded o200k_base vocabulary is missing: " + err.Error())
	}
	return c
})

// Text is the number of o200k_base tokens of s.
func Text(s string) int {
	if s == "" {
		return 0
	}
	n, err := codec().Count(s)
	if err != nil { // the codec fails only on text it cannot split; bound it by bytes
		return len(s)
	}
	return n
}

// Message is one chat message as far as counting goes: its role, its
// optional name and its text.
type Message struct{ Role, Name, Text string }

// Prompt counts a chat prompt by OpenAI's published convention for its chat
// models: 3 tokens of framing per message, 1 more for a name, and 3 that
// prime the reply.
func Prompt(msgs []Message) int {
	n := 3
	for _, m := range msgs {
		n += 3 + Text(m.Role) + Text(m.Text)
		if m.Name != "" {
			n += 1 + Text(m.Name)
		}
	}
	return n
}
