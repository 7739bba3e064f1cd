package tabular

import (
	"encoding/json"
	"fmt"

	"takehome/exercises"
	"takehome/metric/classify"
)

// Conventions, as the report states them.
const (
	convAUC   = "ROC AUC: trapezoid over distinct thresholds, ties count ½ (scikit-learn 1.2 roc_auc_score); 95% percentile bootstrap interval, 1,000 resamples, fixed seed"
	convAP    = "average precision: Σ (R_n − R_{n−1}) P_n, no interpolation (average_precision_score); 95% bootstrap interval as for AUC"
	convLL    = "log loss: mean negative log-likelihood, probabilities clipped to [eps, 1 − eps], eps = 2.220446049250313e-16 (log_loss)"
	convBrier = "Brier score: mean of (y − p)²"
	convECE   = "expected calibration error: 10 uniform bins closed on the right (calibration_curve), Σ n_b/n · |fraction positive − mean predicted|"
)

func ptr(v float64) *float64 { return &v }

func report(in exercises.ScoreInput, set labelled, ev evaluation, diag *diagnostics) exercises.Result {
	m := ev.Metrics
	ev.Expected = in.ExpectedScore
	ev.Score = computeScore(m.ROCAUC, set.meta.Clean.ROCAUC, ev.Reliability.ECE, in.ExpectedScore)
	headline := exercises.Metric{Name: "roc_auc", Value: m.ROCAUC, Convention: convAUC}
	if ev.AUC != nil {
		headline.Low, headline.High = &ev.AUC.Low, &ev.AUC.High
	}
	ap := exercises.Metric{Name: "average_precision", Value: m.AveragePrecision, Convention: convAP}
	if ev.AP != nil {
		ap.Low, ap.High = &ev.AP.Low, &ev.AP.High
	}
	res := exercises.Result{
		Valid:    true,
		Score:    ptr(ev.Score.Total),
		Headline: &headline,
		Metrics: []exercises.Metric{
			headline, ap,
			{Name: "log_loss", Value: ptr(m.LogLoss), Convention: convLL},
			{Name: "brier", Value: ptr(m.Brier), Convention: convBrier},
			{Name: "ece", Value: ptr(ev.Reliability.ECE), Convention: convECE},
			{Name: "reference_roc_auc", Value: set.meta.Clean.ROCAUC, Convention: "our clean reference (logistic regression on honest features) on the same rows"},
			{Name: "constant_log_loss", Value: ptr(ev.Constant.LogLoss), Convention: "the training churn rate predicted for every row"},
		},
		Charts: charts(set, ev),
		Tables: []exercises.Table{baselineTable(set, ev)},
	}
	res.Findings = findings(in, set, ev, diag)
	if diag != nil {
		res.Metrics = append(res.Metrics, diagMetrics(diag)...)
		res.Tables = append(res.Tables, leakTable(diag))
	}
	details, err := json.Marshal(struct {
		Set         string       `json:"set"`
		Evaluation  evaluation   `json:"evaluation"`
		Reference   setRefs      `json:"reference"`
		Diagnostics *diagnostics `json:"diagnostics,omitempty"`
	}{in.Set.Name, ev, setRefs{set.meta.Clean, set.meta.CleanPublic, set.meta.TrainPrevalence}, diag})
	if err == nil { // only NaN could fail here, and every number above is finite
		res.Details = details
	}
	return res
}

// setRefs are the reference numbers stored with the set.
type setRefs struct {
	Clean           classify.Report  `json:"clean_reference"`
	CleanPublic     *classify.Report `json:"clean_reference_public,omitempty"`
	TrainPrevalence float64          `json:"train_prevalence"`
}

func diagMetrics(d *diagnostics) []exercises.Metric {
	out := []exercises.Metric{
		{Name: "public_roc_auc", Value: d.Gap.Public, Convention: "the same model on the public block (training period)"},
	}
	if d.Gap.Public != nil && d.Gap.Hidden != nil {
		out = append(out, exercises.Metric{Name: "public_hidden_gap", Value: ptr(*d.Gap.Public - *d.Gap.Hidden), Convention: "public ROC AUC − hidden ROC AUC"})
	}
	out = append(out, exercises.Metric{Name: "reference_public_hidden_gap", Value: d.Gap.ReferenceGap, Convention: "the same gap for the clean reference"})
	if d.Honesty != nil {
		out = append(out, exercises.Metric{Name: "honesty_gap", Value: d.Honesty, Convention: "|expected_score − hidden ROC AUC|"})
	}
	return out
}

func f3(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", *v)
}

func baselineTable(set labelled, ev evaluation) exercises.Table {
	c, k := set.meta.Clean, ev.Constant
	return exercises.Table{
		Title:   "Against baselines on the same rows",
		Columns: []string{"model", "ROC AUC", "average precision", "log loss", "Brier"},
		Rows: [][]string{
			{"this submission", f3(ev.Metrics.ROCAUC), f3(ev.Metrics.AveragePrecision), f3(&ev.Metrics.LogLoss), f3(&ev.Metrics.Brier)},
			{"clean reference (logistic regression)", f3(c.ROCAUC), f3(c.AveragePrecision), f3(&c.LogLoss), f3(&c.Brier)},
			{fmt.Sprintf("constant %.3f (training churn rate)", set.meta.TrainPrevalence), f3(k.ROCAUC), f3(k.AveragePrecision), f3(&k.LogLoss), f3(&k.Brier)},
		},
	}
}

func leakTable(d *diagnostics) exercises.Table {
	t := exercises.Table{
		Title:     fmt.Sprintf("Leak diagnostics (flagged when mean |Δp| ≥ %g, |Spearman| ≥ %g or ΔAUC ≥ %g)", flagMeanDelta, flagSpearman, flagDeltaAUC),
		Columns:   []string{"column", "Spearman(prediction, column)", "mean |Δp| permuted", "ΔAUC permuted", "flagged", "note"},
		StaffOnly: true,
	}
	for _, l := range d.Leaks {
		flag := "no"
		if l.Flagged {
			flag = "yes"
		}
		t.Rows = append(t.Rows, []string{l.Column, f3(l.Spearman), f3(l.MeanDelta), f3(l.DeltaAUC), flag, l.Problem})
	}
	return t
}
