package classify

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"sync"
)

// Interval is a confidence interval.
type Interval struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// Bootstrap resamples the n rows with replacement `resamples` times and
// returns the 2.5th and 97.5th percentiles (numpy's default linear
// interpolation) of metric over the resamples. Resample b draws its rows
// from PCG(seed, b), so the result depends only on the inputs and the seed,
// not on how many goroutines compute it. Resamples where metric is
// undefined are skipped; ok is false when all are.
//
// A resample is a multiplicity count per row, not a copy. For ROCAUC and
// AveragePrecision the counts are consumed in one weighted pass over the
// rows sorted once by score (O(n) per resample); any other metric gets the
// resampled rows materialized; it must be safe to call from several
// goroutines at once. Both ways give the same values.
func Bootstrap(y []bool, p []float64, metric func([]bool, []float64) (float64, bool), resamples int, seed uint64) (Interval, bool) {
	if resamples < 1 {
		return Interval{}, false
	}
	rows := sortDesc(y, p)
	eval := func(counts []uint32, s *resampled) (float64, bool) { return metric(s.fill(rows, counts)) }
	switch reflect.ValueOf(metric).Pointer() {
	case reflect.ValueOf(ROCAUC).Pointer():
		groups := tieGroups(rows)
		eval = func(counts []uint32, _ *resampled) (float64, bool) { return weightedAUC(groups, counts) }
	case reflect.ValueOf(AveragePrecision).Pointer():
		groups := tieGroups(rows)
		eval = func(counts []uint32, _ *resampled) (float64, bool) { return weightedAP(groups, counts) }
	}
	vals := runResamples(len(rows), resamples, seed, eval)
	if len(vals) == 0 {
		return Interval{}, false
	}
	slices.Sort(vals)
	return Interval{percentile(vals, 2.5), percentile(vals, 97.5)}, true
}

// runResamples evaluates every resample on GOMAXPROCS goroutines and
// returns the defined values in resample order.
func runResamples(n, resamples int, seed uint64, eval func([]uint32, *resampled) (float64, bool)) []float64 {
	vals := make([]float64, resamples)
	ok := make([]bool, resamples)
	workers := min(runtime.GOMAXPROCS(0), resamples)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			counts := make([]uint32, n)
			var scratch resampled
			for b := w; b < resamples; b += workers {
				clear(counts)
				draw(counts, rand.NewPCG(seed, uint64(b)))
				vals[b], ok[b] = eval(counts, &scratch)
			}
		})
	}
	wg.Wait()
	out := vals[:0]
	for b, v := range vals {
		if ok[b] {
			out = append(out, v)
		}
	}
	return out
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

// tieGroup is a run of equal scores in the sorted rows: positives in
// [start, mid), negatives in [mid, end).
type tieGroup struct{ start, mid, end int }

func tieGroups(rows []scored) []tieGroup {
	var groups []tieGroup
	g := tieGroup{mid: -1}
	for i, r := range rows {
		if !r.pos && g.mid < 0 {
			g.mid = i
		}
		if i == len(rows)-1 || rows[i+1].p != r.p {
			g.end = i + 1
			if g.mid < 0 {
				g.mid = g.end
			}
			groups = append(groups, g)
			g = tieGroup{start: i + 1, mid: -1}
		}
	}
	return groups
}

// weightedAUC is the curve's auc with sorted row i counted counts[i] times.
func weightedAUC(groups []tieGroup, counts []uint32) (float64, bool) {
	var u2, tp, fp uint64
	for _, g := range groups {
		gp, gn := sumCounts(counts[g.start:g.mid]), sumCounts(counts[g.mid:g.end])
		u2 += gn * (2*tp + gp)
		tp += gp
		fp += gn
	}
	if tp == 0 || fp == 0 {
		return 0, false
	}
	return float64(u2) / (2 * float64(tp) * float64(fp)), true
}

// weightedAP is the curve's ap with sorted row i counted counts[i] times.
func weightedAP(groups []tieGroup, counts []uint32) (float64, bool) {
	var sum float64
	var tp, fp uint64
	for _, g := range groups {
		gp, gn := sumCounts(counts[g.start:g.mid]), sumCounts(counts[g.mid:g.end])
		tp += gp
		fp += gn
		if gp > 0 {
			sum += float64(gp) * float64(tp) / float64(tp+fp)
		}
	}
	if tp == 0 {
		return 0, false
	}
	return sum / float64(tp), true
}

// sumCounts adds counts four at a time, the hot loop of the bootstrap.
func sumCounts(c []uint32) uint64 {
	var s0, s1, s2, s3 uint64
	for len(c) >= 4 {
		s0 += uint64(c[0])
		s1 += uint64(c[1])
		s2 += uint64(c[2])
		s3 += uint64(c[3])
		c = c[4:]
	}
	for _, v := range c {
		s0 += uint64(v)
	}
	return s0 + s1 + s2 + s3
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

// percentile is numpy.percentile(sorted, q) with linear interpolation.
func percentile(sorted []float64, q float64) float64 {
	pos := q / 100 * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	frac := pos - float64(lo)
	return sorted[lo] + frac*(sorted[lo+1]-sorted[lo])
}
