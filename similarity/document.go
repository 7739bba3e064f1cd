package similarity

import (
	"math"
	"path"
	"slices"
	"strings"
)

// MaxFileBytes is the largest file Fingerprint reads; larger files are
// generated or vendored, and skipping them bounds the lexing cost.
const MaxFileBytes = 1 << 20

// File is one source file of a submission.
type File struct {
	Path string // slash-separated path inside the submission
	Src  []byte
}

// Document is the fingerprint of one submission.
type Document struct {
	// Files are the paths fingerprinted, in order; Kgram.File indexes it.
	Files []string
	// Kgrams are the fingerprints in token order.
	Kgrams []Kgram
	// Tokens is the number of normalised tokens in all files.
	Tokens int
	// TemplateTokens is the number of those tokens covered by fingerprints
	// that Without removed as starter code. It misses up to W-1 tokens at
	// each edge of a template region, so it slightly undercounts.
	TemplateTokens int
	// TemplateKgrams is the number of fingerprints Without removed.
	TemplateKgrams int
	// K is the k-gram length the document was fingerprinted with.
	K int
}

// OwnTokens is the number of normalised tokens not covered by starter code.
func (d Document) OwnTokens() int {
	return d.Tokens - d.TemplateTokens
}

// Fingerprint tokenizes and winnows the Python files of a submission: the
// files ending in .py, in path order, skipping files over MaxFileBytes and
// those under virtual environments, site-packages, __pycache__ or
// node_modules. K-grams never span two files.
func Fingerprint(files []File, cfg Config) Document {
	cfg = cfg.withDefaults()
	doc := Document{K: cfg.K}
	for _, f := range pythonFiles(files) {
		if !doc.add(f.Path, Tokenize(f.Src), cfg) {
			break
		}
	}
	return doc
}

// add winnows one file's tokens into d. It reports false, adding nothing,
// when the tokens would overflow the 32-bit offsets.
func (d *Document) add(path string, toks []Token, cfg Config) bool {
	if d.Tokens+len(toks) > math.MaxInt32 {
		return false
	}
	file := int32(len(d.Files))
	d.Files = append(d.Files, path)
	hashes := kgramHashes(symbols(toks), cfg.K)
	for _, p := range winnow(hashes, cfg.W) {
		d.Kgrams = append(d.Kgrams, Kgram{
			Hash:   hashes[p],
			Offset: int32(d.Tokens + p),
			File:   file,
			First:  int32(toks[p].Line),
			Last:   int32(toks[p+cfg.K-1].EndLine),
		})
	}
	d.Tokens += len(toks)
	return true
}

// symbols hashes each token's text.
func symbols(toks []Token) []uint64 {
	out := make([]uint64, len(toks))
	for i, t := range toks {
		out[i] = symbolHash(t.Text)
	}
	return out
}

// skippedDirs hold code a candidate did not write.
var skippedDirs = map[string]bool{
	"venv": true, ".venv": true, "site-packages": true, "__pycache__": true,
	"node_modules": true, ".git": true, ".tox": true,
}

// pythonFiles returns the files Fingerprint reads, sorted by path.
func pythonFiles(files []File) []File {
	var out []File
	for _, f := range files {
		if !strings.EqualFold(path.Ext(f.Path), ".py") || len(f.Src) > MaxFileBytes {
			continue
		}
		if slices.ContainsFunc(strings.Split(f.Path, "/"), func(dir string) bool { return skippedDirs[dir] }) {
			continue
		}
		out = append(out, f)
	}
	slices.SortStableFunc(out, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// Template is the starter code of an exercise: every k-gram of it, not only
// the winnowed ones, so that a copied starter region is removed whole even
// where the submission's windows select other k-grams than the template's.
type Template struct {
	k      int
	hashes map[uint64]struct{}
}

// NewTemplate fingerprints the starter kit's Python files (chosen as
// Fingerprint chooses them). Use the same Config as for the submissions.
func NewTemplate(files []File, cfg Config) Template {
	cfg = cfg.withDefaults()
	t := Template{k: cfg.K, hashes: map[uint64]struct{}{}}
	for _, f := range pythonFiles(files) {
		for _, h := range kgramHashes(symbols(Tokenize(f.Src)), cfg.K) {
			t.hashes[h] = struct{}{}
		}
	}
	return t
}

// Len is the number of distinct k-grams in the template.
func (t Template) Len() int {
	return len(t.hashes)
}

// Contains reports whether a k-gram hash occurs in the template.
func (t Template) Contains(hash uint64) bool {
	_, ok := t.hashes[hash]
	return ok
}

// Without returns d without the fingerprints that occur in the template,
// counting them in TemplateKgrams and the tokens they cover in
// TemplateTokens. A template built with another K matches nothing, so d is
// returned unchanged.
func (d Document) Without(t Template) Document {
	if len(t.hashes) == 0 || t.k != d.K {
		return d
	}
	out := d
	out.Kgrams = make([]Kgram, 0, len(d.Kgrams))
	coverEnd := int32(-1) // end of the union of removed k-grams so far
	for _, g := range d.Kgrams {
		if !t.Contains(g.Hash) {
			out.Kgrams = append(out.Kgrams, g)
			continue
		}
		out.TemplateKgrams++
		start, end := max(g.Offset, coverEnd), g.Offset+int32(d.K)
		if end > start {
			out.TemplateTokens += int(end - start)
			coverEnd = end
		}
	}
	return out
}
