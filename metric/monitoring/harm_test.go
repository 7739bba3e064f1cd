package monitoring

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The Hanley–McNeil SE at 2,000 rows, 8 % positives and AUC 0.8 is the
// 0.021 of MONITORING.md A.9 (and 0.030 at 1,000, 0.014 at 5,000).
func TestHanleyMcNeil(t *testing.T) {
	for _, c := range []struct {
		rows int
		want float64
	}{{1000, 0.030}, {2000, 0.021}, {5000, 0.014}} {
		y := make([]bool, c.rows)
		for i := range c.rows * 8 / 100 {
			y[i] = true
		}
		if se := hanleyMcNeil(0.8, y); math.Abs(se-c.want) > 0.0015 {
			t.Errorf("%d rows: SE %.4f, want %.3f", c.rows, se, c.want)
		}
	}
}

// informative draws a week of calibrated scores; shuffle breaks the link
// between scores and labels (a collapsed model), and scale multiplies the
// true risk (a price rise the scores do not know of).
func informative(n int, seed uint64, shuffle bool, scale float64) Week {
	p, y := calibrated(n, seed, func(r *rand.Rand) float64 { return 0.02 + 0.3*r.Float64()*r.Float64() },
		func(p float64) float64 { return min(1, scale*p) })
	if shuffle {
		rand.New(rand.NewPCG(seed, 9)).Shuffle(len(p), func(i, j int) { p[i], p[j] = p[j], p[i] })
	}
	return Week{Scores: p, Labels: y}
}

func TestCompare(t *testing.T) {
	base := []Week{informative(2000, 1, false, 1), informative(2000, 2, false, 1), informative(2000, 3, false, 1), informative(2000, 4, false, 1)}
	for _, c := range []struct {
		name             string
		weeks            []Week
		byAUC, byLogLoss bool
	}{
		{"same distribution", []Week{informative(2000, 5, false, 1), informative(2000, 6, false, 1)}, false, false},
		{"scores no longer rank", []Week{informative(2000, 7, true, 1), informative(2000, 8, true, 1)}, true, true},
		{"risk doubled, ranking kept", []Week{informative(2000, 9, false, 2), informative(2000, 10, false, 2)}, false, true},
	} {
		h, ok := Compare(base, c.weeks)
		if !ok {
			t.Fatalf("%s: undefined", c.name)
		}
		if h.ByAUC != c.byAUC || h.ByLogLoss != c.byLogLoss {
			t.Errorf("%s: by AUC %v (%.3f vs %.3f ± %.3f), by log loss %v (%.3f vs %.3f ± %.3f); want %v, %v", c.name,
				h.ByAUC, h.AUC, h.BaseAUC, h.AUCMargin, h.ByLogLoss, h.LogLoss, h.BaseLogLoss, h.LogLossMargin, c.byAUC, c.byLogLoss)
		}
		if h.AUCMargin < minAUCDrop {
			t.Errorf("%s: AUC margin %.3f below the floor", c.name, h.AUCMargin)
		}
	}
	if _, ok := Compare(base, []Week{{Scores: []float64{0.1, 0.2}, Labels: []bool{false, false}}}); ok {
		t.Error("a single class compared as defined")
	}
}
