package classify

import "math"

// scored is one row: its score and label.
type scored struct {
	p   float64
	pos bool
}

// sortDesc returns the rows ordered by score, highest first, in the order
// of cmp.Compare (NaNs last, -0 equal to 0). Every metric aggregates tied
// scores, so order within ties does not change them; the positives come
// first there so that the bootstrap can count each class of a tie group as
// one contiguous range. It is a radix sort: several times faster than a
// comparison sort on a million rows.
func sortDesc(y []bool, p []float64) []scored {
	if len(y) != len(p) {
		panic("classify: y and p have different lengths")
	}
	// Positives first; the stable passes below keep them first among ties.
	rows := make([]scored, 0, len(p))
	for i, v := range p {
		if y[i] {
			rows = append(rows, scored{v, true})
		}
	}
	for i, v := range p {
		if !y[i] {
			rows = append(rows, scored{v, false})
		}
	}
	radixSort(rows)
	return rows
}

// descKey orders scores as sortDesc does: a higher score has a smaller key.
func descKey(p float64) uint64 {
	switch {
	case p != p:
		return math.MaxUint64 // NaN last
	case p == 0:
		p = 0 // -0 ties 0
	}
	b := math.Float64bits(p)
	if b>>63 != 0 { // negative: larger magnitude, larger key
		return b
	}
	return ^b &^ (1 << 63)
}

// radixSort sorts rows by descKey, stably, one byte of the key per pass,
// skipping the bytes that all keys share.
func radixSort(rows []scored) {
	if len(rows) < 2 {
		return
	}
	var counts [8][256]int
	for _, r := range rows {
		k := descKey(r.p)
		for d := range counts {
			counts[d][byte(k>>(8*d))]++
		}
	}
	src, dst := rows, make([]scored, len(rows))
	first := descKey(rows[0].p)
	for d := range counts {
		c := &counts[d]
		shift := uint(8 * d)
		if c[byte(first>>shift)] == len(rows) {
			continue
		}
		next := 0
		for b, n := range c {
			c[b] = next
			next += n
		}
		for _, r := range src {
			b := byte(descKey(r.p) >> shift)
			dst[c[b]] = r
			c[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &rows[0] {
		copy(rows, src)
	}
}

// curve is scikit-learn's _binary_clf_curve: for each distinct score, from
// the highest down, the positives (tps) and negatives (fps) scoring at
// least that threshold.
type curve struct {
	thr      []float64
	tps, fps []int64
}

func newCurve(rows []scored) curve {
	var c curve
	var tp, fp int64
	for i, r := range rows {
		if r.pos {
			tp++
		} else {
			fp++
		}
		if i == len(rows)-1 || rows[i+1].p != r.p {
			c.thr = append(c.thr, r.p)
			c.tps = append(c.tps, tp)
			c.fps = append(c.fps, fp)
		}
	}
	return c
}

func (c curve) positives() int64 { return c.tps[len(c.tps)-1] }
func (c curve) negatives() int64 { return c.fps[len(c.fps)-1] }

// auc is the trapezoid under the ROC curve, computed in integers as twice
// the Mann–Whitney U so that only the final division rounds.
func (c curve) auc() (float64, bool) {
	if len(c.thr) == 0 || c.positives() == 0 || c.negatives() == 0 {
		return 0, false
	}
	var u2, tp, fp int64
	for i := range c.thr {
		u2 += (c.fps[i] - fp) * (c.tps[i] + tp)
		tp, fp = c.tps[i], c.fps[i]
	}
	return float64(u2) / (2 * float64(c.positives()) * float64(c.negatives())), true
}

// ap is average_precision_score: Σ (R_n − R_{n−1}) P_n from the highest
// threshold down.
func (c curve) ap() (float64, bool) {
	if len(c.thr) == 0 || c.positives() == 0 {
		return 0, false
	}
	var sum float64
	var prevTP int64
	for i := range c.thr {
		if c.tps[i] != prevTP {
			sum += float64(c.tps[i]-prevTP) * float64(c.tps[i]) / float64(c.tps[i]+c.fps[i])
		}
		prevTP = c.tps[i]
	}
	return sum / float64(c.positives()), true
}

// ROCAUC is the area under the ROC curve; ok is false with a single class.
func ROCAUC(y []bool, p []float64) (auc float64, ok bool) {
	return newCurve(sortDesc(y, p)).auc()
}

// AveragePrecision is the area under the precision-recall curve without
// interpolation; ok is false when there is no positive.
func AveragePrecision(y []bool, p []float64) (ap float64, ok bool) {
	return newCurve(sortDesc(y, p)).ap()
}

// Point is one point of a curve with the threshold that yields it.
type Point struct {
	X         float64 `json:"x"`
	Y         float64 `json:"y"`
	Threshold float64 `json:"threshold"`
}

// ROCCurve is roc_curve(drop_intermediate=True) of scikit-learn 1.2: X is
// the false positive rate, Y the true positive rate, from (0, 0) with
// threshold max(p)+1 up to (1, 1). Collinear intermediate points are
// dropped; they do not change the area. It is nil with a single class
// (scikit-learn returns NaN rates).
func ROCCurve(y []bool, p []float64) []Point {
	c := newCurve(sortDesc(y, p))
	if len(c.thr) == 0 || c.positives() == 0 || c.negatives() == 0 {
		return nil
	}
	keep := func(i int) bool {
		if i == 0 || i == len(c.thr)-1 {
			return true
		}
		return c.fps[i-1]-2*c.fps[i]+c.fps[i+1] != 0 || c.tps[i-1]-2*c.tps[i]+c.tps[i+1] != 0
	}
	n, pos := float64(c.negatives()), float64(c.positives())
	pts := []Point{{0, 0, c.thr[0] + 1}}
	for i := range c.thr {
		if keep(i) {
			pts = append(pts, Point{float64(c.fps[i]) / n, float64(c.tps[i]) / pos, c.thr[i]})
		}
	}
	return pts
}

// PRCurve is precision_recall_curve of scikit-learn 1.2: X is recall, Y
// precision, thresholds increasing, ending at (recall 0, precision 1). That
// last point has no threshold in scikit-learn; here it carries max(p)+1, a
// threshold above every score. It is nil when there is no positive.
func PRCurve(y []bool, p []float64) []Point {
	c := newCurve(sortDesc(y, p))
	if len(c.thr) == 0 || c.positives() == 0 {
		return nil
	}
	pts := make([]Point, 0, len(c.thr)+1)
	for i := len(c.thr) - 1; i >= 0; i-- {
		prec := float64(c.tps[i]) / float64(c.tps[i]+c.fps[i])
		pts = append(pts, Point{float64(c.tps[i]) / float64(c.positives()), prec, c.thr[i]})
	}
	return append(pts, Point{0, 1, c.thr[0] + 1})
}
