package render

import (
	"fmt"
	"html/template"
	"strings"

	"takehome/grader"
)

// HTML renders the tree below n as nested lists: directories as open
// <details> (collapsible without JavaScript), files as links made by href
// (or plain names when href is nil). Names are escaped; href's result is
// escaped as an attribute and must be a same-site URL.
func (n *Node) HTML(href func(path string) string) template.HTML {
	var b strings.Builder
	b.WriteString(`<ul class="tree">`)
	n.writeChildren(&b, href)
	b.WriteString(`</ul>`)
	return template.HTML(b.String())
}

func (n *Node) writeChildren(b *strings.Builder, href func(string) string) {
	for _, c := range n.Children {
		b.WriteString(`<li>`)
		if c.Dir {
			fmt.Fprintf(b, `<details open><summary>%s/</summary><ul>`, esc(c.Name))
			c.writeChildren(b, href)
			b.WriteString(`</ul></details>`)
		} else if href != nil {
			fmt.Fprintf(b, `<a href="%s">%s</a> <span class="size">%s</span>`, esc(href(c.Path)), esc(c.Name), esc(grader.FormatBytes(c.Size)))
		} else {
			fmt.Fprintf(b, `%s <span class="size">%s</span>`, esc(c.Name), esc(grader.FormatBytes(c.Size)))
		}
		b.WriteString(`</li>`)
	}
}
