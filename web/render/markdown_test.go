package render

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestMarkdownRendersGFM(t *testing.T) {
	src := "# Churn\n\nPredict **churn**; see [the docs](https://example.com/docs).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n```python\nprint(1)\n```\n"
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(Markdown(src))))
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string]int{"h1": 1, "strong": 1, "table td": 2, "pre code": 1, `a[href="https://example.com/docs"][rel~=nofollow]`: 1}
	for sel, want := range checks {
		if got := doc.Find(sel).Length(); got != want {
			t.Errorf("%s: %d elements, want %d", sel, got, want)
		}
	}
	if got := doc.Find("pre code").Text(); got != "print(1)\n" {
		t.Errorf("code block = %q", got)
	}
}

func TestMarkdownDropsActiveContent(t *testing.T) {
	cases := append([]string{
		`[click](javascript:alert(1))`,
		`[click](JaVaScRiPt:alert(1))`,
		`[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
		`![x](javascript:alert(1))`,
		"<p onclick=\"alert(1)\">hi</p>",
		`<a href="#" onmouseover="alert(1)">x</a>`,
		"```\n</code></pre><script>alert(1)</script>\n```",
		"<details open ontoggle=alert(1)>",
	}, xssPayloads...)
	for _, src := range cases {
		out := string(Markdown(src))
		assertInert(t, src, out)
		for _, bad := range []string{"javascript:", "data:text/html", "onclick", "onmouseover", "ontoggle"} {
			if strings.Contains(strings.ToLower(out), bad) && !strings.Contains(out, "&lt;") {
				t.Errorf("%q: output keeps %q: %s", src, bad, out)
			}
		}
	}
}

func TestMarkdownKeepsTextOfDroppedHTML(t *testing.T) {
	// Raw HTML is omitted, but a payload inside a code span is shown as text.
	out := string(Markdown("Use `<script>` tags carefully."))
	if !strings.Contains(out, "<code>&lt;script&gt;</code>") {
		t.Errorf("code span not escaped: %s", out)
	}
}
