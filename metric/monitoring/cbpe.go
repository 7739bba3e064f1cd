package monitoring

import (
	"cmp"
	"math"
	"slices"
)

// CBPE is NannyML's confidence-based performance estimate of the ROC AUC
// from calibrated probabilities, without labels. Each score p counts as p
// of a positive and 1 − p of a negative, so at a threshold t the expected
// true positives are Σ_{p ≥ t} p and the expected false positives
// Σ_{p ≥ t} (1 − p). The estimate is the trapezoid under the expected ROC
// from (0, 0) to (1, 1), equivalently
//
//	Σ_{i,j} p_i (1 − p_j) ([s_i > s_j] + ½ [s_i = s_j]) / (Σ p · Σ (1 − p)),
//
// the i = j terms included. Ties: rows are stepped one at a time in
// descending order (as NannyML 0.10+ does); tied rows have equal p, so the
// order within a tie does not change the sum and the result equals grouping
// each tie into one threshold. Unlike NannyML the cumulative sums are not
// rounded to 5 decimals. ok is false when Σ p or Σ (1 − p) is 0 (all
// scores 0 or all 1, or none) or when a score is NaN or outside [0, 1].
//
// It is accurate only as far as NannyML's assumptions hold: calibrated
// scores and no concept drift. Under label shift (P(y|x) changes) it keeps
// estimating the old AUC.
func CBPE(scores []float64) (auc float64, ok bool) {
	p := slices.Clone(scores)
	for _, v := range p {
		if !(v >= 0 && v <= 1) {
			return 0, false
		}
	}
	slices.SortFunc(p, func(a, b float64) int { return cmp.Compare(b, a) })
	var area, tp, fp float64
	for _, v := range p {
		area += (1 - v) * (tp + v/2)
		tp += v
		fp += 1 - v
	}
	if tp == 0 || fp == 0 {
		return 0, false
	}
	return area / (tp * fp), true
}

// EstimationMAE is the mean |EstimatedAUC − RealizedAUC| over the weeks
// that have both; n is their number and mae is 0 when n is 0. A week
// without an estimate is skipped: the grader fills a missing week.json
// with the previous estimate (E.1.1) before calling it.
func EstimationMAE(weeks []Week) (mae float64, n int) {
	return meanError(weeks, func(w Week) (float64, bool) {
		if w.EstimatedAUC == nil {
			return 0, false
		}
		return *w.EstimatedAUC, true
	})
}

// ConstantMAE is the mean |estimate − RealizedAUC| over the weeks with a
// realized AUC: baseline (a) of E.1.4, "assuming no change", with the
// candidate's expected_score as estimate.
func ConstantMAE(weeks []Week, estimate float64) (mae float64, n int) {
	return meanError(weeks, func(Week) (float64, bool) { return estimate, true })
}

// CBPEMAE is the mean |CBPE(Scores) − RealizedAUC| over the weeks with a
// realized AUC and a defined CBPE: baseline (b) of E.1.4, NannyML on the
// candidate's own probabilities.
func CBPEMAE(weeks []Week) (mae float64, n int) {
	return meanError(weeks, func(w Week) (float64, bool) { return CBPE(w.Scores) })
}

// meanError is the mean absolute error of estimate against RealizedAUC
// over the weeks where both are defined.
func meanError(weeks []Week, estimate func(Week) (float64, bool)) (mae float64, n int) {
	var sum float64
	for _, w := range weeks {
		if w.RealizedAUC == nil {
			continue
		}
		if e, ok := estimate(w); ok {
			sum += math.Abs(e - *w.RealizedAUC)
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return sum / float64(n), n
}
