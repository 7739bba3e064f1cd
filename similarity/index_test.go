package similarity

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// randomTokens returns n tokens from an alphabet large enough that two
// calls never share a k-gram by chance, eight to a line.
func randomTokens(rng *rand.Rand, n int) []Token {
	out := make([]Token, n)
	for i := range out {
		line := i/8 + 1
		out[i] = Token{Text: fmt.Sprintf("t%d", rng.IntN(1_000_000)), Line: line, EndLine: line}
	}
	return out
}

// tokenDoc fingerprints token streams as the files of one document.
func tokenDoc(files ...[]Token) Document {
	cfg := Config{}.withDefaults()
	doc := Document{K: cfg.K}
	for i, toks := range files {
		relined := make([]Token, len(toks))
		for j, tok := range toks { // number lines as the concatenation would
			tok.Line, tok.EndLine = j/8+1, j/8+1
			relined[j] = tok
		}
		doc.add(fmt.Sprintf("f%d.py", i), relined, cfg)
	}
	return doc
}

// bruteCandidates compares doc with every earlier document directly.
func bruteCandidates(earlier []Document, doc Document, maxShare float64) ([]Match, int) {
	df := map[uint64]int{}
	for _, e := range earlier {
		for h := range hashCounts(e.Kgrams) {
			df[h]++
		}
	}
	common := func(h uint64) bool {
		return len(earlier) >= MinCommonDocs && float64(df[h]) > maxShare*float64(len(earlier))
	}
	counts := hashCounts(doc.Kgrams)
	ignored := 0
	for h, c := range counts {
		if common(h) {
			ignored += int(c)
		}
	}
	var out []Match
	for id, e := range earlier {
		shared := 0
		for h, c := range hashCounts(e.Kgrams) {
			if !common(h) {
				shared += int(min(c, counts[h]))
			}
		}
		if shared > 0 {
			out = append(out, Match{ID: int64(id), Shared: shared, Kgrams: len(e.Kgrams)})
		}
	}
	slices.SortFunc(out, func(a, b Match) int {
		return cmp.Or(cmp.Compare(b.Shared, a.Shared), cmp.Compare(a.ID, b.ID))
	})
	return out, ignored
}

// TestIndexMatchesBruteForce: on 60 synthetic documents with shared
// boilerplate and copied blocks, each document's candidates among the
// earlier ones are exactly those a pairwise scan finds, with the same counts.
func TestIndexMatchesBruteForce(t *testing.T) {
	docs := SyntheticDocuments(60, 80, 42, Config{})
	for _, maxShare := range []float64{0.5, 0.2, 1} {
		ix := NewIndex(maxShare)
		someIgnored, someMatched := false, false
		for i, doc := range docs {
			got, gotIgnored := ix.Candidates(doc)
			want, wantIgnored := bruteCandidates(docs[:i], doc, maxShare)
			if diff := gocmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" || gotIgnored != wantIgnored {
				t.Fatalf("maxShare %v, document %d: ignored %d, want %d; candidates (-want +got):\n%s",
					maxShare, i, gotIgnored, wantIgnored, diff)
			}
			someIgnored = someIgnored || gotIgnored > 0
			someMatched = someMatched || len(got) > 0
			if err := ix.Add(int64(i), doc); err != nil {
				t.Fatal(err)
			}
		}
		if !someMatched || (maxShare == 0.2 && !someIgnored) {
			t.Errorf("maxShare %v: the test data exercise too little (matched %v, ignored %v)", maxShare, someMatched, someIgnored)
		}
		if st := ix.Stats(); st.Docs != 60 || st.Postings < st.Hashes || st.Lists == 0 {
			t.Errorf("Stats() = %+v", st)
		}
	}
}

// TestIndexCommonIgnored: a block present in all 12 indexed documents is
// boilerplate, ignored by Candidates and, through IsCommon, by Compare;
// with 9 documents there are too few to tell, and it counts.
func TestIndexCommonIgnored(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	common := randomTokens(rng, 300)
	build := func(n int) *Index {
		ix := NewIndex(0)
		for i := range n {
			if err := ix.Add(int64(i), tokenDoc(slices.Concat(randomTokens(rng, 400), common))); err != nil {
				t.Fatal(err)
			}
		}
		return ix
	}
	doc := tokenDoc(slices.Concat(common, randomTokens(rng, 400)))
	commonKgrams := len(tokenDoc(common).Kgrams)

	ix := build(12)
	matches, ignored := ix.Candidates(doc)
	if len(matches) != 0 {
		t.Errorf("12 documents: %d candidates share only common code, want none", len(matches))
	}
	if ignored < commonKgrams-2 || ignored > commonKgrams+2 {
		t.Errorf("12 documents: ignored %d fingerprints, want about %d", ignored, commonKgrams)
	}
	other := tokenDoc(slices.Concat(randomTokens(rng, 100), common))
	if p := Compare(doc, other, ix.IsCommon); p.Similarity != 0 || p.LeftIgnored != ignored {
		t.Errorf("Compare with IsCommon: similarity %.2f, left ignored %d, want 0 and %d", p.Similarity, p.LeftIgnored, ignored)
	}

	ix = build(9)
	matches, ignored = ix.Candidates(doc)
	if len(matches) != 9 || ignored != 0 {
		t.Errorf("9 documents: %d candidates and %d ignored, want 9 and 0", len(matches), ignored)
	}
}

func TestIndexDuplicate(t *testing.T) {
	ix := NewIndex(0)
	doc := SyntheticDocuments(1, 50, 1, Config{})[0]
	if err := ix.Add(7, doc); err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(7, doc); !errors.Is(err, ErrDuplicate) {
		t.Errorf("second Add = %v, want ErrDuplicate", err)
	}
	matches, _ := ix.Candidates(doc)
	if len(matches) != 1 || matches[0].ID != 7 || matches[0].Shared != len(doc.Kgrams) {
		t.Errorf("Candidates of an indexed document = %+v", matches)
	}
	if e := matches[0].Estimate(len(doc.Kgrams)); e != 1 {
		t.Errorf("Estimate for itself = %v, want 1", e)
	}
}
