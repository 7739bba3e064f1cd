package monitoring

import (
	"cmp"
	"slices"
)

// Contacted is how many of n rows the retention team contacts: the top
// 10 %, rounded up, ⌈n/10⌉, computed in integers ((n+9)/10) because
// 0.1·n is not exact in floating point (0.1·30 > 3).
func Contacted(n int) int { return (n + 9) / 10 }

// BusinessValue is the value of one week's served scores (NannyML's
// business value, E.1.4): the Contacted(n) highest-scoring rows are
// contacted and value = vSave·TP − cContact·(TP+FP), TP being the
// contacted rows that churned. Tied scores are broken by the lower index
// first, so the value depends only on the inputs; NaN scores rank last.
// Scores and labels must have the same length (a mismatch panics).
func BusinessValue(scores []float64, labels []bool, vSave, cContact float64) float64 {
	if len(scores) != len(labels) {
		panic("monitoring: scores and labels have different lengths")
	}
	order := make([]int, len(scores))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(scores[b], scores[a]) })
	k := Contacted(len(scores))
	tp := 0
	for _, i := range order[:k] {
		if labels[i] {
			tp++
		}
	}
	return vSave*float64(tp) - cContact*float64(k)
}

// StreamValue sums BusinessValue over the weeks of s that have labels,
// for the served scores and for the frozen model's scores on the same
// rows (the counterfactual: served − frozen is what the candidate's
// retraining earned). hasFrozen is false, and frozen 0, when s has no
// FrozenScores; a labelled week without frozen scores of its length
// panics.
func StreamValue(s Stream, vSave, cContact float64) (served, frozen float64, hasFrozen bool) {
	hasFrozen = s.FrozenScores != nil
	for i, w := range s.Weeks {
		if len(w.Labels) == 0 {
			continue
		}
		served += BusinessValue(w.Scores, w.Labels, vSave, cContact)
		if hasFrozen {
			if i >= len(s.FrozenScores) {
				panic("monitoring: a labelled week has no frozen scores")
			}
			frozen += BusinessValue(s.FrozenScores[i], w.Labels, vSave, cContact)
		}
	}
	return served, frozen, hasFrozen
}
