package monitoring

import (
	"math"

	"takehome/metric/classify"
)

// Harm compares the served scores of some weeks with those of the
// baseline weeks (E.1.3's candidate-specific performance events): the
// weeks harmed the model when their pooled ROC AUC fell, or their pooled
// log loss rose, past a margin that sampling noise alone rarely crosses.
type Harm struct {
	AUC, BaseAUC         float64 // pooled ROC AUC of the weeks and of the baseline
	AUCMargin            float64 // max(0.05, 2.5 · SE of the difference), Hanley–McNeil SEs
	LogLoss, BaseLogLoss float64 // pooled mean log loss (classify's convention)
	LogLossMargin        float64 // max(10 % of the baseline, 2.5 · SE of the difference of means)
	ByAUC, ByLogLoss     bool    // which measure fell past its margin
}

// Harmed reports whether it did, by either measure.
func (h Harm) Harmed() bool { return h.ByAUC || h.ByLogLoss }

// Harm margins: a fall of an AUC by less than minAUCDrop is not a harm
// worth an alert whatever the sample size, and a week of 2,000 rows at 8 %
// churn has an AUC SE near 0.02, so 2.5 SE is about 0.07 per pair of weeks.
const (
	minAUCDrop     = 0.05
	minLogLossRise = 0.10 // relative to the baseline's
	marginSEs      = 2.5
)

// Compare pools the scores and labels of the weeks and of the baseline
// weeks and measures the harm. ok is false when either pool has a single
// class.
func Compare(base, weeks []Week) (h Harm, ok bool) {
	by, bp := pool(base)
	y, p := pool(weeks)
	var okBase, okWeeks bool
	if h.BaseAUC, okBase = classify.ROCAUC(by, bp); !okBase {
		return h, false
	}
	if h.AUC, okWeeks = classify.ROCAUC(y, p); !okWeeks {
		return h, false
	}
	h.AUCMargin = max(minAUCDrop, marginSEs*math.Hypot(hanleyMcNeil(h.AUC, y), hanleyMcNeil(h.BaseAUC, by)))
	var seBase, seWeeks float64
	h.BaseLogLoss, seBase = meanLogLoss(by, bp)
	h.LogLoss, seWeeks = meanLogLoss(y, p)
	h.LogLossMargin = max(minLogLossRise*h.BaseLogLoss, marginSEs*math.Hypot(seBase, seWeeks))
	h.ByAUC = h.AUC < h.BaseAUC-h.AUCMargin
	h.ByLogLoss = h.LogLoss > h.BaseLogLoss+h.LogLossMargin
	return h, true
}

func pool(weeks []Week) (y []bool, p []float64) {
	for _, w := range weeks {
		y, p = append(y, w.Labels...), append(p, w.Scores...)
	}
	return y, p
}

// hanleyMcNeil is the standard error of an ROC AUC of a on the labels
// (Hanley and McNeil 1982, exponential approximation of Q1 and Q2).
func hanleyMcNeil(a float64, y []bool) float64 {
	var pos float64
	for _, v := range y {
		if v {
			pos++
		}
	}
	neg := float64(len(y)) - pos
	q1, q2 := a/(2-a), 2*a*a/(1+a)
	return math.Sqrt((a*(1-a) + (pos-1)*(q1-a*a) + (neg-1)*(q2-a*a)) / (pos * neg))
}

// meanLogLoss is the mean log loss of the rows and its standard error,
// probabilities clipped as classify's log loss clips them.
func meanLogLoss(y []bool, p []float64) (mean, se float64) {
	const eps = 2.220446049250313e-16
	var sum, sq float64
	for i, v := range p {
		q := min(max(v, eps), 1-eps)
		if !y[i] {
			q = 1 - q
		}
		l := -math.Log(q)
		sum, sq = sum+l, sq+l*l
	}
	n := float64(len(p))
	mean = sum / n
	return mean, math.Sqrt(max(sq/n-mean*mean, 0) / n)
}
