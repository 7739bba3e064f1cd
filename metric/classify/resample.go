package classify

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// cells cut the rows sorted by sortDesc by score and class: cell 2g holds
// the positives of tie group g and cell 2g+1 its negatives, rows
// [bounds[i], bounds[i+1]) of cell i. A cell may be empty.
type cells struct {
	bounds   []int
	nonEmpty int
	// shares[i] is Binomial's p for cell i in draw: its size over the rows
	// in cells i and after.
	shares []binomialP
}

func newCells(rows []scored) cells {
	c := cells{bounds: []int{0}}
	for i, r := range rows {
		if !r.pos && len(c.bounds)%2 == 1 { // first negative of the group
			c.bounds = append(c.bounds, i)
		}
		if i == len(rows)-1 || rows[i+1].p != r.p {
			if len(c.bounds)%2 == 1 { // no negative
				c.bounds = append(c.bounds, i+1)
			}
			c.bounds = append(c.bounds, i+1)
		}
	}
	c.shares = make([]binomialP, c.len())
	for i := range c.len() {
		size, rest := c.bounds[i+1]-c.bounds[i], c.rows()-c.bounds[i]
		if size > 0 {
			c.nonEmpty++
			c.shares[i] = newBinomialP(float64(size) / float64(rest))
		}
	}
	return c
}

func (c cells) len() int  { return len(c.bounds) - 1 }
func (c cells) rows() int { return c.bounds[len(c.bounds)-1] }

// perRowAbove is the ratio of non-empty cells to rows above which drawing n
// rows is cheaper than a binomial per cell. Measured with BenchmarkBootstrapPath
// (2.4 GHz EPYC): a cell costs about 60 ns and a row 3 to 4.5 ns (10^4 to
// 10^6 rows), so the two cross at 0.055n cells on 10^4 and 10^5 rows and
// at 0.075n on 10^6.
const perRowAbove = 0.06

// resampling is the cheaper way to draw these cells.
func (c cells) resampling() resampling {
	if float64(c.nonEmpty) > perRowAbove*float64(c.rows()) {
		return perRow
	}
	return perCell
}

// cellResampler returns a new resampleFunc per worker that draws the cell
// counts (per row or per cell as how says) and computes stat from them.
func cellResampler(c cells, stat func([]uint64) (float64, bool), how resampling) func() resampleFunc {
	if how == automatic {
		how = c.resampling()
	}
	if how == perCell {
		return func() resampleFunc {
			counts := make([]uint64, c.len())
			return func(src *rand.PCG) (float64, bool) {
				c.draw(counts, src)
				return stat(counts)
			}
		}
	}
	return func() resampleFunc {
		rowCounts := make([]uint32, c.rows())
		counts := make([]uint64, c.len())
		return func(src *rand.PCG) (float64, bool) {
			clear(rowCounts)
			draw(rowCounts, src)
			c.sum(counts, rowCounts)
			return stat(counts)
		}
	}
}

// draw sets counts[i] to how many of n uniform row draws fall in cell i,
// a Multinomial(n, size_i/n) vector, by sequential conditional binomials:
// cell i gets Binomial(left, size_i / rows in cells i and after) of the
// left draws, the last non-empty cell the rest.
func (c cells) draw(counts []uint64, src *rand.PCG) {
	left := c.rows()
	for i, share := range c.shares {
		k := share.draw(src, left) // the last non-empty cell has p = 1: k = left
		counts[i] = uint64(k)
		left -= k
	}
}

// materialized returns a new resampleFunc per worker that draws n rows and
// calls metric on a copy of them.
func materialized(rows []scored, metric func([]bool, []float64) (float64, bool)) func() resampleFunc {
	return func() resampleFunc {
		counts := make([]uint32, len(rows))
		var s resampled
		return func(src *rand.PCG) (float64, bool) {
			clear(counts)
			draw(counts, src)
			return metric(s.fill(rows, counts))
		}
	}
}

// draw adds len(counts) uniform draws with replacement to counts. Each
// 64-bit PCG output yields two 32-bit draws, mapped to [0, n) without bias
// by Lemire's multiply-and-reject method.
func draw(counts []uint32, src *rand.PCG) {
	n := len(counts)
	if n == 0 {
		return
	}
	if n > math.MaxUint32 {
		for range n {
			counts[src.Uint64()%uint64(n)]++ // bias n/2^64 is negligible at this size
		}
		return
	}
	bound := uint32(n)
	threshold := -bound % bound // 2^32 mod n: below it, a draw would be biased
	left := n
	for left >= 2 {
		r := src.Uint64()
		if hi, lo := bits.Mul32(uint32(r), bound); lo >= threshold {
			counts[hi]++
			left--
		}
		if hi, lo := bits.Mul32(uint32(r>>32), bound); lo >= threshold {
			counts[hi]++
			left--
		}
	}
	for left == 1 {
		if hi, lo := bits.Mul32(uint32(src.Uint64()), bound); lo >= threshold {
			counts[hi]++
			left--
		}
	}
}

// sum sets counts[i] to the total of rowCounts over cell i's rows.
func (c cells) sum(counts []uint64, rowCounts []uint32) {
	j := 0
	for i := range counts {
		var total uint64
		for end := c.bounds[i+1]; j < end; j++ {
			total += uint64(rowCounts[j])
		}
		counts[i] = total
	}
}

// resampled holds a materialized resample, reused across resamples.
type resampled struct {
	y []bool
	p []float64
}

func (s *resampled) fill(rows []scored, counts []uint32) ([]bool, []float64) {
	s.y, s.p = s.y[:0], s.p[:0]
	for i, c := range counts {
		for range c {
			s.y = append(s.y, rows[i].pos)
			s.p = append(s.p, rows[i].p)
		}
	}
	return s.y, s.p
}
