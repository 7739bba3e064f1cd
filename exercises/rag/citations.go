package rag

import (
	"fmt"

	"takehome/metric/retrieval"
)

// Citation scoring (E.2.4, B.5). Conventions (stated in METRICS.md):
//
//   - A citation is a span of a document in code points (Python string
//     offsets), start inclusive, end exclusive. A bare doc id (start and end
//     absent, a transition form) is Span{DocID, -1, -1}.
//   - Only the first maxCitations citations of a query count; the rest are
//     ignored and counted. Duplicates are not merged: each takes a slot.
//   - Invalid: an unknown doc id, start < 0, end > the document's length,
//     start ≥ end, a span longer than maxCitationLen code points, or only one
//     of start and end absent. Invalid citations are counted and described,
//     and count in neither precision nor recall.
//   - A span citation supports a gold evidence span of the same document when
//     they share ≥ 1 code point and either the citation covers ≥ 50 % of the
//     gold span (2·overlap ≥ gold length) or the citation's text, normalized,
//     contains a normalized gold answer as whole tokens. The first condition
//     stops a one-character sliver of a long span from counting; the second
//     credits a short, exact citation inside a long gold span.
//   - A bare doc id supports at document level: every gold span in that
//     document. It is valid, counts as supporting in precision and recall,
//     is never attributable, outdated, nor counted in SpanRecall.
//   - Precision = supporting / valid citations; Recall = gold spans supported
//     by ≥ 1 citation / gold spans; both NaN when undefined.
//   - Attributable: some supporting span citation contains a gold answer
//     (normalized, whole tokens).
//   - Outdated: valid span citations overlapping a superseded-policy span by
//     ≥ 1 code point. Untrusted: valid citations (span or bare) into a
//     document marked untrusted (community posts, partner pages). Both are
//     counted apart and change neither precision nor recall.

// Citation caps.
const (
	maxCitations   = 5
	maxCitationLen = 1000
)

// Span is a cited or gold range of a document in code points, end
// exclusive; Start = End = -1 is a bare doc id. Evidence converts to it.
type Span struct {
	DocID string `json:"doc_id"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// bare reports whether s names a whole document.
func (s Span) bare() bool { return s.Start == -1 && s.End == -1 }

// spanOverlap is the number of code points a and b share.
func spanOverlap(a, b Span) int {
	if a.DocID != b.DocID || a.bare() || b.bare() {
		return 0
	}
	return max(0, min(a.End, b.End)-max(a.Start, b.Start))
}

// CitationGold is what the grader knows about one query's evidence.
type CitationGold struct {
	Evidence   []Span   // gold evidence spans
	Answers    []string // the gold answer and its aliases
	Superseded []Span   // spans stating a superseded policy version
}

// DocIndex is what citation scoring needs of the corpus.
type DocIndex struct {
	Len       map[string]int                            // code points per document
	Untrusted map[string]bool                           // community posts and partner pages
	Text      func(docID string, start, end int) string // code points [start, end) of a doc; called for valid spans only
}

// CitationResult is how one query's citations went. Counts are of the
// counted citations (the first maxCitations) unless said otherwise.
type CitationResult struct {
	Ignored      int // citations after the first maxCitations
	Valid        int
	Invalid      int
	Bare         int // valid bare doc ids
	Supporting   int // valid citations supporting ≥ 1 gold span, bare ones included
	Precision    float64
	Recall       float64 // gold spans supported by a span or a bare citation
	SpanRecall   float64 // gold spans supported by a span citation
	Attributable bool
	Outdated     int
	Untrusted    int
	Problems     []string // one line per invalid citation
}

// citationScore grades one query's citations against its gold.
func citationScore(cites []Span, gold CitationGold, docs DocIndex) CitationResult {
	var res CitationResult
	if len(cites) > maxCitations {
		res.Ignored, cites = len(cites)-maxCitations, cites[:maxCitations]
	}
	supported := make([]bool, len(gold.Evidence))
	spanSupported := make([]bool, len(gold.Evidence))
	for i, c := range cites {
		if err := checkCitation(c, docs.Len); err != nil {
			res.Invalid++
			res.Problems = append(res.Problems, fmt.Sprintf("citation %d: %v", i+1, err))
			continue
		}
		res.Valid++
		res.Untrusted += boolInt(docs.Untrusted[c.DocID])
		if c.bare() {
			res.Bare++
			res.Supporting += boolInt(markBare(c, gold.Evidence, supported))
			continue
		}
		hasAnswer := textHasAnswer(docs.Text(c.DocID, c.Start, c.End), gold.Answers)
		supports := markSpan(c, hasAnswer, gold.Evidence, supported, spanSupported)
		res.Supporting += boolInt(supports)
		res.Attributable = res.Attributable || (supports && hasAnswer)
		res.Outdated += boolInt(overlapsAny(c, gold.Superseded))
	}
	res.Precision = fraction(res.Supporting, res.Valid)
	res.Recall = fraction(countTrue(supported), len(gold.Evidence))
	res.SpanRecall = fraction(countTrue(spanSupported), len(gold.Evidence))
	return res
}

// checkCitation says why c is invalid, or nil.
func checkCitation(c Span, lens map[string]int) error {
	n, ok := lens[c.DocID]
	switch {
	case !ok:
		return fmt.Errorf("unknown doc_id %q", clip(c.DocID, 60))
	case c.bare():
		return nil
	case c.Start == -1 || c.End == -1:
		return fmt.Errorf("doc_id %s needs both start and end, or neither", c.DocID)
	case c.Start < 0 || c.End > n || c.Start >= c.End:
		return fmt.Errorf("span [%d, %d) is outside doc_id %s, whose text has %d characters", c.Start, c.End, c.DocID, n)
	case c.End-c.Start > maxCitationLen:
		return fmt.Errorf("span [%d, %d) of doc_id %s has %d characters, more than %d", c.Start, c.End, c.DocID, c.End-c.Start, maxCitationLen)
	}
	return nil
}

// markBare marks the gold spans in the bare citation's document as
// supported and reports whether there were any.
func markBare(c Span, gold []Span, supported []bool) bool {
	found := false
	for i, g := range gold {
		if g.DocID == c.DocID {
			supported[i], found = true, true
		}
	}
	return found
}

// markSpan marks the gold spans the span citation c supports and reports
// whether there were any.
func markSpan(c Span, hasAnswer bool, gold []Span, supported, spanSupported []bool) bool {
	found := false
	for i, g := range gold {
		o := spanOverlap(c, g)
		if o > 0 && (2*o >= g.End-g.Start || hasAnswer) {
			supported[i], spanSupported[i], found = true, true, true
		}
	}
	return found
}

// textHasAnswer reports whether text holds a gold answer as whole
// normalized tokens.
func textHasAnswer(text string, answers []string) bool {
	norm := retrieval.NormalizeAnswer(text)
	for _, a := range answers {
		if hasPhrase(norm, a) {
			return true
		}
	}
	return false
}

func overlapsAny(c Span, spans []Span) bool {
	for _, s := range spans {
		if spanOverlap(c, s) > 0 {
			return true
		}
	}
	return false
}

func countTrue(bs []bool) int {
	n := 0
	for _, b := range bs {
		n += boolInt(b)
	}
	return n
}
