package rag

import (
	"math"
	"slices"
	"strings"

	"takehome/metric/retrieval"
)

// Scoring of generated answers beyond SQuAD EM/F1 (E.2.3, E.2.4): numeric
// match, nuggets and selective answering. Conventions (stated in METRICS.md):
//
// numericMatch: the answer's first quantity equals one gold quantity, |Δ| ≤
// 1e-9·max(1, |gold|), and agrees on every unit part the gold states: its
// currency, its measure, its set of rate qualifiers. The answer may state
// more than the gold ("€19 per seat per month" matches gold "€19") but not
// less ("12 USD" does not match gold "$12 per seat per month"; list a bare
// alias in the fact base when the unit may be left out). Golds that hold no
// number are skipped.

// numericMatch reports whether the answer's first quantity is one of the
// gold quantities in value and in every unit part that gold states.
func numericMatch(answer string, gold []string) bool {
	a, ok := parseQuantity(answer)
	if !ok {
		return false
	}
	for _, g := range gold {
		q, ok := parseQuantity(g)
		if ok && math.Abs(a.Value-q.Value) <= 1e-9*max(1, math.Abs(q.Value)) && unitAgrees(q, a) {
			return true
		}
	}
	return false
}

// unitAgrees: the answer states every unit part the gold states.
func unitAgrees(gold, ans quantity) bool {
	return (gold.Currency == "" || gold.Currency == ans.Currency) &&
		(gold.Measure == "" || gold.Measure == ans.Measure) &&
		(len(gold.Per) == 0 || slices.Equal(gold.Per, ans.Per))
}

// Nuggets are the facts a multi-part answer must contain (nuggetizer's
// strict scores with string matching in place of the LLM assigner). A
// nugget is present when its text or one of its aliases, SQuAD-normalized,
// occurs in the normalized answer as a run of whole tokens: "audit" does not
// match "auditor" and "SSO" does not match "SSOs" (no plural tolerance; put
// plurals in the aliases). Normalization drops punctuation without a space,
// so "SSO-based" is the one token "ssobased". A nugget that normalizes to
// nothing is never present.

// Nugget is one fact value a gold answer must contain.
type Nugget struct {
	Text    string   `json:"text"`
	Vital   bool     `json:"vital"`
	Aliases []string `json:"aliases,omitempty"`
}

// nuggetScore is the share of vital nuggets present in answer (nuggetizer's
// strict_vital) and the share of all nuggets present (strict_all). A share
// over no nuggets is NaN: undefined, to be left out of means (see
// meanDefined), never 0 or 1.
func nuggetScore(answer string, nuggets []Nugget) (vitalRecall, allRecall float64) {
	norm := retrieval.NormalizeAnswer(answer)
	var vital, vitalHit, hit int
	for _, n := range nuggets {
		present := nuggetPresent(norm, n)
		if n.Vital {
			vital++
			vitalHit += boolInt(present)
		}
		hit += boolInt(present)
	}
	return fraction(vitalHit, vital), fraction(hit, len(nuggets))
}

func nuggetPresent(normAnswer string, n Nugget) bool {
	for _, s := range append([]string{n.Text}, n.Aliases...) {
		if hasPhrase(normAnswer, s) {
			return true
		}
	}
	return false
}

// hasPhrase reports whether phrase, normalized, occurs in the normalized
// text norm as whole tokens.
func hasPhrase(norm, phrase string) bool {
	p := retrieval.NormalizeAnswer(phrase)
	return p != "" && strings.Contains(" "+norm+" ", " "+p+" ")
}

// fraction is a/b, NaN when b is 0.
func fraction(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// divide is sum/n, NaN when n is 0.
func divide(sum float64, n int) float64 {
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// meanDefined is the mean of the values of xs that are not NaN, and how
// many there were; the mean is NaN when there were none.
func meanDefined(xs []float64) (float64, int) {
	sum, n := 0.0, 0
	for _, x := range xs {
		if !math.IsNaN(x) {
			sum, n = sum+x, n+1
		}
	}
	return divide(sum, n), n
}

// Selective answering (E.2.4). The caller decides what "correct" means for
// a query kind (EM, numericMatch, nugget_strict_vital = 1) and passes an
// answer refused in words (see refused) as abstained.

// selectiveCost is a query's selective-answering score: a correct answer
// +1, an abstention 0 (on any query), a wrong answer −1, and any answer to
// an unanswerable query −2 (a hallucination). A perfect system thus scores
// the answerable share, not 1; "answer everything" and "abstain everywhere"
// both score visibly lower.
func selectiveCost(correct, abstained, answerable bool) float64 {
	switch {
	case abstained:
		return 0
	case !answerable:
		return -2
	case correct:
		return 1
	}
	return -1
}

// SelectiveOutcome is how one query went, for the selective summary.
type SelectiveOutcome struct {
	Answerable, Abstained, Correct bool
}

// SelectiveResult sums up selective answering over queries. Shares over
// nothing are NaN.
type SelectiveResult struct {
	Queries          int
	Cost             float64 // mean selectiveCost
	Coverage         float64 // answered / queries
	AnsweredAccuracy float64 // correct answers / answered; an answer to an unanswerable query is wrong
	AbstainPrecision float64 // abstentions on unanswerable queries / abstentions
	AbstainRecall    float64 // abstentions on unanswerable queries / unanswerable queries
}

// selectiveSummary computes cost, coverage, accuracy on the answered
// queries and the precision and recall of abstaining.
func selectiveSummary(outs []SelectiveOutcome) SelectiveResult {
	cost := 0.0
	var answered, right, abstained, rightAbstain, unanswerable int
	for _, o := range outs {
		cost += selectiveCost(o.Correct, o.Abstained, o.Answerable)
		unanswerable += boolInt(!o.Answerable)
		if o.Abstained {
			abstained++
			rightAbstain += boolInt(!o.Answerable)
			continue
		}
		answered++
		right += boolInt(o.Answerable && o.Correct)
	}
	return SelectiveResult{
		Queries:          len(outs),
		Cost:             divide(cost, len(outs)),
		Coverage:         fraction(answered, len(outs)),
		AnsweredAccuracy: fraction(right, answered),
		AbstainPrecision: fraction(rightAbstain, abstained),
		AbstainRecall:    fraction(rightAbstain, unanswerable),
	}
}
