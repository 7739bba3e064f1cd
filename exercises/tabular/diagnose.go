package tabular

import (
	"math"
	"slices"

	"takehome/exercises"
	"takehome/metric/classify"
)

// The flag rule for leak reliance, calibrated on the reference submissions:
// a model that ignores a column moves no prediction when it is permuted and
// its Spearman correlation with it stays within chance (|ρ| ≈ 0.02 on a few
// thousand rows), while the leaky reference moves predictions by 0.03–0.3.
const (
	flagMeanDelta = 0.01
	flagSpearman  = 0.10
	flagDeltaAUC  = 0.02
)

// leakDiagnostic is what the probes say about one leaky column.
type leakDiagnostic struct {
	Column    string   `json:"column"`
	Spearman  *float64 `json:"spearman,omitempty"`       // prediction vs column, hidden rows
	MeanDelta *float64 `json:"mean_abs_delta,omitempty"` // mean |Δp| with the column permuted
	DeltaAUC  *float64 `json:"delta_roc_auc,omitempty"`  // AUC − AUC with the column permuted
	Flagged   bool     `json:"flagged"`                  // the flag rule above
	Problem   string   `json:"probe_problem,omitempty"`  // why the probe gave no numbers
}

// gap compares public and hidden AUC for the submission and the clean
// reference model.
type gap struct {
	Public       *float64 `json:"public_roc_auc,omitempty"`
	Hidden       *float64 `json:"hidden_roc_auc,omitempty"`
	ReferenceGap *float64 `json:"reference_gap,omitempty"`
	Problem      string   `json:"problem,omitempty"`
}

// diagnostics are the final-run extras.
type diagnostics struct {
	Leaks   []leakDiagnostic `json:"leaks"`
	Gap     gap              `json:"public_hidden_gap"`
	Honesty *float64         `json:"honesty_gap,omitempty"` // |expected − hidden AUC|
}

func diagnose(in exercises.ScoreInput, set labelled, p []float64, ev evaluation) *diagnostics {
	d := &diagnostics{Gap: publicGap(in, set, ev)}
	for _, col := range LeakyColumns {
		d.Leaks = append(d.Leaks, probe(in, set, p, ev, col))
	}
	if in.ExpectedScore != nil && ev.Metrics.ROCAUC != nil {
		h := math.Abs(*in.ExpectedScore - *ev.Metrics.ROCAUC)
		d.Honesty = &h
	}
	return d
}

func probe(in exercises.ScoreInput, set labelled, p []float64, ev evaluation, col string) leakDiagnostic {
	ld := leakDiagnostic{Column: col}
	var xs, ps []float64
	for i, r := range set.rows {
		if v := r.Leaks[col]; v != nil {
			xs, ps = append(xs, *v), append(ps, p[i])
		}
	}
	if rho, ok := spearman(ps, xs); ok {
		ld.Spearman = &rho
	}
	out, ran := in.Outputs[ProbeStep(col)]
	q, problem, err := readPredictions(out, set.ids)
	switch {
	case !ran:
		ld.Problem = "the probe run did not finish"
	case err != nil:
		ld.Problem = "the probe's predictions could not be read: " + err.Error()
	case problem != "":
		ld.Problem = "the probe's predictions were unusable: " + problem
	default:
		sum := 0.0
		for i := range p {
			sum += math.Abs(p[i] - q[i])
		}
		mean := sum / float64(len(p))
		ld.MeanDelta = &mean
		if auc, ok := classify.ROCAUC(set.y, q); ok && ev.Metrics.ROCAUC != nil {
			delta := *ev.Metrics.ROCAUC - auc
			ld.DeltaAUC = &delta
		}
	}
	ld.Flagged = over(ld.MeanDelta, flagMeanDelta) || over(ld.Spearman, flagSpearman) || over(ld.DeltaAUC, flagDeltaAUC)
	return ld
}

func over(v *float64, limit float64) bool { return v != nil && math.Abs(*v) >= limit }

func publicGap(in exercises.ScoreInput, set labelled, ev evaluation) gap {
	g := gap{Hidden: ev.Metrics.ROCAUC}
	if ref, pub := set.meta.Clean.ROCAUC, set.meta.CleanPublic; ref != nil && pub != nil && pub.ROCAUC != nil {
		v := *pub.ROCAUC - *ref
		g.ReferenceGap = &v
	}
	ids := make([]string, 0, len(set.meta.PublicLabels))
	for id := range set.meta.PublicLabels {
		ids = append(ids, id)
	}
	slices.Sort(ids) // the same sums in the same order every time
	out, ran := in.Outputs[probePublic]
	if !ran {
		g.Problem = "the run on the public block did not finish"
		return g
	}
	q, problem, err := readPredictions(out, ids)
	if err != nil {
		problem = err.Error()
	}
	if problem != "" {
		g.Problem = "the predictions on the public block were unusable: " + problem
		return g
	}
	y := make([]bool, len(ids))
	for i, id := range ids {
		y[i] = set.meta.PublicLabels[id] == 1
	}
	if auc, ok := classify.ROCAUC(y, q); ok {
		g.Public = &auc
	}
	return g
}
