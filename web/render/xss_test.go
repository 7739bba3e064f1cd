package render

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// xssPayloads are hostile strings a candidate controls: file names, notes,
// logs, chart labels, output values.
var xssPayloads = []string{
	`<script>alert(1)</script>`,
	`<img src=x onerror=alert(1)>`,
	`"><svg onload=alert(1)>`,
	`'><iframe src="javascript:alert(1)"></iframe>`,
	`<a href="javascript:alert(1)">x</a>`,
	`<div style="background:url(javascript:alert(1))">x</div>`,
	`]]><script>alert(1)</script>`,
	`<!--<script>alert(1)</script>-->`,
	`<style>*{display:none}</style>`,
	"<scr\x00ipt>alert(1)</script>",
}

// assertInert fails when html holds markup a payload could have planted:
// an active element, an event handler, a style attribute or a script URL.
// It parses the HTML as a browser would, so escaped payloads shown as text
// pass.
func assertInert(t *testing.T, what, html string) {
	t.Helper()
	lower := strings.ToLower(html)
	for _, raw := range []string{"<script", "<style", "<iframe", "<object", "<embed"} {
		if strings.Contains(lower, raw) {
			t.Errorf("%s: output contains %q:\n%s", what, raw, html)
		}
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			name, val := strings.ToLower(a.Key), strings.ToLower(strings.TrimSpace(a.Val))
			switch {
			case strings.HasPrefix(name, "on"), name == "style":
				t.Errorf("%s: element <%s> has attribute %s:\n%s", what, s.Nodes[0].Data, name, html)
			case (name == "href" || name == "src" || strings.HasSuffix(name, ":href")) &&
				(strings.HasPrefix(val, "javascript:") || strings.HasPrefix(val, "data:") || strings.HasPrefix(val, "vbscript:")):
				t.Errorf("%s: <%s %s=%q>:\n%s", what, s.Nodes[0].Data, name, a.Val, html)
			}
		}
	})
}

// assertWellFormed parses s as XML, failing on any syntax error.
func assertWellFormed(t *testing.T, what, s string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("%s: not well-formed XML: %v\n%s", what, err, s)
		}
	}
}
