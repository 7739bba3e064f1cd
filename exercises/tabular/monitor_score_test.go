package tabular

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"takehome/exercises"
)

// toyStream is a 10-week stream of 400 rows a week whose scores are the
// true churn risk until a price rise doubles it from week 5 on, with a
// fee-in-cents incident in weeks 7 and 8.
func toyStream() (Stream, map[string]float64) {
	r := rand.New(rand.NewPCG(7, 7))
	s := Stream{ID: "st-toy", Events: []StreamEvent{
		{Scenario: "price-rise", Start: 5, End: 5, Persists: true},
		{Scenario: "fee-cents", Start: 7, End: 8},
	}}
	scores := map[string]float64{}
	for k := 1; k <= 10; k++ {
		var rows []WeekRow
		for i := range 400 {
			id := fmt.Sprintf("r%03d%04d", k, i)
			p := 0.02 + 0.3*r.Float64()*r.Float64()
			risk := p
			if k >= 5 {
				risk = min(1, 2*p)
			}
			scores[id] = p
			rows = append(rows, WeekRow{ID: id, Cells: []string{id}, Churned: r.Float64() < risk})
		}
		s.Weeks = append(s.Weeks, rows)
	}
	return s, scores
}

func predictionsFile(rows []WeekRow, score func(WeekRow) float64) exercises.File {
	var b strings.Builder
	b.WriteString("id,probability\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "%s,%.6f\n", r.ID, score(r))
	}
	return exercises.File{Name: PredictionsFile, Data: []byte(b.String())}
}

// toyOutputs are the steps' outputs of a monitor that reports report(k)
// each week and serves the true pre-rise risk.
func toyOutputs(s Stream, scores map[string]float64, report func(k int) string) map[string][]exercises.File {
	score := func(r WeekRow) float64 { return scores[r.ID] }
	var all []WeekRow
	out := map[string][]exercises.File{}
	for k, rows := range s.Weeks {
		all = append(all, rows...)
		out[MonitorStep(s.ID, k+1)] = []exercises.File{predictionsFile(rows, score), {Name: WeekReport, Data: []byte(report(k + 1))}}
	}
	out[frozenStep] = []exercises.File{predictionsFile(all, score)}
	return out
}

func weekJSON(drift bool, kind string, perf bool, estimate float64, retrain bool) string {
	data, _ := json.Marshal(map[string]any{"drift_alert": drift, "drift_kind": kind, "performance_alert": perf, "estimated_auc": estimate, "retrain": retrain})
	return string(data)
}

// silent never alerts; good alerts on both changes in their first week,
// raises a performance alert when the rise shows, estimates well and
// retrains once labels show the rise, after the incident.
func silentWeek(int) string { return weekJSON(false, "none", false, 0.75, false) }

func goodWeek(k int) string {
	switch k {
	case 5:
		return weekJSON(true, "label", true, 0.74, false)
	case 7:
		return weekJSON(true, "data_quality", false, 0.74, false)
	case 10:
		return weekJSON(false, "none", false, 0.74, true)
	}
	return weekJSON(false, "none", false, 0.74, false)
}

func scoreToy(t *testing.T, report func(int) string, edit func(map[string][]exercises.File)) ([]streamResult, monitorSummary) {
	t.Helper()
	s, scores := toyStream()
	out := toyOutputs(s, scores, report)
	if edit != nil {
		edit(out)
	}
	results, err := scoreStreams(out, []Stream{s}, 0.75)
	if err != nil {
		t.Fatal(err)
	}
	declared := 1.0
	return results, summarize(results, 0.75, &declared)
}

func TestMonitorScoring(t *testing.T) {
	_, silent := scoreToy(t, silentWeek, nil)
	results, good := scoreToy(t, goodWeek, nil)
	t.Logf("silent %.1f, good %.1f [%.1f, %.1f]; events %+v", silent.Score, good.Score, good.Interval.Low, good.Interval.High, results[0].scored.Events)
	if silent.Score != 0 {
		t.Errorf("the silent monitor scores %.1f, want 0 by definition", silent.Score)
	}
	if good.Score < 60 || good.Interval.Low > good.Score || good.Interval.High < good.Score {
		t.Errorf("the good monitor scores %.1f in [%.1f, %.1f], want ≥ 60 inside its interval", good.Score, good.Interval.Low, good.Interval.High)
	}
	if good.DriftMissed != 0 || len(good.DriftDelays) != 2 || good.DriftDelays[0] != 0 || silent.DriftMissed != 2 {
		t.Errorf("drift detection: good %v missed %d, silent missed %d", good.DriftDelays, good.DriftMissed, silent.DriftMissed)
	}
	// The doubled risk, ranking kept, hurts log loss: a performance event
	// the good monitor caught in its first week.
	if h := results[0].harms[0]; !h.Harmed() || !h.ByLogLoss {
		t.Errorf("the price rise did not harm by log loss: %+v", h)
	}
	if good.PerfMissed != 0 || len(good.PerfDelays) != 1 {
		t.Errorf("performance detection: %v missed %d", good.PerfDelays, good.PerfMissed)
	}
	if good.Retrains.Right != 1 || good.Retrains.OnCorrupt != 0 {
		t.Errorf("retrains %+v", good.Retrains)
	}
	findings := strings.Join(monitorFindings(results, good), "\n")
	for _, want := range []string{"Detected the price-rise label shift (stream 1, from week 5) in its first week.",
		"Detected the fee-in-cents incident (stream 1, from week 7) in its first week.", "Declared about 1 false alarms a year; had 0"} {
		if !strings.Contains(findings, want) {
			t.Errorf("findings lack %q:\n%s", want, findings)
		}
	}
}

// A retrain during the incident is a severe error, said in a sentence.
func TestMonitorRetrainOnCorrupt(t *testing.T) {
	results, s := scoreToy(t, func(k int) string {
		if k == 8 {
			return weekJSON(true, "data_quality", false, 0.74, true)
		}
		return goodWeek(k)
	}, nil)
	if s.Retrains.OnCorrupt != 1 {
		t.Errorf("retrains %+v, want one on corrupt data", s.Retrains)
	}
	if f := strings.Join(monitorFindings(results, s), "\n"); !strings.Contains(f, "Recommended retraining during the fee-in-cents incident (stream 1, from week 7) (week 8)") {
		t.Errorf("findings:\n%s", f)
	}
}

// Broken weeks: a missing week.json counts as no alert with the previous
// estimate; broken predictions serve the frozen model's; a failed step
// both. Each is reported with its reason.
func TestMonitorBrokenWeeks(t *testing.T) {
	results, s := scoreToy(t, goodWeek, func(out map[string][]exercises.File) {
		out[MonitorStep("st-toy", 5)] = out[MonitorStep("st-toy", 5)][:1]
		out[MonitorStep("st-toy", 6)][0].Data = []byte("id,probability\nnope,0.5\n")
		delete(out, MonitorStep("st-toy", 7))
	})
	r := results[0]
	if s.FailedWeeks != 3 || len(r.invalid) != 3 {
		t.Fatalf("failed %d: %q", s.FailedWeeks, r.invalid)
	}
	for i, want := range []string{"week 5: did not write /output/week.json; no alert and the previous estimate were assumed",
		"week 6: ", "week 7: the step did not finish cleanly"} {
		if !strings.HasPrefix(r.invalid[i], want) {
			t.Errorf("problem %d: %q, want it to start with %q", i, r.invalid[i], want)
		}
	}
	if w := r.scored.Weeks[4]; w.DriftAlert || *w.EstimatedAUC != 0.74 {
		t.Errorf("week 5 without week.json: %+v", w)
	}
	if !reflect.DeepEqual(r.scored.Weeks[5].Scores, r.scored.FrozenScores[5]) {
		t.Error("week 6's broken predictions were not replaced by the frozen model's")
	}
}

// Scoring the same outputs twice gives the same numbers, bootstrap
// interval included.
func TestMonitorScoringDeterministic(t *testing.T) {
	r1, s1 := scoreToy(t, goodWeek, nil)
	r2, s2 := scoreToy(t, goodWeek, nil)
	a, _ := json.Marshal(monitorDetails(r1, s1))
	b, _ := json.Marshal(monitorDetails(r2, s2))
	if string(a) != string(b) || !reflect.DeepEqual(s1, s2) {
		t.Error("two scorings of the same outputs differ")
	}
}
