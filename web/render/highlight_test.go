package render

import (
	"bytes"
	"strings"
	"testing"
)

func TestHighlightUsesClasses(t *testing.T) {
	out := string(Highlight("model/train.py", []byte("import numpy as np\n\ndef fit(x):\n    return 'ok'  # done\n")))
	for _, want := range []string{`class="hl-chroma"`, `class="hl-kn"`, `>import<`, `class="hl-k"`, `hl-c1`} {
		if !strings.Contains(out, want) {
			t.Errorf("python highlight lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "style=") {
		t.Errorf("highlight writes style attributes:\n%s", out)
	}
}

func TestHighlightHostileSource(t *testing.T) {
	for _, name := range []string{"x.py", "x.html", "x.md", "README", "x.svg", "takehome.yaml"} {
		for _, p := range xssPayloads {
			if strings.Contains(p, "\x00") {
				continue // binary: covered below
			}
			out := string(Highlight(name, []byte(p+"\n")))
			assertInert(t, name+": "+p, out)
			if !strings.Contains(out, "&lt;") {
				t.Errorf("%s: payload not escaped: %s", name, out)
			}
		}
	}
}

func TestHighlightFallbacks(t *testing.T) {
	plainOut := string(Highlight("notes.unknownext", []byte("a < b")))
	if !strings.Contains(plainOut, "a &lt; b") || strings.Contains(plainOut, "hl-err") {
		t.Errorf("unknown file type: %s", plainOut)
	}
	if out := string(Highlight("model.pkl", []byte("\x80\x04\x95\x00binary"))); !strings.Contains(out, "Binary file, 10 bytes") {
		t.Errorf("binary: %s", out)
	}
	big := bytes.Repeat([]byte("x = 1\n"), MaxHighlightBytes/6+1)
	if out := string(Highlight("big.py", big)); strings.Contains(out, "hl-n") || !strings.Contains(out, "x = 1") {
		t.Error("a file over the highlight cap must be shown plain")
	}
	huge := bytes.Repeat([]byte("é"), MaxShownBytes) // 2 MB
	out := string(Highlight("huge.txt", huge))
	if !strings.Contains(out, "Only the first") || len(out) > MaxShownBytes+1000 {
		t.Errorf("huge file: %d bytes out", len(out))
	}
}

func TestHighlightCSS(t *testing.T) {
	css := string(HighlightCSS())
	for _, want := range []string{".hl-chroma", ".hl-k ", ".hl-c1"} {
		if !strings.Contains(css, want) {
			t.Errorf("css lacks %s", want)
		}
	}
	if strings.Contains(css, "@import") || strings.Contains(css, "url(") {
		t.Error("css loads something")
	}
}
