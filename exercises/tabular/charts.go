package tabular

import (
	"takehome/exercises"
	"takehome/metric/classify"
)

// charts draws the ROC and precision-recall curves and the reliability
// curve, each with the line a model without skill would follow.
func charts(set labelled, ev evaluation) []exercises.Chart {
	prev := 0.0
	for _, y := range set.y {
		prev += b2f(y)
	}
	prev /= float64(len(set.y))
	var bins []exercises.Point
	for _, b := range ev.Reliability.Bins {
		bins = append(bins, exercises.Point{X: b.MeanPredicted, Y: b.FractionPositive})
	}
	diagonal := exercises.Series{Name: "chance", Points: []exercises.Point{{X: 0, Y: 0}, {X: 1, Y: 1}}}
	return []exercises.Chart{
		{ID: "roc", Title: "ROC curve", Kind: "line", XLabel: "false positive rate", YLabel: "true positive rate",
			Series: []exercises.Series{{Name: "model", Points: points(ev.roc)}, diagonal}},
		{ID: "pr", Title: "Precision–recall curve", Kind: "line", XLabel: "recall", YLabel: "precision",
			Series: []exercises.Series{{Name: "model", Points: points(ev.pr)},
				{Name: "prevalence", Points: []exercises.Point{{X: 0, Y: prev}, {X: 1, Y: prev}}}}},
		{ID: "reliability", Title: "Reliability (10 bins)", Kind: "line", XLabel: "mean predicted probability", YLabel: "fraction churned",
			Series: []exercises.Series{{Name: "model", Points: bins},
				{Name: "perfectly calibrated", Points: diagonal.Points}}},
	}
}

// maxCurvePoints keeps charts light; the curve's shape survives thinning.
const maxCurvePoints = 400

func points(curve []classify.Point) []exercises.Point {
	step := max(1, len(curve)/maxCurvePoints)
	var out []exercises.Point
	for i, p := range curve {
		if i%step == 0 || i == len(curve)-1 {
			out = append(out, exercises.Point{X: p.X, Y: p.Y})
		}
	}
	return out
}
