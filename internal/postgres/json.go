package postgres

import (
	"bytes"
	"encoding/json"
)

var (
	escapedNUL  = []byte(`\u0000`)
	escapedFFFD = []byte(`\ufffd`)
)

// jsonb makes encoded JSON storable as jsonb, which rejects the escape
// \u0000: it becomes \ufffd. Escapes are walked in pairs so an escaped
// backslash followed by "u0000" is left alone.
func jsonb(b []byte) []byte {
	if !bytes.Contains(b, escapedNUL) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] != '\\' || i+1 == len(b):
			out = append(out, b[i])
		case bytes.HasPrefix(b[i:], escapedNUL):
			out = append(out, escapedFFFD...)
			i += len(escapedNUL) - 1
		default:
			out = append(out, b[i], b[i+1])
			i++
		}
	}
	return out
}

// nullJSON returns nil for an absent or JSON null value, which is stored as
// SQL NULL.
func nullJSON(m json.RawMessage) []byte {
	if len(m) == 0 || string(m) == "null" {
		return nil
	}
	return jsonb(m)
}
