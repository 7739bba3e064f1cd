package tabular

import "math"

// scoreParts is the 0–100 score and its three terms, as the brief states:
//
//	60 × clamp((AUC − 0.5) / (AUC_ref − 0.5), 0, 1)
//	+ 20 × clamp(1 − ECE / 0.10, 0, 1)
//	+ 20 × clamp(1 − |expected_score − AUC| / 0.10, 0, 1)
type scoreParts struct {
	Discrimination float64 `json:"discrimination"` // of 60
	Calibration    float64 `json:"calibration"`    // of 20
	Honesty        float64 `json:"honesty"`        // of 20
	Total          float64 `json:"total"`
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

// computeScore applies the formula. A nil AUC (one class only) earns no
// discrimination or honesty points; a nil expected score no honesty points.
func computeScore(auc, ref *float64, ece float64, expected *float64) scoreParts {
	var s scoreParts
	if auc != nil && ref != nil && *ref > 0.5 {
		s.Discrimination = 60 * clamp01((*auc-0.5)/(*ref-0.5))
	}
	s.Calibration = 20 * clamp01(1-ece/0.10)
	if auc != nil && expected != nil {
		s.Honesty = 20 * clamp01(1-math.Abs(*expected-*auc)/0.10)
	}
	s.Total = s.Discrimination + s.Calibration + s.Honesty
	return s
}
