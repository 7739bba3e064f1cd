package tabular

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"takehome/exercises"
	"takehome/metric/classify"
)

// Scoring settings, stated in the brief and in each metric's convention.
const (
	maxPredictionBytes = 8 << 20 // a few thousand rows need well under 1 MB
	resamples          = 1000
	bootstrapSeed      = 0xc4a2
	calibrationBins    = 10
)

// labelled is an eval set decoded for scoring, rows in key order.
type labelled struct {
	ids  []string
	y    []bool
	rows []itemMeta
	meta setMeta
}

func decodeSet(set exercises.EvalSet) (labelled, error) {
	l := labelled{ids: make([]string, len(set.Items)), y: make([]bool, len(set.Items)), rows: make([]itemMeta, len(set.Items))}
	if err := json.Unmarshal(set.Meta, &l.meta); err != nil {
		return l, fmt.Errorf("%s: %s set meta: %w", Slug, set.Name, err)
	}
	for i, it := range set.Items {
		var v int
		if err := json.Unmarshal(it.Label, &v); err != nil || (v != 0 && v != 1) {
			return l, fmt.Errorf("%s: item %s: label %s is not 0 or 1", Slug, it.Key, it.Label)
		}
		if err := json.Unmarshal(it.Meta, &l.rows[i]); err != nil {
			return l, fmt.Errorf("%s: item %s meta: %w", Slug, it.Key, err)
		}
		l.ids[i], l.y[i] = it.Key, v == 1
	}
	if len(l.ids) == 0 {
		return l, fmt.Errorf("%s: %s set is empty", Slug, set.Name)
	}
	return l, nil
}

// readPredictions parses a step's predictions. A problem is the candidate's
// and worded for them; an error is ours.
func readPredictions(outputs []exercises.File, ids []string) (p []float64, problem string, err error) {
	f, ok := exercises.FindFile(outputs, PredictionsFile)
	if !ok {
		return nil, "predict did not write /output/" + PredictionsFile, nil
	}
	p, err = classify.ReadPredictions(bytes.NewReader(f.Data), ids, maxPredictionBytes)
	var pe *classify.PredictionError
	if errors.As(err, &pe) {
		return nil, pe.Error(), nil
	}
	return p, "", err
}

// Score implements exercises.Exercise.
func (Exercise) Score(in exercises.ScoreInput) (exercises.Result, error) {
	set, err := decodeSet(in.Set)
	if err != nil {
		return exercises.Result{}, err
	}
	p, problem, err := readPredictions(in.Outputs["predict"], set.ids)
	if err != nil {
		return exercises.Result{}, err
	}
	if problem != "" {
		return exercises.Result{Valid: false, Problems: []string{problem}}, nil
	}
	ev := evaluate(set, p)
	var diag *diagnostics
	if in.Set.Name == exercises.SetHidden {
		diag = diagnose(in, set, p, ev)
	}
	res := report(in, set, ev, diag)
	if hasMonitor(in.Spec) {
		if err := addMonitor(&res, in, set, ev); err != nil {
			return exercises.Result{}, err
		}
	}
	return res, nil
}

// addMonitor scores the monitor's weeks and adds them to the result; the
// score becomes (1 − monitorWeight) · the prediction score +
// monitorWeight · the monitor score.
func addMonitor(res *exercises.Result, in exercises.ScoreInput, set labelled, ev evaluation) error {
	streams, err := set.meta.streams(in.Set.Name)
	if err != nil {
		return err
	}
	never := 0.5
	switch {
	case in.ExpectedScore != nil:
		never = *in.ExpectedScore
	case ev.Metrics.ROCAUC != nil:
		never = *ev.Metrics.ROCAUC
	}
	results, err := scoreStreams(in.Outputs, streams, never)
	if err != nil {
		return err
	}
	s := summarize(results, never, in.ExpectedFalseAlarms)
	res.Metrics = append(res.Metrics, monitorMetrics(s)...)
	for _, r := range results {
		res.Charts = append(res.Charts, timeline(r))
	}
	res.Tables = append(res.Tables, weekTable(results))
	res.Findings = append(res.Findings, monitorFindings(results, s)...)
	total := (1-monitorWeight)*(*res.Score) + monitorWeight*s.Score
	res.Findings = append(res.Findings, fmt.Sprintf("The exercise's score is %.1f = %.1f × %.1f (predictions) + %.1f × %.1f (monitoring).",
		total, 1-monitorWeight, *res.Score, monitorWeight, s.Score))
	res.Score = &total
	return addDetails(res, "monitor", monitorDetails(results, s))
}

// addDetails adds one key to the result's details object.
func addDetails(res *exercises.Result, key string, v any) error {
	d := map[string]json.RawMessage{}
	if len(res.Details) > 0 {
		if err := json.Unmarshal(res.Details, &d); err != nil {
			return fmt.Errorf("%s: details: %w", Slug, err)
		}
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%s: %s details: %w", Slug, key, err)
	}
	d[key] = data
	res.Details, err = json.Marshal(d)
	return err
}

// evaluation is every number computed on the main predictions.
type evaluation struct {
	Metrics     classify.Report      `json:"metrics"`
	AUC         *classify.Interval   `json:"roc_auc_interval,omitempty"`
	AP          *classify.Interval   `json:"average_precision_interval,omitempty"`
	Reliability classify.Reliability `json:"reliability"`
	Constant    classify.Report      `json:"constant_baseline"` // training prevalence for every row
	Score       scoreParts           `json:"score"`
	Expected    *float64             `json:"expected_score,omitempty"`
	roc, pr     []classify.Point
}

func evaluate(set labelled, p []float64) evaluation {
	ev := evaluation{
		Metrics:     classify.Evaluate(set.y, p),
		Reliability: classify.Calibrate(set.y, p, calibrationBins),
		roc:         classify.ROCCurve(set.y, p),
		pr:          classify.PRCurve(set.y, p),
	}
	if iv, ok := classify.Bootstrap(set.y, p, classify.ROCAUC, resamples, bootstrapSeed); ok {
		ev.AUC = &iv
	}
	if iv, ok := classify.Bootstrap(set.y, p, classify.AveragePrecision, resamples, bootstrapSeed); ok {
		ev.AP = &iv
	}
	constant := make([]float64, len(p))
	for i := range constant {
		constant[i] = set.meta.TrainPrevalence
	}
	ev.Constant = classify.Evaluate(set.y, constant)
	return ev
}
