package render

import (
	"bytes"
	"html/template"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// markdown converts GitHub-flavoured Markdown. Raw HTML in the source is
// dropped by goldmark (no WithUnsafe); the sanitizer below is the second
// line of defence, not the only one.
var markdown = goldmark.New(goldmark.WithExtensions(extension.GFM))

// policy is bluemonday's policy for user-generated content: no scripts,
// event handlers, style attributes or javascript: URLs. Links open nothing
// on our behalf: nofollow, and external ones get noopener.
var policy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	return p
}()

// Markdown renders src as sanitized HTML. A conversion error (goldmark only
// fails on writer errors) falls back to the escaped source.
func Markdown(src string) template.HTML {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return template.HTML("<pre>" + template.HTMLEscapeString(src) + "</pre>")
	}
	return template.HTML(policy.SanitizeBytes(buf.Bytes()))
}
