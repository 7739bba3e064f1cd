package similarity

import (
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// Symbols that stand for a whole class of tokens. No Python token starts
// with "$", so they never collide with the keyword, operator and builtin
// text that is kept verbatim.
const (
	SymbolName   = "$id"  // any identifier that is not a builtin
	SymbolString = "$str" // a string literal, f-strings and implicit concatenation included
	SymbolNumber = "$num" // any numeric literal
	SymbolError  = "$err" // input the lexer could not match
)

// Token is one normalised token of a Python file.
type Token struct {
	// Text is the normalised token: a Symbol* constant, or the literal text
	// of a keyword, operator, punctuation mark or builtin name.
	Text string
	// Line and EndLine are the 1-based lines of the token's first and last
	// character in the original file (they differ for multi-line strings).
	Line, EndLine int
}

// Tokenize lexes Python source with chroma's Python lexer and normalises
// it, JPlag-style, so that renaming, reformatting and re-commenting do not
// change the result:
//
//   - comments, whitespace and newlines are dropped;
//   - a string literal standing alone on its line(s) outside brackets, that
//     is a docstring or a bare string statement, is dropped;
//   - every other string literal becomes SymbolString, every number
//     SymbolNumber;
//   - every identifier becomes SymbolName, attribute names after "." and
//     imported module names included, except Python's builtins (len, range,
//     print, self, cls, exception classes, dunder names), which cannot be
//     renamed without changing the program and so are kept verbatim;
//   - keywords, operators and punctuation are kept verbatim.
//
// Input that fails to lex yields SymbolError tokens and whatever the lexer
// recovers; Tokenize never panics. Its cost grows with the input, so callers
// bound the size (Fingerprint skips files over MaxFileBytes).
func Tokenize(src []byte) []Token {
	return normalise(lex(src))
}

// lex runs chroma's Python lexer and collapses strings into lexemes. The
// chroma iterator may panic on hostile input; lex then returns what it has.
func lex(src []byte) (out []lexeme) {
	s := &lexState{line: 1}
	defer func() {
		if recover() != nil {
			out = s.out
		}
	}()
	lexer := lexers.Get("python")
	if lexer == nil {
		return nil
	}
	it, err := lexer.Tokenise(nil, string(src))
	if err != nil {
		return nil
	}
	for t := it(); t != chroma.EOF; t = it() {
		s.add(t)
	}
	return s.out
}

// lexeme is a significant token before docstrings are removed.
type lexeme struct {
	text          string
	line, endLine int
	str           bool // a (collapsed) string literal
	op            bool // an operator, after which a line may continue
	depth         int  // bracket depth before the lexeme
}

// lexState turns chroma tokens into lexemes. A run of string tokens, with
// the replacement fields of f-strings inside it, becomes one lexeme.
type lexState struct {
	out    []lexeme
	line   int  // current 1-based line
	depth  int  // bracket depth
	inStr  bool // the last lexeme is a string that may continue
	triple bool // that string opened with a triple quote
	fdepth int  // nesting of f-string replacement fields inside it
}

func (s *lexState) add(t chroma.Token) {
	start := s.line
	newlines := strings.Count(t.Value, "\n")
	s.line += newlines
	end := s.line
	if strings.HasSuffix(t.Value, "\n") {
		end--
	}
	switch {
	case s.fdepth > 0:
		s.inFString(t, end, newlines > 0)
	case t.Type.InSubCategory(chroma.LiteralString):
		s.addString(t, start, end)
	case t.Type.InCategory(chroma.Text), t.Type.InCategory(chroma.Comment), t.Type == chroma.Ignore:
		// Whitespace and comments do not end a string: "a" "b" is one literal.
	default:
		s.inStr = false
		text := s.symbol(t)
		s.out = append(s.out, lexeme{text: text, line: start, endLine: end,
			op: t.Type.InCategory(chroma.Operator) && t.Type != chroma.OperatorWord, depth: s.depth})
		s.bracket(text)
	}
}

// addString starts or extends a string lexeme.
func (s *lexState) addString(t chroma.Token, start, end int) {
	if !s.inStr {
		s.out = append(s.out, lexeme{text: SymbolString, line: start, str: true, depth: s.depth})
		s.inStr, s.triple = true, false
	}
	s.out[len(s.out)-1].endLine = end
	if t.Value == `"""` || t.Value == `'''` {
		s.triple = true
	}
	if t.Type == chroma.LiteralStringInterpol && t.Value == "{" {
		s.fdepth++
	}
}

// inFString absorbs a token inside an f-string replacement field into the
// string. A newline ends a single-quoted f-string, whatever the lexer says,
// so that a confused lexer cannot swallow the rest of the file.
func (s *lexState) inFString(t chroma.Token, end int, newline bool) {
	s.out[len(s.out)-1].endLine = end
	switch {
	case newline && !s.triple:
		s.fdepth, s.inStr = 0, false
	case t.Type != chroma.LiteralStringInterpol:
	case t.Value == "{":
		s.fdepth++
	case strings.HasSuffix(t.Value, "}"), strings.HasSuffix(t.Value, ":"):
		s.fdepth--
	}
}

func (s *lexState) bracket(text string) {
	switch text {
	case "(", "[", "{":
		s.depth++
	case ")", "]", "}":
		if s.depth > 0 {
			s.depth--
		}
	}
}

// symbol is the normalised text of a non-string, non-space token.
func (s *lexState) symbol(t chroma.Token) string {
	switch {
	case t.Type.InCategory(chroma.Keyword), t.Type.InCategory(chroma.Operator),
		t.Type.InCategory(chroma.Punctuation):
		return t.Value
	case t.Type.InSubCategory(chroma.LiteralNumber):
		return SymbolNumber
	case t.Type.InCategory(chroma.Name):
		return nameSymbol(t)
	default:
		return SymbolError
	}
}

// nameSymbol keeps builtins verbatim and masks every other name.
func nameSymbol(t chroma.Token) string {
	switch t.Type {
	case chroma.NameBuiltin, chroma.NameBuiltinPseudo, chroma.NameException,
		chroma.NameFunctionMagic, chroma.NameVariableMagic:
		return t.Value
	case chroma.NameDecorator:
		return "@" + SymbolName
	case chroma.NameNamespace:
		if t.Value == "." { // the dots of "from a.b import c"
			return "."
		}
	}
	return SymbolName
}

// normalise drops string statements (docstrings and bare strings) and
// returns the remaining lexemes as tokens.
func normalise(lx []lexeme) []Token {
	out := make([]Token, 0, len(lx))
	for i, l := range lx {
		if l.str && l.depth == 0 && aloneOnLine(lx, i) {
			continue
		}
		out = append(out, Token{Text: l.text, Line: l.line, EndLine: l.endLine})
	}
	return out
}

// aloneOnLine reports whether lexeme i shares no line with its neighbours
// and does not continue a line that ended in an operator (x = \ "s").
func aloneOnLine(lx []lexeme, i int) bool {
	if i > 0 && (lx[i-1].endLine >= lx[i].line || lx[i-1].op) {
		return false
	}
	return i+1 == len(lx) || lx[i+1].line > lx[i].endLine
}
