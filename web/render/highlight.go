package render

import (
	"bytes"
	"fmt"
	"html/template"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

// MaxHighlightBytes is the largest file Highlight colours; larger files are
// shown as plain text, since lexing cost grows with size and pathological
// input.
const MaxHighlightBytes = 256 << 10

// MaxShownBytes is the most of a file Highlight shows at all.
const MaxShownBytes = 1 << 20

// formatter writes CSS classes (prefix "hl-"), never style attributes, so
// the code view works under a CSP without 'unsafe-inline'.
var formatter = chromahtml.New(
	chromahtml.WithClasses(true),
	chromahtml.ClassPrefix("hl-"),
	chromahtml.WithLineNumbers(true),
	chromahtml.TabWidth(4),
)

// highlightStyle is a light style with good contrast.
var highlightStyle = styles.Get("github")

// Highlight renders a file's source with syntax classes picked by its file
// name. Binary files get a one-line note, files without a known lexer or
// over MaxHighlightBytes get escaped plain text, and files over
// MaxShownBytes are cut with a note.
func Highlight(name string, src []byte) template.HTML {
	if bytes.IndexByte(src, 0) >= 0 || !utf8.Valid(src) {
		return template.HTML(fmt.Sprintf(`<p class="binary">Binary file, %d bytes: not shown.</p>`, len(src)))
	}
	note := ""
	if len(src) > MaxShownBytes {
		src = src[:MaxShownBytes]
		for !utf8.Valid(src) { // do not cut a character in half
			src = src[:len(src)-1]
		}
		note = fmt.Sprintf(`<p class="truncated">Only the first %d bytes are shown.</p>`, len(src))
	}
	lexer := lexers.Match(name)
	if lexer == nil || len(src) > MaxHighlightBytes {
		return template.HTML(note + plain(src))
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, string(src))
	if err != nil {
		return template.HTML(note + plain(src))
	}
	var buf bytes.Buffer
	if err := formatter.Format(&buf, highlightStyle, it); err != nil {
		return template.HTML(note + plain(src))
	}
	return template.HTML(note + buf.String())
}

func plain(src []byte) string {
	return `<pre class="hl-chroma plain"><code>` + template.HTMLEscapeString(string(src)) + `</code></pre>`
}

// HighlightCSS is the stylesheet for the classes Highlight writes.
func HighlightCSS() []byte {
	var buf bytes.Buffer
	if err := formatter.WriteCSS(&buf, highlightStyle); err != nil {
		return nil // only a failing writer errors; a bytes.Buffer does not
	}
	return buf.Bytes()
}
