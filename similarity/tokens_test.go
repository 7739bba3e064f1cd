package similarity

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// texts returns the normalised texts of src's tokens joined by spaces.
func texts(src string) string {
	var out []string
	for _, t := range Tokenize([]byte(src)) {
		out = append(out, t.Text)
	}
	return strings.Join(out, " ")
}

func TestTokenizeNormalises(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"names masked, builtins kept", "total = len(items) + 1\n", "$id = len ( $id ) + $num"},
		{"attributes masked", "self.model.fit(X, y)\n", "self . $id . $id ( $id , $id )"},
		{"keywords and constants kept", "if x is not None and y:\n    return True\n",
			"if $id is not None and $id : return True"},
		{"numbers", "a = [0x1F, 1_000, 2.5e-3, 7j]\n", "$id = [ $num , $num , $num , $num $id ]"},
		{"comments dropped", "x = 1  # set x\n# a whole line\n", "$id = $num"},
		{"string argument", "print('hi', \"there\")\n", "print ( $str , $str )"},
		{"implicit concatenation is one string", "s = ('a' \"b\"\n     'c')\n", "$id = ( $str )"},
		{"f-string is one string", "s = f\"{x!r:>{w}} and {y['k']}\" + b\n", "$id = $str + $id"},
		{"module docstring dropped", "\"\"\"Module.\n\nMore.\n\"\"\"\nimport os\n", "import $id"},
		{"def docstring dropped", "def f(a):\n    '''Doc.'''\n    return a\n", "def $id ( $id ) : return $id"},
		{"bare string statement dropped", "x = 1\n'note'\ny = 2\n", "$id = $num $id = $num"},
		{"string alone on a line in brackets kept", "f(\n    'a'\n)\n", "$id ( $str )"},
		{"string after a line continuation kept", "x = \\\n    'a'\n", "$id = $str"},
		{"imports", "from a.b import c as d\n", "from $id . $id import $id as $id"},
		{"decorator", "@dataclass\nclass C(Base):\n    pass\n", "@$id class $id ( $id ) : pass"},
		{"dunder and exception kept", "def __init__(self):\n    raise ValueError()\n",
			"def __init__ ( self ) : raise ValueError ( )"},
		{"lex error", "x = `y`\n", "$id = $err $id $err"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := texts(tt.src); got != tt.want {
				t.Errorf("Tokenize(%q)\n got %s\nwant %s", tt.src, got, tt.want)
			}
		})
	}
}

func TestTokenizeLines(t *testing.T) {
	src := "import os\n\n\nx = '''a\nb\nc''' + y  # c\nz = (\n    1)\n"
	got := Tokenize([]byte(src))
	want := []Token{
		{"import", 1, 1}, {SymbolName, 1, 1},
		{SymbolName, 4, 4}, {"=", 4, 4}, {SymbolString, 4, 6}, {"+", 6, 6}, {SymbolName, 6, 6},
		{SymbolName, 7, 7}, {"=", 7, 7}, {"(", 7, 7}, {SymbolNumber, 8, 8}, {")", 8, 8},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Tokenize lines (-want +got):\n%s", diff)
	}
}

// TestTokenizeInvariance: renaming, re-commenting and re-spacing code
// leaves its tokens unchanged.
func TestTokenizeInvariance(t *testing.T) {
	a := "def mean(values):\n    \"\"\"Average.\"\"\"\n    total = 0\n    for v in values:\n        total += v  # add\n    return total / len(values)\n"
	b := "# helper\ndef avg(xs):\n  s=0\n  for x in xs: s+=x\n  return s/len( xs )\n"
	if texts(a) != texts(b) {
		t.Errorf("tokens differ:\n%s\n%s", texts(a), texts(b))
	}
}

func TestTokenizeHostile(t *testing.T) {
	inputs := []string{
		"",
		"'unterminated\nx = 1\n",
		"f\"{x\ny = 2\n",
		"\"\"\"never closed\n",
		"\x00\x01\xff\xfe bytes",
		strings.Repeat("(", 10000),
		strings.Repeat("f'{", 2000),
		"\r\nx = 1\r\ny = 2\r",
	}
	for _, in := range inputs {
		toks := Tokenize([]byte(in))
		checkTokens(t, []byte(in), toks)
	}
	// Lexing recovers after an unterminated string.
	if got := texts("s = 'oops\nx = 1\n"); !strings.HasSuffix(got, "$id = $num") {
		t.Errorf("no recovery after an unterminated string: %s", got)
	}
}

// checkTokens checks the invariants of Tokenize's output.
func checkTokens(t *testing.T, src []byte, toks []Token) {
	t.Helper()
	lines := bytes.Count(src, []byte("\n")) + bytes.Count(src, []byte("\r")) + 1
	prev := 1
	for i, tok := range toks {
		if tok.Text == "" {
			t.Fatalf("token %d is empty", i)
		}
		if tok.Line < prev || tok.EndLine < tok.Line || tok.EndLine > lines {
			t.Fatalf("token %d %+v: lines out of order (previous %d, %d lines)", i, tok, prev, lines)
		}
		prev = tok.Line
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{
		"def f(x):\n    return x + 1\n",
		"s = f\"{a!r:>{w}}\" 'b' \"\"\"c\nd\"\"\"\n",
		"class C:\n    '''doc'''\n    @property\n    def p(self): return self._p\n",
		"x = `$ 'unterminated\n\tmatch p:\n case [a, *b]: pass\n",
		"\xff\xfe\x00(\"\\",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		toks := Tokenize(src)
		checkTokens(t, src, toks)
		if again := Tokenize(src); !cmp.Equal(toks, again) {
			t.Fatal("Tokenize is not deterministic")
		}
	})
}
