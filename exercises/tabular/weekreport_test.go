package tabular

import (
	"strings"
	"testing"

	"takehome/exercises"
)

func weekOutput(json string) []exercises.File {
	return []exercises.File{{Name: WeekReport, Data: []byte(json)}}
}

func TestReadWeekReport(t *testing.T) {
	r, problem := readWeekReport(weekOutput(`{"week": 7, "drift_alert": true, "drift_kind": "covariate", "performance_alert": false,
		"estimated_auc": 0.781, "retrain": false, "flagged_features": ["plan", "monthly_fee"], "note": "fee distribution moved"}`))
	if problem != "" {
		t.Fatal(problem)
	}
	if !r.DriftAlert || r.DriftKind != "covariate" || r.PerformanceAlert || r.EstimatedAUC != 0.781 || r.Retrain ||
		len(r.FlaggedFeatures) != 2 || r.Note != "fee distribution moved" {
		t.Errorf("decoded %+v", r)
	}
	if r, problem := readWeekReport(weekOutput(`{"drift_alert": false, "performance_alert": false, "estimated_auc": 0, "retrain": false}`)); problem != "" || r.DriftKind != "none" {
		t.Errorf("the least week.json: %+v, %q", r, problem)
	}
}

// Every broken week.json gets a message that names the field and what
// was wrong with it.
func TestReadWeekReportRejects(t *testing.T) {
	const ok = `"drift_alert": false, "performance_alert": false, "retrain": false`
	for _, c := range []struct{ json, want string }{
		{``, "is not a JSON object"},
		{`[1, 2]`, "is not a JSON object"},
		{`{` + ok + `}`, "week.json: estimated_auc is missing"},
		{`{"drift_alert": false, "estimated_auc": 0.7, "retrain": false}`, "week.json: performance_alert is missing"},
		{`{` + ok + `, "estimated_auc": null}`, "week.json: estimated_auc is missing"},
		{`{` + ok + `, "estimated_auc": 1.2}`, "week.json: estimated_auc must be a number in [0, 1], got 1.2"},
		{`{` + ok + `, "estimated_auc": "0.8"}`, "estimated_auc must be a number, got a JSON string"},
		{`{"drift_alert": "yes", "performance_alert": false, "retrain": false, "estimated_auc": 0.8}`, "drift_alert must be true or false, got a JSON string"},
		{`{` + ok + `, "estimated_auc": 0.8, "drift_kind": "sudden"}`, `drift_kind must be one of covariate, label, concept, data_quality, none, got "sudden"`},
		{`{"drift_alert": true, "performance_alert": false, "retrain": false, "estimated_auc": 0.8}`, "drift_alert is true, so drift_kind must say which"},
		{`{` + ok + `, "estimated_auc": 0.8, "alert": true}`, `week.json: unknown field "alert"`},
		{`{` + ok + `, "estimated_auc": 0.8, "flagged_features": ["tier"]}`, `flagged_features: "tier" is not a column of week.csv`},
		{`{` + ok + `, "estimated_auc": 0.8, "note": "` + strings.Repeat("x", 2001) + `"}`, "note is longer than 2000 characters"},
		{`{` + ok + `, "estimated_auc": 0.8} {}`, "week.json is not a JSON object"},
	} {
		_, problem := readWeekReport(weekOutput(c.json))
		if !strings.Contains(problem, c.want) {
			t.Errorf("%.60s: problem %q, want it to contain %q", c.json, problem, c.want)
		}
	}
	if _, problem := readWeekReport(nil); problem != "did not write /output/week.json" {
		t.Errorf("missing week.json: %q", problem)
	}
	if _, problem := readWeekReport(weekOutput(`{"note": "` + strings.Repeat("x", 70<<10) + `"}`)); !strings.Contains(problem, "larger than 64 KB") {
		t.Errorf("huge week.json: %q", problem)
	}
}
