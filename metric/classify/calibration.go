package classify

import (
	"math"
	"sort"
)

// Bin is one non-empty bin of a reliability curve.
type Bin struct {
	Low              float64 `json:"low"`
	High             float64 `json:"high"`
	MeanPredicted    float64 `json:"mean_predicted"`
	FractionPositive float64 `json:"fraction_positive"`
	Count            int     `json:"count"`
}

// Reliability is a reliability curve and its expected calibration error.
type Reliability struct {
	Bins []Bin   `json:"bins"`
	ECE  float64 `json:"ece"`
}

// Calibrate is calibration_curve(strategy="uniform", n_bins=bins) of
// scikit-learn 1.2 with the bin edges kept: edges are i*(1/bins) as
// np.linspace computes them, and a row goes to
// np.searchsorted(edges[1:-1], p) (side "left"), so every bin is closed
// on the right: (0.1, 0.2] — a p exactly on an inner edge belongs to the
// bin below it, and p = 0 to the first bin. Empty bins are omitted. ECE is
// Σ count/n · |fraction positive − mean predicted| over the bins. bins < 1
// panics.
func Calibrate(y []bool, p []float64, bins int) Reliability {
	checkLen(y, p)
	if bins < 1 {
		panic("classify: Calibrate needs at least one bin")
	}
	edges := make([]float64, bins+1)
	step := 1 / float64(bins)
	for i := range edges {
		edges[i] = float64(i) * step
	}
	edges[bins] = 1
	inner := edges[1:bins]
	sums := make([]float64, bins)
	trues := make([]int, bins)
	counts := make([]int, bins)
	for i, v := range p {
		b := sort.SearchFloat64s(inner, v)
		sums[b] += v
		counts[b]++
		if y[i] {
			trues[b]++
		}
	}
	var r Reliability
	for b, n := range counts {
		if n == 0 {
			continue
		}
		bin := Bin{Low: edges[b], High: edges[b+1], MeanPredicted: sums[b] / float64(n),
			FractionPositive: float64(trues[b]) / float64(n), Count: n}
		r.Bins = append(r.Bins, bin)
		r.ECE += float64(n) / float64(len(p)) * math.Abs(bin.FractionPositive-bin.MeanPredicted)
	}
	return r
}
