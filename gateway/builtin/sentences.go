package builtin

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// marker is a citation such as [doc-7] or [12]: kept in the sentence it
// follows, left out of the text that is scored.
var marker = regexp.MustCompile(`\[[^\[\]\n]{1,64}\]`)

// leadingMarker is a marker at the start of text, after spaces.
var leadingMarker = regexp.MustCompile(`^[ \t]*\[[^\[\]\n]{1,64}\]`)

// sentences splits texts into sentences: a line break always ends one
// (contexts list documents and chunks line by line), and so does ., ! or ?
// followed by a space and a word that is not lowercase (so "e.g. the"
// holds together), or a full-width 。！？.
func sentences(texts []string) []string {
	var out []string
	for _, text := range texts {
		for _, line := range strings.Split(text, "\n") {
			for _, s := range splitLine(line) {
				if s = strings.TrimSpace(s); s != "" {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

func splitLine(line string) []string {
	var out []string
	start := 0
	for i := 0; i < len(line); {
		r, size := utf8.DecodeRuneInString(line[i:])
		i += size
		if !strings.ContainsRune(".!?。！？", r) {
			continue
		}
		if end := sentenceEnd(line, i, r >= utf8.RuneSelf); end > 0 {
			out, start, i = append(out, line[start:end]), end, end
		}
	}
	return append(out, line[start:])
}

// sentenceEnd is where a sentence whose terminator ends at i stops, or 0
// when the terminator does not end it. The sentence takes along closing
// quotes and brackets and any citation markers after it, so that
// "... 30 days. [doc-7]" cites the sentence it follows.
func sentenceEnd(line string, i int, fullWidth bool) int {
	for i < len(line) {
		r, size := utf8.DecodeRuneInString(line[i:])
		if !strings.ContainsRune(".!?。！？\"')”’", r) {
			break
		}
		i += size
	}
	spaced := i == len(line) || line[i] == ' ' || line[i] == '\t'
	for {
		loc := leadingMarker.FindStringIndex(line[i:])
		if loc == nil {
			break
		}
		i, spaced = i+loc[1], true
	}
	if !spaced && !fullWidth {
		return 0
	}
	next, _ := utf8.DecodeRuneInString(strings.TrimLeft(line[i:], " \t"))
	if unicode.IsLower(next) {
		return 0
	}
	return i
}
