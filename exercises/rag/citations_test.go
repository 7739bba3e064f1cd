package rag

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// citationFixture is a corpus with one gold span G = d1 [1000, 1100) whose
// answer "30 days" sits at [1085, 1092), another mention of "30 days"
// outside it at [1500, 1507), and a superseded rule at d1 [2000, 2100).
// d1 starts with 1,000 two-byte runes, so byte offsets would be wrong.
func citationFixture(t *testing.T) (CitationGold, DocIndex) {
	t.Helper()
	gold := fmt.Sprintf("%-100s", strings.Repeat("lorem ", 13)+"within 30 days")
	other := fmt.Sprintf("%-400s", "the 30 days rule elsewhere")
	old := fmt.Sprintf("%-100s", "old rule: within 14 days")
	d1 := strings.Repeat("é", 1000) + gold + strings.Repeat(" ", 400) + other + old + strings.Repeat(" ", 900)
	texts := map[string][]rune{
		"d1": []rune(d1),
		"d2": []rune(strings.Repeat("filler ", 100)),
		"c1": []rune(strings.Repeat("community ", 40)),
	}
	if got := string(texts["d1"][1085:1092]); got != "30 days" {
		t.Fatalf("fixture: answer at [1085, 1092) is %q", got)
	}
	docs := DocIndex{
		Len:       map[string]int{},
		Untrusted: map[string]bool{"c1": true},
		Text:      func(id string, start, end int) string { return string(texts[id][start:end]) },
	}
	for id, rs := range texts {
		docs.Len[id] = len(rs)
	}
	g := CitationGold{
		Evidence:   []Span{{"d1", 1000, 1100}},
		Answers:    []string{"30 days"},
		Superseded: []Span{{"d1", 2000, 2100}},
	}
	return g, docs
}

func TestCitationScore(t *testing.T) {
	gold, docs := citationFixture(t)
	nan := math.NaN()
	miss := Span{"d2", 0, 10} // valid, supports nothing
	tests := []struct {
		name  string
		cites []Span
		want  CitationResult
	}{
		{"exact gold span", []Span{{"d1", 1000, 1100}},
			CitationResult{Valid: 1, Supporting: 1, Precision: 1, Recall: 1, SpanRecall: 1, Attributable: true}},
		{"one-character sliver", []Span{{"d1", 1000, 1001}},
			CitationResult{Valid: 1, Precision: 0, Recall: 0, SpanRecall: 0}},
		{"49 % coverage", []Span{{"d1", 1000, 1049}},
			CitationResult{Valid: 1, Precision: 0, Recall: 0, SpanRecall: 0}},
		{"50 % coverage", []Span{{"d1", 1000, 1050}},
			CitationResult{Valid: 1, Supporting: 1, Precision: 1, Recall: 1, SpanRecall: 1}},
		{"60 % coverage without the answer", []Span{{"d1", 960, 1060}},
			CitationResult{Valid: 1, Supporting: 1, Precision: 1, Recall: 1, SpanRecall: 1}},
		{"7 % coverage holding the answer", []Span{{"d1", 1085, 1092}},
			CitationResult{Valid: 1, Supporting: 1, Precision: 1, Recall: 1, SpanRecall: 1, Attributable: true}},
		{"answer cut in half", []Span{{"d1", 1086, 1092}},
			CitationResult{Valid: 1, Precision: 0, Recall: 0, SpanRecall: 0}},
		{"answer outside the gold span", []Span{{"d1", 1500, 1520}},
			CitationResult{Valid: 1, Precision: 0, Recall: 0, SpanRecall: 0}},
		{"1,000 characters", []Span{{"d1", 100, 1100}},
			CitationResult{Valid: 1, Supporting: 1, Precision: 1, Recall: 1, SpanRecall: 1, Attributable: true}},
		{"1,001 characters", []Span{{"d1", 99, 1100}},
			CitationResult{Invalid: 1, Precision: nan, Recall: 0, SpanRecall: 0,
				Problems: []string{"citation 1: span [99, 1100) of doc_id d1 has 1001 characters, more than 1000"}}},
		{"sixth citation ignored", []Span{miss, miss, miss, miss, miss, {"d1", 1000, 1100}},
			CitationResult{Ignored: 1, Valid: 5, Precision: 0, Recall: 0, SpanRecall: 0}},
		{"half supporting", []Span{miss, {"d1", 1000, 1100}},
			CitationResult{Valid: 2, Supporting: 1, Precision: 0.5, Recall: 1, SpanRecall: 1, Attributable: true}},
		{"bare doc id of a gold doc", []Span{{"d1", -1, -1}},
			CitationResult{Valid: 1, Bare: 1, Supporting: 1, Precision: 1, Recall: 1, SpanRecall: 0}},
		{"bare doc id of another doc", []Span{{"d2", -1, -1}},
			CitationResult{Valid: 1, Bare: 1, Precision: 0, Recall: 0, SpanRecall: 0}},
		{"outdated", []Span{{"d1", 2050, 2060}, {"d1", 1000, 1100}},
			CitationResult{Valid: 2, Supporting: 1, Precision: 0.5, Recall: 1, SpanRecall: 1, Attributable: true, Outdated: 1}},
		{"untrusted span and bare id", []Span{{"c1", 0, 50}, {"c1", -1, -1}},
			CitationResult{Valid: 2, Bare: 1, Precision: 0, Recall: 0, SpanRecall: 0, Untrusted: 2}},
		{"invalid ones", []Span{{"d9", 0, 5}, {"d2", 5, 5}, {"d2", 0, 701}, {"d2", -1, 5}, {"d2", -3, 5}},
			CitationResult{Invalid: 5, Precision: nan, Recall: 0, SpanRecall: 0, Problems: []string{
				`citation 1: unknown doc_id "d9"`,
				"citation 2: span [5, 5) is outside doc_id d2, whose text has 700 characters",
				"citation 3: span [0, 701) is outside doc_id d2, whose text has 700 characters",
				"citation 4: doc_id d2 needs both start and end, or neither",
				"citation 5: span [-3, 5) is outside doc_id d2, whose text has 700 characters",
			}}},
		{"none", nil, CitationResult{Precision: nan, Recall: 0, SpanRecall: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := citationScore(tt.cites, gold, docs)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateNaNs(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("citationScore(%v) (-want +got):\n%s", tt.cites, diff)
			}
		})
	}
}

func TestCitationRecallOverGoldSpans(t *testing.T) {
	gold, docs := citationFixture(t)
	gold.Evidence = append(gold.Evidence, Span{"d2", 0, 70})
	got := citationScore([]Span{{"d1", 1000, 1100}, {"d2", -1, -1}}, gold, docs)
	if got.Recall != 1 || got.SpanRecall != 0.5 || got.Precision != 1 {
		t.Errorf("two gold spans, one cited as a span and one as a bare id: recall %v, span recall %v, precision %v; want 1, 0.5, 1", got.Recall, got.SpanRecall, got.Precision)
	}
	got = citationScore([]Span{{"d1", 1000, 1100}}, gold, docs)
	if got.Recall != 0.5 {
		t.Errorf("one of two gold spans cited: recall %v, want 0.5", got.Recall)
	}
	gold.Evidence = nil
	if got := citationScore([]Span{{"d1", 1000, 1100}}, gold, docs); !math.IsNaN(got.Recall) || got.Precision != 0 {
		t.Errorf("no gold spans: recall %v, precision %v; want NaN, 0", got.Recall, got.Precision)
	}
}

func TestCitationEvidenceConverts(t *testing.T) {
	e := Evidence{DocID: "d1", Start: 3, End: 9}
	if s := Span(e); s != (Span{"d1", 3, 9}) {
		t.Errorf("Span(%v) = %v", e, s)
	}
}
