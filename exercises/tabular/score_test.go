package tabular

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"takehome/exercises"
)

func outputs(step string, data []byte) map[string][]exercises.File {
	return map[string][]exercises.File{step: {{Name: PredictionsFile, Data: data}}}
}

func score(t *testing.T, set exercises.EvalSet, out map[string][]exercises.File, expected *float64) exercises.Result {
	t.Helper()
	res, err := New().Score(exercises.ScoreInput{Spec: Spec(), Set: set, Outputs: out, ExpectedScore: expected})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func metric(res exercises.Result, name string) float64 {
	for _, m := range res.Metrics {
		if m.Name == name && m.Value != nil {
			return *m.Value
		}
	}
	return math.NaN()
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9 }

// TestScoreMatchesSklearn scores the fixture predictions (reverse id order,
// tied values) and compares with scikit-learn's numbers.
func TestScoreMatchesSklearn(t *testing.T) {
	hidden, _ := build(t, 1).Set(exercises.SetHidden)
	preds, err := os.ReadFile("testdata/predictions.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := loadSklearn(t)
	res := score(t, hidden, outputs("predict", preds), nil)
	for name, w := range map[string]float64{"roc_auc": want.ROCAUC, "average_precision": want.AP,
		"log_loss": want.LogLoss, "brier": want.Brier, "ece": want.ECE} {
		if got := metric(res, name); !near(got, w) {
			t.Errorf("%s = %.12f, scikit-learn %.12f", name, got, w)
		}
	}
	var rel exercises.Chart
	for _, c := range res.Charts {
		if c.ID == "reliability" {
			rel = c
		}
	}
	pts := rel.Series[0].Points
	if len(pts) != len(want.ProbTrue) {
		t.Fatalf("%d reliability points, scikit-learn %d", len(pts), len(want.ProbTrue))
	}
	for i, p := range pts {
		if !near(p.X, want.ProbPred[i]) || !near(p.Y, want.ProbTrue[i]) {
			t.Errorf("bin %d: (%v, %v), scikit-learn (%v, %v)", i, p.X, p.Y, want.ProbPred[i], want.ProbTrue[i])
		}
	}
}

// perfectish predicts 0.8 for churners and 0.05 for the others.
func perfectish(set exercises.EvalSet) []byte {
	var b bytes.Buffer
	b.WriteString("id,probability\n")
	for _, it := range set.Items {
		p := 0.05
		if string(it.Label) == "1" {
			p = 0.8
		}
		fmt.Fprintf(&b, "%s,%g\n", it.Key, p)
	}
	return b.Bytes()
}

func TestScoreReport(t *testing.T) {
	v := build(t, 1)
	public, _ := v.Set(exercises.SetPublic)
	expected := 0.9
	res := score(t, public, outputs("predict", perfectish(public)), &expected)
	if !res.Valid || res.Headline == nil || *res.Headline.Value != 1 || res.Headline.Low == nil {
		t.Fatalf("result %+v", res)
	}
	// ECE: the churners' bin is off by 0.2, the others' by 0.05.
	churned := 0.0
	for _, it := range public.Items {
		churned += float64(it.Label[0] - '0')
	}
	prev := churned / float64(len(public.Items))
	if got := metric(res, "ece"); !near(got, prev*0.2+(1-prev)*0.05) {
		t.Errorf("ece %v, want %v", got, prev*0.2+(1-prev)*0.05)
	}
	for _, m := range res.Metrics {
		if m.Convention == "" {
			t.Errorf("metric %s has no convention", m.Name)
		}
	}
	ids := map[string]int{}
	for _, c := range res.Charts {
		ids[c.ID] = len(c.Series)
	}
	if ids["roc"] != 2 || ids["pr"] != 2 || ids["reliability"] != 2 {
		t.Errorf("charts %v", ids)
	}
	// The baseline table and the monitor's week table; no monitor week
	// ran, so every week served the frozen model and the monitor scores 0.
	if len(res.Tables) != 2 || len(res.Findings) < 3 || !json.Valid(res.Details) {
		t.Errorf("tables %d, findings %q", len(res.Tables), res.Findings)
	}
	parts := computeScore(res.Headline.Value, ptr(metric(res, "reference_roc_auc")), metric(res, "ece"), &expected)
	monitor := metric(res, "monitor_score")
	if !near(*res.Score, 0.6*parts.Total+0.4*monitor) || parts.Discrimination != 60 || parts.Honesty > 1e-9 || monitor != 0 {
		t.Errorf("score %v, parts %+v, monitor %v", *res.Score, parts, monitor)
	}
}

func TestScoreFormula(t *testing.T) {
	tests := []struct {
		auc, ref, ece float64
		expected      *float64
		want          float64
	}{
		{0.75, 0.8, 0.0, ptr(0.75), 50 + 20 + 20},
		{0.5, 0.8, 0.05, ptr(0.7), 0 + 10 + 0},
		{0.9, 0.8, 0.2, ptr(0.85), 60 + 0 + 10},
		{0.3, 0.8, 0.01, nil, 0 + 18 + 0},
	}
	for _, tt := range tests {
		got := computeScore(&tt.auc, &tt.ref, tt.ece, tt.expected)
		if math.Abs(got.Total-tt.want) > 1e-9 {
			t.Errorf("auc %v ref %v ece %v: %+v, want %v", tt.auc, tt.ref, tt.ece, got, tt.want)
		}
	}
	if got := computeScore(nil, ptr(0.8), 0, ptr(0.5)); got.Discrimination != 0 || got.Honesty != 0 {
		t.Errorf("undefined AUC scored %+v", got)
	}
}

// TestBadPredictions feeds broken files to the scorer: each must be an
// invalid result with a specific problem, never an error or a score.
func TestBadPredictions(t *testing.T) {
	public, _ := build(t, 1).Set(exercises.SetPublic)
	good := string(perfectish(public))
	lines := strings.SplitAfter(good, "\n")
	first, second := public.Items[0].Key, public.Items[1].Key
	tests := []struct{ name, data, want string }{
		{"missing id", strings.Join(append(lines[:1:1], lines[2:]...), ""), "1 of 1800 ids have no prediction: \"" + first + "\""},
		{"duplicate id", good + first + ",0.5\n", "id \"" + first + "\" appears again (first on line 2)"},
		{"extra id", good + "nobody,0.5\n", "id \"nobody\" is not in the evaluation set"},
		{"NaN", strings.Replace(good, first+",", first+",NaN\n#", 1), "probability is NaN"},
		{"empty cell", strings.Replace(good, second+",0.05", second+",", 1), "probability is empty"},
		{"Inf", strings.Replace(good, first+",", first+",inf\n#", 1), "is infinite"},
		{"above one", strings.Replace(good, second+",0.05", second+",1.5", 1), "outside [0, 1]"},
		{"below zero", strings.Replace(good, second+",0.05", second+",-0.1", 1), "outside [0, 1]"},
		{"not a number", strings.Replace(good, second+",0.05", second+",high", 1), "is not a number"},
		{"wrong header", strings.Replace(good, "id,probability", "id,churned", 1), "header is \"id,churned\""},
		{"header only", "id,probability\n", "no rows after the header"},
		{"empty file", "", "file is empty"},
		{"too large", good + strings.Repeat("x", maxPredictionBytes), "larger than the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := score(t, public, outputs("predict", []byte(tt.data)), nil)
			if res.Valid || res.Score != nil || len(res.Problems) != 1 || !strings.Contains(res.Problems[0], tt.want) {
				t.Errorf("got valid=%v problems %q, want %q", res.Valid, res.Problems, tt.want)
			}
		})
	}
	res := score(t, public, map[string][]exercises.File{"predict": {{Name: "other.csv"}}}, nil)
	if res.Valid || !strings.Contains(res.Problems[0], "did not write /output/predictions.csv") {
		t.Errorf("no predictions file: %+v", res)
	}
}

// TestFinalRunWithBrokenProbes: probes that failed or wrote garbage leave
// a valid report that says so.
func TestFinalRunWithBrokenProbes(t *testing.T) {
	hidden, _ := build(t, 1).Set(exercises.SetHidden)
	preds, _ := os.ReadFile("testdata/predictions.csv")
	out := outputs("predict", preds)
	out[ProbeStep("segment_churn_rate")] = []exercises.File{{Name: PredictionsFile, Data: []byte("id,probability\nx,0.5\n")}}
	out[ProbeStep("account_number")] = out["predict"]
	res := score(t, hidden, out, ptr(0.6))
	if !res.Valid || res.Score == nil {
		t.Fatalf("result %+v", res)
	}
	text := strings.Join(res.Findings, "\n")
	for _, want := range []string{
		"No ablation for retention_offer_sent: the probe run did not finish",
		"No ablation for segment_churn_rate: the probe's predictions were unusable: predictions line 2: id \"x\" is not in the evaluation set",
		"No sign the model uses the leaky column account_number (Spearman",
		"No public-to-hidden comparison: the run on the public block did not finish.",
		"The candidate expected a ROC AUC of 0.600",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("findings lack %q:\n%s", want, text)
		}
	}
	if got := metric(res, "honesty_gap"); !near(got, math.Abs(0.6-loadSklearn(t).ROCAUC)) {
		t.Errorf("honesty gap %v", got)
	}
}

func TestSpearmanMatchesScipy(t *testing.T) {
	// scipy.stats.spearmanr([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]).correlation
	if rho, ok := spearman([]float64{1, 2, 3, 4, 5}, []float64{5, 6, 7, 8, 7}); !ok || !near(rho, 0.8207826816681233) {
		t.Errorf("rho %v", rho)
	}
	if _, ok := spearman([]float64{1, 1, 1}, []float64{1, 2, 3}); ok {
		t.Error("constant input gave a correlation")
	}
}
