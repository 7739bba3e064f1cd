package tabular

import (
	"fmt"

	"takehome/exercises"
)

// findings are the report's plain sentences for the interviewer.
func findings(in exercises.ScoreInput, set labelled, ev evaluation, d *diagnostics) []string {
	block := "public block (training period)"
	if in.Set.Name == exercises.SetHidden {
		block = "hidden block (later months)"
	}
	m := ev.Metrics
	s := fmt.Sprintf("On the %s the ROC AUC is %s", block, f3(m.ROCAUC))
	if ev.AUC != nil {
		s += fmt.Sprintf(" (95%% interval %.3f–%.3f)", ev.AUC.Low, ev.AUC.High)
	}
	out := []string{s + fmt.Sprintf("; our clean reference model scores %s on the same rows.", f3(set.meta.Clean.ROCAUC))}
	out = append(out, calibrationFinding(set, ev))
	if d == nil {
		if in.ExpectedScore != nil && m.ROCAUC != nil {
			out = append(out, fmt.Sprintf("The candidate expects %.3f; this block gives %.3f (leak diagnostics run on final runs only).", *in.ExpectedScore, *m.ROCAUC))
		}
		return append(out, fmt.Sprintf("Score %.1f of 100: %.1f for ranking, %.1f for calibration, %.1f for an honest expected score.", ev.Score.Total, ev.Score.Discrimination, ev.Score.Calibration, ev.Score.Honesty))
	}
	for _, l := range d.Leaks {
		out = append(out, leakFinding(l))
	}
	out = append(out, gapFinding(d.Gap))
	if d.Honesty != nil {
		out = append(out, fmt.Sprintf("The candidate expected a ROC AUC of %.3f and got %.3f: off by %.3f.", *in.ExpectedScore, *m.ROCAUC, *d.Honesty))
	} else {
		out = append(out, "The candidate declared no expected score.")
	}
	return append(out, fmt.Sprintf("Score %.1f of 100: %.1f for ranking, %.1f for calibration, %.1f for an honest expected score.", ev.Score.Total, ev.Score.Discrimination, ev.Score.Calibration, ev.Score.Honesty))
}

func calibrationFinding(set labelled, ev evaluation) string {
	churned, mean := 0.0, 0.0
	for _, b := range ev.Reliability.Bins {
		churned += b.FractionPositive * float64(b.Count)
		mean += b.MeanPredicted * float64(b.Count)
	}
	n := float64(len(set.y))
	return fmt.Sprintf("Predicted probabilities average %.3f where %.3f of accounts churned; the expected calibration error is %.3f.", mean/n, churned/n, ev.Reliability.ECE)
}

func leakFinding(l leakDiagnostic) string {
	nums := fmt.Sprintf("Spearman %s, mean |Δp| %s, ΔAUC %s when it is permuted", f3(l.Spearman), f3(l.MeanDelta), f3(l.DeltaAUC))
	switch {
	case l.Flagged:
		return fmt.Sprintf("The model relies on the leaky column %s (%s).", l.Column, nums)
	case l.Problem != "":
		return fmt.Sprintf("No ablation for %s: %s; Spearman %s.", l.Column, l.Problem, f3(l.Spearman))
	default:
		return fmt.Sprintf("No sign the model uses the leaky column %s (%s).", l.Column, nums)
	}
}

func gapFinding(g gap) string {
	if g.Public == nil || g.Hidden == nil {
		return fmt.Sprintf("No public-to-hidden comparison: %s.", g.Problem)
	}
	ref := "unknown"
	if g.ReferenceGap != nil {
		ref = fmt.Sprintf("%.3f", *g.ReferenceGap)
	}
	return fmt.Sprintf("From the public block to the hidden one the ROC AUC went from %.3f to %.3f (a drop of %.3f); the clean reference dropped by %s.", *g.Public, *g.Hidden, *g.Public-*g.Hidden, ref)
}
