package classify

import (
	"encoding/json"
	"math"
	"os"
	"sort"
	"testing"
)

const tol = 1e-9

type fixtureCurve struct{ X, Y, Threshold []float64 }

type fixtureCase struct {
	Y                []int
	P                []float64
	ROCAUC           *float64 `json:"roc_auc"`
	AveragePrecision *float64 `json:"average_precision"`
	LogLoss          float64  `json:"log_loss"`
	Brier            float64
	Calibration      struct {
		Edges            []float64
		FractionPositive []float64 `json:"fraction_positive"`
		MeanPredicted    []float64 `json:"mean_predicted"`
		Count            []int
		ECE              float64
	}
	ROCCurve *fixtureCurve `json:"roc_curve"`
	PRCurve  *fixtureCurve `json:"pr_curve"`
}

type fixtures struct {
	SklearnVersion string `json:"sklearn_version"`
	Cases          map[string]fixtureCase
	CLI            fixtureCase
	Percentile     struct {
		Values []float64
		P2_5   float64 `json:"p2_5"`
		P97_5  float64 `json:"p97_5"`
	}
}

func loadFixtures(t testing.TB) fixtures {
	t.Helper()
	b, err := os.ReadFile("testdata/fixtures.json")
	if err != nil {
		t.Fatal(err)
	}
	var f fixtures
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if f.SklearnVersion != "1.2.1" || len(f.Cases) < 10 {
		t.Fatalf("fixtures from scikit-learn %q with %d cases", f.SklearnVersion, len(f.Cases))
	}
	return f
}

func (c fixtureCase) labels() []bool {
	y := make([]bool, len(c.Y))
	for i, v := range c.Y {
		y[i] = v == 1
	}
	return y
}

func near(a, b float64) bool { return math.Abs(a-b) <= tol }

func checkOptional(t *testing.T, name string, got float64, ok bool, want *float64) {
	t.Helper()
	switch {
	case want == nil && ok:
		t.Errorf("%s = %v, want undefined", name, got)
	case want != nil && !ok:
		t.Errorf("%s undefined, want %v", name, *want)
	case want != nil && !near(got, *want):
		t.Errorf("%s = %.17g, want %.17g", name, got, *want)
	}
}

func TestMetricsMatchSklearn(t *testing.T) {
	f := loadFixtures(t)
	names := make([]string, 0, len(f.Cases))
	for n := range f.Cases {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		c := f.Cases[name]
		t.Run(name, func(t *testing.T) {
			y := c.labels()
			auc, ok := ROCAUC(y, c.P)
			checkOptional(t, "roc_auc", auc, ok, c.ROCAUC)
			ap, ok := AveragePrecision(y, c.P)
			checkOptional(t, "average_precision", ap, ok, c.AveragePrecision)
			if got := LogLoss(y, c.P); !near(got, c.LogLoss) {
				t.Errorf("log_loss = %.17g, want %.17g", got, c.LogLoss)
			}
			if got := Brier(y, c.P); !near(got, c.Brier) {
				t.Errorf("brier = %.17g, want %.17g", got, c.Brier)
			}
			r := Evaluate(y, c.P)
			checkOptional(t, "report roc_auc", deref(r.ROCAUC), r.ROCAUC != nil, c.ROCAUC)
			checkOptional(t, "report average_precision", deref(r.AveragePrecision), r.AveragePrecision != nil, c.AveragePrecision)
			if r.N != len(y) || r.LogLoss != LogLoss(y, c.P) || r.Brier != Brier(y, c.P) {
				t.Errorf("report %+v disagrees with the functions", r)
			}
		})
	}
}

func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

func TestCalibrationMatchesSklearn(t *testing.T) {
	f := loadFixtures(t)
	for name, c := range f.Cases {
		t.Run(name, func(t *testing.T) {
			r := Calibrate(c.labels(), c.P, 10)
			want := c.Calibration
			if len(r.Bins) != len(want.Count) {
				t.Fatalf("%d bins %+v, want counts %v", len(r.Bins), r.Bins, want.Count)
			}
			for i, b := range r.Bins {
				if b.Count != want.Count[i] || !near(b.FractionPositive, want.FractionPositive[i]) || !near(b.MeanPredicted, want.MeanPredicted[i]) {
					t.Errorf("bin %d = %+v, want count %d frac %v mean %v", i, b, want.Count[i], want.FractionPositive[i], want.MeanPredicted[i])
				}
			}
			if !near(r.ECE, want.ECE) {
				t.Errorf("ece = %v, want %v", r.ECE, want.ECE)
			}
		})
	}
}

// TestCalibrationEdges pins where values on bin edges go: to the bin below.
func TestCalibrationEdges(t *testing.T) {
	f := loadFixtures(t)
	edges := f.Cases["bin_edges"].Calibration.Edges
	r := Calibrate([]bool{true, false, true, false}, []float64{0, 0.1, edges[3], 1}, 10)
	want := []Bin{
		{Low: 0, High: 0.1, MeanPredicted: 0.05, FractionPositive: 0.5, Count: 2},
		{Low: edges[2], High: edges[3], MeanPredicted: edges[3], FractionPositive: 1, Count: 1},
		{Low: edges[9], High: 1, MeanPredicted: 1, FractionPositive: 0, Count: 1},
	}
	if len(r.Bins) != len(want) {
		t.Fatalf("bins = %+v, want %+v", r.Bins, want)
	}
	for i := range want {
		if r.Bins[i] != want[i] {
			t.Errorf("bin %d = %+v, want %+v", i, r.Bins[i], want[i])
		}
	}
	for i, e := range edges {
		if r := Calibrate([]bool{true}, []float64{e}, 10); i > 0 && r.Bins[0].High != e {
			t.Errorf("edge %v went to bin %+v", e, r.Bins[0])
		}
	}
}

func TestCurvesMatchSklearn(t *testing.T) {
	f := loadFixtures(t)
	for name, c := range f.Cases {
		t.Run(name, func(t *testing.T) {
			y := c.labels()
			checkCurve(t, "roc", ROCCurve(y, c.P), c.ROCCurve, c.ROCAUC != nil, false)
			checkCurve(t, "pr", PRCurve(y, c.P), c.PRCurve, c.AveragePrecision != nil, true)
		})
	}
}

// checkCurve compares a curve point for point; the PR curve's last point
// has no threshold in scikit-learn.
func checkCurve(t *testing.T, name string, got []Point, want *fixtureCurve, defined, lastFree bool) {
	t.Helper()
	if !defined {
		if got != nil {
			t.Errorf("%s curve = %v, want nil", name, got)
		}
		return
	}
	if want == nil {
		return // large case without reference curves
	}
	if len(got) != len(want.X) {
		t.Fatalf("%s curve has %d points, want %d", name, len(got), len(want.X))
	}
	for i, pt := range got {
		thrOK := (lastFree && i == len(got)-1) || near(pt.Threshold, want.Threshold[i])
		if !near(pt.X, want.X[i]) || !near(pt.Y, want.Y[i]) || !thrOK {
			t.Errorf("%s point %d = %+v, want (%v, %v, thr %v)", name, i, pt, want.X[i], want.Y[i], want.Threshold[min(i, len(want.Threshold)-1)])
		}
	}
}

func TestPercentileMatchesNumpy(t *testing.T) {
	f := loadFixtures(t)
	v := append([]float64(nil), f.Percentile.Values...)
	sort.Float64s(v)
	if got := Percentile(v, 2.5); !near(got, f.Percentile.P2_5) {
		t.Errorf("p2.5 = %v, want %v", got, f.Percentile.P2_5)
	}
	if got := Percentile(v, 97.5); !near(got, f.Percentile.P97_5) {
		t.Errorf("p97.5 = %v, want %v", got, f.Percentile.P97_5)
	}
}
