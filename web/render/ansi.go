package render

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// StripANSI removes terminal escape sequences (CSI such as colours and
// cursor moves, OSC such as titles and hyperlinks, and the shorter ESC
// sequences) and every other control or bidirectional-override character,
// keeping newlines and tabs. A carriage return becomes a newline so a
// progress bar's frames stay visible instead of overwriting each other.
// Invalid UTF-8 becomes U+FFFD.
func StripANSI(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b:
			i = skipEscape(s, i+1)
			continue
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i+size)
			continue
		case r == 0x9d: // C1 OSC
			i = skipOSC(s, i+size)
			continue
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == '\r':
			b.WriteByte('\n')
		case unicode.IsControl(r) || isBidi(r):
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// skipEscape returns the index after the escape sequence whose ESC ended
// just before i.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch c := s[i]; {
	case c == '[':
		return skipCSI(s, i+1)
	case c == ']' || c == 'P' || c == '_' || c == '^' || c == 'X':
		return skipOSC(s, i+1) // OSC, DCS, APC, PM, SOS all end with ST or BEL
	case c >= 0x20 && c <= 0x2f: // intermediate bytes, then one final byte
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
			i++
		}
		return min(i+1, len(s))
	case c >= 0x30 && c <= 0x7e:
		return i + 1 // two-byte sequence, e.g. ESC 7, ESC c
	}
	return i
}

// skipCSI skips parameter and intermediate bytes and the final byte.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		i++
		if c >= 0x40 && c <= 0x7e {
			return i
		}
		if c < 0x20 || c > 0x7e { // not a CSI byte: the sequence is broken
			return i - 1
		}
	}
	return i
}

// skipOSC skips to the string terminator: BEL, ESC \ or C1 ST.
func skipOSC(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + len("\u009c")
		}
		i++
	}
	return i
}

// isBidi reports the characters that reorder displayed text ("Trojan
// Source"): embeddings, overrides and isolates.
func isBidi(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f
}
