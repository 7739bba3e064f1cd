package tabular

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"takehome/exercises"
)

// driftKinds are the values week.json's drift_kind may take.
var driftKinds = []string{"covariate", "label", "concept", "data_quality", "none"}

// weekReport is a monitor week's /output/week.json.
type weekReport struct {
	DriftAlert       bool     `json:"drift_alert"`
	DriftKind        string   `json:"drift_kind"`
	PerformanceAlert bool     `json:"performance_alert"`
	EstimatedAUC     float64  `json:"estimated_auc"`
	Retrain          bool     `json:"retrain"`
	FlaggedFeatures  []string `json:"flagged_features,omitempty"`
	Note             string   `json:"note,omitempty"`
}

// readWeekReport parses and checks week.json. A problem is the
// candidate's, worded for them.
func readWeekReport(outputs []exercises.File) (weekReport, string) {
	f, ok := exercises.FindFile(outputs, WeekReport)
	if !ok {
		return weekReport{}, "did not write /output/" + WeekReport
	}
	if len(f.Data) > maxWeekJSON {
		return weekReport{}, fmt.Sprintf("%s is larger than %d KB", WeekReport, maxWeekJSON>>10)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(f.Data, &raw); err != nil {
		return weekReport{}, fmt.Sprintf("%s is not a JSON object: %s", WeekReport, jsonProblem(err))
	}
	var keys []string
	for k := range raw {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	known := []string{"drift_alert", "drift_kind", "performance_alert", "estimated_auc", "retrain", "flagged_features", "note", "week"}
	for _, k := range keys {
		if !slices.Contains(known, k) {
			return weekReport{}, fmt.Sprintf("%s: unknown field %q (it has: %s)", WeekReport, k, strings.Join(known[:len(known)-1], ", "))
		}
	}
	for _, k := range []string{"drift_alert", "performance_alert", "estimated_auc", "retrain"} {
		if v, ok := raw[k]; !ok || string(v) == "null" {
			return weekReport{}, fmt.Sprintf("%s: %s is missing", WeekReport, k)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(f.Data))
	var r weekReport // "week" may be there, as in MONITORING.md's example; the step knows its week
	if err := dec.Decode(&r); err != nil {
		return weekReport{}, fmt.Sprintf("%s: %s", WeekReport, jsonProblem(err))
	}
	if dec.Decode(&struct{}{}) != io.EOF {
		return weekReport{}, WeekReport + " holds more than one JSON value"
	}
	return r, r.check()
}

func (r *weekReport) check() string {
	switch {
	case math.IsNaN(r.EstimatedAUC) || r.EstimatedAUC < 0 || r.EstimatedAUC > 1:
		return fmt.Sprintf("%s: estimated_auc must be a number in [0, 1], got %g", WeekReport, r.EstimatedAUC)
	case r.DriftKind != "" && !slices.Contains(driftKinds, r.DriftKind):
		return fmt.Sprintf("%s: drift_kind must be one of %s, got %q", WeekReport, strings.Join(driftKinds, ", "), r.DriftKind)
	case r.DriftAlert && (r.DriftKind == "" || r.DriftKind == "none"):
		return fmt.Sprintf("%s: drift_alert is true, so drift_kind must say which (one of %s)", WeekReport, strings.Join(driftKinds[:4], ", "))
	case utf8.RuneCountInString(r.Note) > maxNoteRunes:
		return fmt.Sprintf("%s: note is longer than %d characters", WeekReport, maxNoteRunes)
	case len(r.FlaggedFeatures) > len(Columns):
		return fmt.Sprintf("%s: flagged_features lists %d names; the data has %d columns", WeekReport, len(r.FlaggedFeatures), len(Columns)-1)
	}
	for _, name := range r.FlaggedFeatures {
		if !slices.Contains(Columns[:len(Columns)-1], name) {
			return fmt.Sprintf("%s: flagged_features: %q is not a column of %s", WeekReport, name, WeekFile)
		}
	}
	if r.DriftKind == "" {
		r.DriftKind = "none"
	}
	return ""
}

// jsonProblem words a decoding error: the field and the type it wanted.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		want := map[string]string{"bool": "true or false", "float64": "a number", "string": "a string", "[]string": "a list of column names"}[te.Type.String()]
		if want == "" {
			want = te.Type.String()
		}
		return fmt.Sprintf("%s must be %s, got a JSON %s", te.Field, want, te.Value)
	}
	return err.Error()
}
