package similarity

import (
	"math/rand/v2"
	"slices"
)

// Parameters of SyntheticDocuments.
const (
	syntheticBoilerplate = 40 // statements in the shared pool
	syntheticShared      = 12 // pool statements in each document
	syntheticCopyEvery   = 20 // every 20th document copies a block
	syntheticCopyLines   = 30 // statements in a copied block
)

// SyntheticDocuments returns n documents of about lines Python-like
// statements each, built from normalised tokens without lexing, for
// benchmarks and tests at scale (such as a cmd/bench row). Each document
// has 12 more statements drawn from a pool of 40 that all documents share,
// and every 20th one copies a 30-statement block from an earlier document.
// The same arguments always give the same documents.
func SyntheticDocuments(n, lines int, seed uint64, cfg Config) []Document {
	cfg = cfg.withDefaults()
	n, lines = max(n, 0), max(lines, 0)
	pool := syntheticPool(seed)
	out := make([]Document, n)
	for i := range out {
		doc := Document{K: cfg.K}
		doc.add("main.py", statementTokens(syntheticStatements(seed, i, lines, pool)), cfg)
		out[i] = doc
	}
	return out
}

// statementTokens lays statements out one a line.
func statementTokens(stmts [][]string) []Token {
	var toks []Token
	for line, s := range stmts {
		for _, text := range s {
			toks = append(toks, Token{Text: text, Line: line + 1, EndLine: line + 1})
		}
	}
	return toks
}

// syntheticPool is the boilerplate documents draw on.
func syntheticPool(seed uint64) [][]string {
	return statements(rand.New(rand.NewPCG(seed, 0)), syntheticBoilerplate)
}

// syntheticStatements is document i's code.
func syntheticStatements(seed uint64, i, lines int, pool [][]string) [][]string {
	rng := rand.New(rand.NewPCG(seed, uint64(i)+1))
	stmts := statements(rng, lines)
	for range syntheticShared {
		at := rng.IntN(len(stmts) + 1)
		stmts = slices.Insert(stmts, at, pool[rng.IntN(len(pool))])
	}
	if i > 0 && i%syntheticCopyEvery == 0 && lines > syntheticCopyLines {
		src := rng.IntN(i)
		if src%syntheticCopyEvery == 0 { // copy from a document that copies nothing
			src++
		}
		from := syntheticStatements(seed, src, lines, pool)
		a, b := rng.IntN(lines-syntheticCopyLines), rng.IntN(lines-syntheticCopyLines)
		copy(stmts[a:a+syntheticCopyLines], from[b:b+syntheticCopyLines])
	}
	return stmts
}

// statements returns n random statements of normalised tokens.
func statements(rng *rand.Rand, n int) [][]string {
	out := make([][]string, n)
	for i := range out {
		g := gen{rng: rng}
		g.statement()
		out[i] = g.toks
	}
	return out
}

// gen generates one Python-like statement.
type gen struct {
	rng  *rand.Rand
	toks []string
}

func (g *gen) emit(toks ...string) { g.toks = append(g.toks, toks...) }

func (g *gen) pick(choices ...string) string { return choices[g.rng.IntN(len(choices))] }

func (g *gen) statement() {
	switch g.rng.IntN(8) {
	case 0:
		g.emit("def", SymbolName, "(")
		g.list(func() { g.emit(SymbolName) })
		g.emit(")", ":")
	case 1:
		g.emit(g.pick("if", "while", "elif"))
		g.expr(1)
		g.emit(g.pick("<", ">", "==", "!=", "in", "is"))
		g.expr(1)
		g.emit(":")
	case 2:
		g.emit("for", SymbolName, "in")
		g.expr(1)
		g.emit(":")
	case 3:
		g.emit("return")
		g.expr(2)
	default:
		g.emit(SymbolName)
		if g.rng.IntN(3) == 0 {
			g.emit(".", SymbolName)
		}
		g.emit(g.pick("=", "=", "+", "-"))
		if g.toks[len(g.toks)-1] != "=" {
			g.emit("=")
		}
		g.expr(2)
	}
}

func (g *gen) expr(depth int) {
	if depth == 0 {
		g.emit(g.pick(SymbolName, SymbolName, SymbolNumber, SymbolString))
		return
	}
	switch g.rng.IntN(6) {
	case 0:
		g.expr(depth - 1)
		g.emit(g.pick("+", "-", "*", "/", "%", "and", "or"))
		g.expr(depth - 1)
	case 1:
		g.emit(g.pick(SymbolName, SymbolName, "len", "range", "sorted", "str", "int", "print", "max"), "(")
		g.list(func() { g.expr(depth - 1) })
		g.emit(")")
	case 2:
		g.emit(SymbolName, ".", SymbolName, "(")
		g.list(func() { g.expr(depth - 1) })
		g.emit(")")
	case 3:
		g.emit(SymbolName, "[")
		g.expr(depth - 1)
		g.emit("]")
	case 4:
		g.emit("[")
		g.list(func() { g.expr(depth - 1) })
		g.emit("]")
	default:
		g.expr(0)
	}
}

// list emits zero to three comma-separated items.
func (g *gen) list(item func()) {
	for i := range g.rng.IntN(4) {
		if i > 0 {
			g.emit(",")
		}
		item()
	}
}
