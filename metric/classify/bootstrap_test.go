package classify

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// synthetic returns n rows whose scores separate the classes moderately,
// rounded to two decimals so that ties are common.
func synthetic(n int, seed uint64) ([]bool, []float64) {
	r := rand.New(rand.NewPCG(seed, 1))
	y := make([]bool, n)
	p := make([]float64, n)
	for i := range y {
		y[i] = r.Float64() < 0.3
		s := 0.3 + 0.2*r.NormFloat64()
		if y[i] {
			s += 0.2
		}
		p[i] = math.Round(min(max(s, 0), 1)*100) / 100
	}
	return y, p
}

func TestBootstrapFastPathEqualsMaterialized(t *testing.T) {
	y, p := synthetic(3000, 7)
	for name, metric := range map[string]func([]bool, []float64) (float64, bool){"roc_auc": ROCAUC, "average_precision": AveragePrecision} {
		t.Run(name, func(t *testing.T) {
			fast, ok1 := Bootstrap(y, p, metric, 200, 42)
			wrapped := func(y []bool, p []float64) (float64, bool) { return metric(y, p) } // not recognized: materialized
			slow, ok2 := Bootstrap(y, p, wrapped, 200, 42)
			if !ok1 || !ok2 || math.Abs(fast.Low-slow.Low) > 1e-12 || math.Abs(fast.High-slow.High) > 1e-12 {
				t.Fatalf("fast %+v %v, materialized %+v %v", fast, ok1, slow, ok2)
			}
			v, _ := metric(y, p)
			if !(fast.Low < v && v < fast.High) {
				t.Errorf("interval %+v does not contain %v", fast, v)
			}
		})
	}
}

func TestBootstrapIsDeterministic(t *testing.T) {
	y, p := synthetic(2000, 8)
	a, _ := Bootstrap(y, p, ROCAUC, 300, 1)
	prev := runtime.GOMAXPROCS(1)
	b, _ := Bootstrap(y, p, ROCAUC, 300, 1)
	runtime.GOMAXPROCS(prev)
	c, _ := Bootstrap(y, p, ROCAUC, 300, 2)
	if a != b {
		t.Errorf("seed 1 gave %+v then %+v with one goroutine", a, b)
	}
	if a == c {
		t.Errorf("seeds 1 and 2 gave the same interval %+v", a)
	}
}

// TestBootstrapWidth checks the interval against the Hanley–McNeil (1982)
// standard error of the AUC: the 95% width should be near 2·1.96·SE.
func TestBootstrapWidth(t *testing.T) {
	y, p := synthetic(5000, 9)
	auc, _ := ROCAUC(y, p)
	var np, nn float64
	for _, v := range y {
		if v {
			np++
		} else {
			nn++
		}
	}
	q1, q2 := auc/(2-auc), 2*auc*auc/(1+auc)
	se := math.Sqrt((auc*(1-auc) + (np-1)*(q1-auc*auc) + (nn-1)*(q2-auc*auc)) / (np * nn))
	iv, ok := Bootstrap(y, p, ROCAUC, 1000, 3)
	ratio := (iv.High - iv.Low) / (2 * 1.96 * se)
	if !ok || ratio < 0.8 || ratio > 1.25 {
		t.Errorf("interval %+v around %v: width / Hanley–McNeil width = %.3f", iv, auc, ratio)
	}
	t.Logf("AUC %.4f, 95%% bootstrap interval [%.4f, %.4f], width ratio to Hanley–McNeil %.3f", auc, iv.Low, iv.High, ratio)
}

func TestBootstrapUndefined(t *testing.T) {
	if _, ok := Bootstrap([]bool{true, true, true}, []float64{0.1, 0.2, 0.3}, ROCAUC, 50, 1); ok {
		t.Error("bootstrap of a single class is defined")
	}
	if _, ok := Bootstrap([]bool{true, false}, []float64{0.1, 0.2}, ROCAUC, 0, 1); ok {
		t.Error("bootstrap with no resamples is defined")
	}
	// One positive in five rows: resamples without it are skipped, not zero.
	iv, ok := Bootstrap([]bool{true, false, false, false, false}, []float64{0.9, 0.1, 0.2, 0.3, 0.4}, ROCAUC, 200, 1)
	if !ok || iv.Low != 1 || iv.High != 1 {
		t.Errorf("interval = %+v %v, want [1, 1]", iv, ok)
	}
	brier := func(y []bool, p []float64) (float64, bool) { return Brier(y, p), true }
	iv, ok = Bootstrap([]bool{true, false}, []float64{0.9, 0.1}, brier, 100, 1)
	if !ok || iv.Low < 0 || iv.High > 0.01+1e-12 {
		t.Errorf("brier interval = %+v %v", iv, ok)
	}
}

// TestDrawIsUniform checks the resampling counts: n draws per resample,
// each row drawn once on average.
func TestDrawIsUniform(t *testing.T) {
	const n, reps = 7, 100_000
	total := make([]float64, n)
	counts := make([]uint32, n)
	for b := range reps {
		clear(counts)
		draw(counts, rand.NewPCG(5, uint64(b)))
		var sum uint32
		for i, c := range counts {
			sum += c
			total[i] += float64(c)
		}
		if sum != n {
			t.Fatalf("resample %d drew %d rows, want %d", b, sum, n)
		}
	}
	for i, v := range total {
		if mean := v / reps; math.Abs(mean-1) > 0.01 {
			t.Errorf("row %d drawn %.4f times per resample, want 1", i, mean)
		}
	}
}
