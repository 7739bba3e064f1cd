package classify

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
)

// synthetic returns n rows whose scores separate the classes moderately,
// rounded to two decimals so that ties are common.
func synthetic(n int, seed uint64) ([]bool, []float64) {
	return roundedScores(n, seed, 100)
}

// roundedScores is synthetic with scores rounded to multiples of 1/scale.
func roundedScores(n int, seed uint64, scale float64) ([]bool, []float64) {
	r := rand.New(rand.NewPCG(seed, 1))
	y := make([]bool, n)
	p := make([]float64, n)
	for i := range y {
		y[i] = r.Float64() < 0.3
		s := 0.3 + 0.2*r.NormFloat64()
		if y[i] {
			s += 0.2
		}
		p[i] = math.Round(min(max(s, 0), 1)*scale) / scale
	}
	return y, p
}

var cellMetrics = []struct {
	name   string
	metric func([]bool, []float64) (float64, bool)
}{{"roc_auc", ROCAUC}, {"average_precision", AveragePrecision}}

// TestBootstrapPerRowEqualsMaterialized: under the same row draws, the
// cell statistics give the metric's own values.
func TestBootstrapPerRowEqualsMaterialized(t *testing.T) {
	y, p := synthetic(3000, 7)
	for _, m := range cellMetrics {
		t.Run(m.name, func(t *testing.T) {
			fast, ok1 := bootstrap(y, p, m.metric, 200, 42, perRow)
			wrapped := func(y []bool, p []float64) (float64, bool) { return m.metric(y, p) } // not recognized: materialized
			slow, ok2 := Bootstrap(y, p, wrapped, 200, 42)
			if !ok1 || !ok2 || math.Abs(fast.Low-slow.Low) > 1e-12 || math.Abs(fast.High-slow.High) > 1e-12 {
				t.Fatalf("per row %+v %v, materialized %+v %v", fast, ok1, slow, ok2)
			}
			v, _ := m.metric(y, p)
			if iv, _ := bootstrap(y, p, m.metric, 200, 42, perCell); !(iv.Low < v && v < iv.High) {
				t.Errorf("interval %+v does not contain %v", iv, v)
			}
		})
	}
}

// TestBootstrapPerCellMatchesPerRow compares the two ways of drawing a
// resample, which use different random draws, over many seeds: the mean
// interval ends must agree within Monte-Carlo error.
func TestBootstrapPerCellMatchesPerRow(t *testing.T) {
	const seeds, resamples = 200, 200
	fixtures := []struct {
		name  string
		scale float64
	}{{"two decimals", 100}, {"three decimals", 1000}}
	for _, f := range fixtures {
		y, p := roundedScores(2000, 5, f.scale)
		for _, m := range cellMetrics {
			t.Run(f.name+"/"+m.name, func(t *testing.T) {
				t.Parallel()
				var low, high [2]meanVar
				for seed := range uint64(seeds) {
					for i, how := range []resampling{perRow, perCell} {
						iv, ok := bootstrap(y, p, m.metric, resamples, seed, how)
						if !ok {
							t.Fatalf("seed %d: undefined", seed)
						}
						low[i].add(iv.Low)
						high[i].add(iv.High)
					}
				}
				for _, end := range []struct {
					name string
					mv   [2]meanVar
				}{{"low", low}, {"high", high}} {
					diff, se := end.mv[1].mean()-end.mv[0].mean(), math.Sqrt(end.mv[0].varOfMean()+end.mv[1].varOfMean())
					t.Logf("%s, %s, %s end: per row %.5f, per cell %.5f, difference %+.5f = %+.2f SE (SE %.5f)",
						f.name, m.name, end.name, end.mv[0].mean(), end.mv[1].mean(), diff, diff/se, se)
					if math.Abs(diff) > 4*se {
						t.Errorf("%s end differs by %.2f standard errors", end.name, math.Abs(diff)/se)
					}
				}
			})
		}
	}
}

// meanVar accumulates a sample's mean and variance.
type meanVar struct{ n, sum, sumSq float64 }

func (m *meanVar) add(v float64) { m.n, m.sum, m.sumSq = m.n+1, m.sum+v, m.sumSq+v*v }
func (m meanVar) mean() float64  { return m.sum / m.n }

func (m meanVar) varOfMean() float64 {
	return (m.sumSq - m.sum*m.mean()) / (m.n - 1) / m.n
}

func TestBootstrapIsDeterministic(t *testing.T) {
	y, p := synthetic(2000, 8)
	for _, how := range []resampling{automatic, perRow, perCell} {
		a, _ := bootstrap(y, p, ROCAUC, 300, 1, how)
		prev := runtime.GOMAXPROCS(1)
		b, _ := bootstrap(y, p, ROCAUC, 300, 1, how)
		runtime.GOMAXPROCS(prev)
		c, _ := bootstrap(y, p, ROCAUC, 300, 2, how)
		if a != b {
			t.Errorf("resampling %v: seed 1 gave %+v then %+v with one goroutine", how, a, b)
		}
		if a == c {
			t.Errorf("resampling %v: seeds 1 and 2 gave the same interval %+v", how, a)
		}
	}
}

// TestBootstrapResamplingChoice: tied scores are drawn per cell, distinct
// ones per row.
func TestBootstrapResamplingChoice(t *testing.T) {
	y, p := synthetic(20_000, 8)
	if got := newCells(sortDesc(y, p)).resampling(); got != perCell {
		t.Errorf("scores with two decimals on 20000 rows: resampling %v, want per cell", got)
	}
	distinct := make([]float64, len(p))
	for i, v := range p {
		distinct[i] = v + float64(i)*1e-9
	}
	if got := newCells(sortDesc(y, distinct)).resampling(); got != perRow {
		t.Errorf("distinct scores: resampling %v, want per row", got)
	}
	auto, _ := Bootstrap(y, distinct, ROCAUC, 100, 3)
	rows, _ := bootstrap(y, distinct, ROCAUC, 100, 3, perRow)
	cells, _ := bootstrap(y, distinct, ROCAUC, 100, 3, perCell)
	if auto != rows || auto == cells {
		t.Errorf("distinct scores: Bootstrap %+v, per row %+v, per cell %+v", auto, rows, cells)
	}
}

// TestBootstrapWidth checks the interval against the Hanley–McNeil (1982)
// standard error of the AUC: the 95% width should be near 2·1.96·SE, drawn
// per cell (what Bootstrap does with these ties) and per row.
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
	for _, how := range []resampling{automatic, perRow, perCell} {
		iv, ok := bootstrap(y, p, ROCAUC, 1000, 3, how)
		ratio := (iv.High - iv.Low) / (2 * 1.96 * se)
		if !ok || ratio < 0.8 || ratio > 1.25 {
			t.Errorf("resampling %v: interval %+v around %v: width / Hanley–McNeil width = %.3f", how, iv, auc, ratio)
		}
		t.Logf("resampling %v: AUC %.4f, 95%% bootstrap interval [%.4f, %.4f], width ratio to Hanley–McNeil %.3f", how, auc, iv.Low, iv.High, ratio)
	}
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

func TestNewCells(t *testing.T) {
	y := []bool{false, true, true, false, true, false, false}
	p := []float64{0.9, 0.9, 0.5, 0.5, 0.7, 0.2, 0.2}
	// Sorted: 0.9 (+ −), 0.7 (+), 0.5 (+ −), 0.2 (− −).
	c := newCells(sortDesc(y, p))
	want := []int{0, 1, 2, 3, 3, 4, 5, 5, 7}
	if !slices.Equal(c.bounds, want) || c.nonEmpty != 6 {
		t.Errorf("bounds %v with %d non-empty cells, want %v with 6", c.bounds, c.nonEmpty, want)
	}
}

// TestCellsDraw checks the per-cell draw against the multinomial: the
// counts sum to n, and each cell's mean and variance, and one covariance,
// match Multinomial(n, size/n).
func TestCellsDraw(t *testing.T) {
	const reps = 100_000
	for _, bounds := range [][]int{
		{0, 3, 3, 50, 1050, 1051, 4000},           // sizes 3, 0, 47, 1000, 1, 2949: both branches
		{0, 999_000, 999_000, 999_600, 1_000_000}, // p = 0.999 and 0.6: the symmetry
	} {
		c := newCellsFromBounds(bounds)
		n, k := float64(c.rows()), c.len()
		counts := make([]uint64, k)
		sum, sumSq := make([]float64, k), make([]float64, k)
		var cross float64 // Σ counts[0]·counts[k−1]
		for b := range reps {
			c.draw(counts, rand.NewPCG(9, uint64(b)))
			var total uint64
			for i, v := range counts {
				total += v
				sum[i] += float64(v)
				sumSq[i] += float64(v) * float64(v)
			}
			cross += float64(counts[0]) * float64(counts[k-1])
			if total != uint64(c.rows()) {
				t.Fatalf("bounds %v, resample %d: counts %v sum to %d", bounds, b, counts, total)
			}
		}
		for i := range k {
			q := float64(bounds[i+1]-bounds[i]) / n
			mean, variance := sum[i]/reps, sumSq[i]/reps-sum[i]*sum[i]/reps/reps
			wantMean, wantVar := n*q, n*q*(1-q)
			if tol := 5*math.Sqrt(wantVar/reps) + 5.0/reps; math.Abs(mean-wantMean) > tol {
				t.Errorf("bounds %v, cell %d: mean %.4f, want %.4f ± %.2g", bounds, i, mean, wantMean, tol)
			}
			if tol := 5*wantVar*math.Sqrt(2.0/reps) + 5.0/reps; math.Abs(variance-wantVar) > tol {
				t.Errorf("bounds %v, cell %d: variance %.4f, want %.4f ± %.2g", bounds, i, variance, wantVar, tol)
			}
		}
		q0, qk := float64(bounds[1])/n, float64(bounds[k]-bounds[k-1])/n
		cov, wantCov := cross/reps-sum[0]*sum[k-1]/reps/reps, -n*q0*qk
		if tol := 5 * math.Sqrt(n*q0*(1-q0)*n*qk*(1-qk)/reps); math.Abs(cov-wantCov) > tol {
			t.Errorf("bounds %v: covariance of the first and last cells %.4f, want %.4f ± %.2g", bounds, cov, wantCov, tol)
		}
	}
}

// newCellsFromBounds is newCells for cells given by their bounds.
func newCellsFromBounds(bounds []int) cells {
	var rows []scored
	for i := range len(bounds) - 1 {
		for range bounds[i+1] - bounds[i] {
			rows = append(rows, scored{p: 1 - float64(i/2)/float64(len(bounds)), pos: i%2 == 0})
		}
	}
	c := newCells(rows)
	if !slices.Equal(c.bounds, bounds) {
		panic(fmt.Sprintf("cells %v, want %v", c.bounds, bounds))
	}
	return c
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
