package classify

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortDescMatchesComparison checks the radix sort against the order it
// replaces: cmp.Compare on scores, descending, positives first among ties.
func TestSortDescMatchesComparison(t *testing.T) {
	special := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, math.Inf(1), math.Inf(-1), math.NaN(),
		math.Float64frombits(0xfff8000000000001), 5e-324, -5e-324, math.MaxFloat64, 0.1, 0.30000000000000004}
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 2, 3, 10, 100, 5000} {
		y, p := make([]bool, n), make([]float64, n)
		for i := range p {
			y[i] = r.IntN(3) == 0
			switch r.IntN(3) {
			case 0:
				p[i] = special[r.IntN(len(special))]
			case 1:
				p[i] = math.Round(r.Float64()*100) / 100
			default:
				p[i] = r.NormFloat64() * 1e3
			}
		}
		got := sortDesc(y, p)
		want := make([]scored, n)
		for i := range p {
			want[i] = scored{p[i], y[i]}
		}
		slices.SortFunc(want, func(a, b scored) int {
			if c := cmp.Compare(b.p, a.p); c != 0 {
				return c
			}
			switch {
			case a.pos == b.pos:
				return 0
			case a.pos:
				return -1
			}
			return 1
		})
		for i := range want {
			same := got[i].p == want[i].p || (math.IsNaN(got[i].p) && math.IsNaN(want[i].p))
			if !same || got[i].pos != want[i].pos {
				t.Fatalf("n=%d, row %d: got %+v, want %+v", n, i, got[i], want[i])
			}
		}
	}
}
