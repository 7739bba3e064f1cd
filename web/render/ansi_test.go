package render

import "testing"

func TestStripANSI(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "epoch 1 loss 0.5\n", "epoch 1 loss 0.5\n"},
		{"colour", "\x1b[1;31mERROR\x1b[0m done", "ERROR done"},
		{"256 colour", "\x1b[38;5;196mred\x1b[m", "red"},
		{"cursor", "a\x1b[2K\x1b[1Gb", "ab"},
		{"private mode", "\x1b[?25lhidden cursor\x1b[?25h", "hidden cursor"},
		{"osc title bel", "\x1b]0;pwned\x07text", "text"},
		{"osc hyperlink st", "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"c1 csi", "\u009b31mred", "red"},
		{"charset", "\x1b(Bok", "ok"},
		{"two byte", "\x1b7save\x1b8", "save"},
		{"dcs", "\x1bPq#0;2;0;0;0\x1b\\after", "after"},
		{"crlf", "a\r\nb", "a\nb"},
		{"progress", "10%\r50%\r100%\n", "10%\n50%\n100%\n"},
		{"tabs kept", "a\tb", "a\tb"},
		{"controls", "bell\x07 back\x08 nul\x00 del\x7f", "bell back nul del"},
		{"bidi override", "access\u202e\u2066 level", "access level"},
		{"invalid utf8", "ok\xff\xfe", "ok\ufffd\ufffd"},
		{"unicode kept", "précision ≥ 0.9 ✓", "précision ≥ 0.9 ✓"},
		{"truncated csi", "x\x1b[31", "x"},
		{"esc at end", "x\x1b", "x"},
		{"broken csi", "x\x1b[3\ny", "x\ny"},
		{"unterminated osc", "x\x1b]0;title", "x"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := StripANSI(c.in); got != c.want {
				t.Errorf("StripANSI(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}
