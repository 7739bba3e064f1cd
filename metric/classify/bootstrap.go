package classify

import (
	"math"
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
// interpolation) of metric over the resamples. Resample b draws from
// PCG(seed, b), so the result depends only on the inputs and the seed, not
// on how many goroutines compute it. Resamples where metric is undefined
// are skipped; ok is false when all are.
//
// ROCAUC and AveragePrecision only see how many positives and negatives of
// each tie group a resample holds. Those counts for n rows drawn uniformly
// are Multinomial(n, size/n) over the groups' classes, so they are drawn
// directly, one binomial per (group, class) cell: O(distinct scores) per
// resample, the same distribution as drawing rows. With few ties (more
// cells than perRowAbove·n) drawing n rows and counting them per cell is
// cheaper and is done instead. Any other metric gets the resampled rows
// materialized; it must be safe to call from several goroutines at once.
func Bootstrap(y []bool, p []float64, metric func([]bool, []float64) (float64, bool), resamples int, seed uint64) (Interval, bool) {
	return bootstrap(y, p, metric, resamples, seed, automatic)
}

// resampling is how a resample of a tie-group metric is drawn.
type resampling int

const (
	automatic resampling = iota // perCell, or perRow above perRowAbove·n cells
	perRow                      // n uniform row draws, summed per cell
	perCell                     // one binomial per cell
)

func (r resampling) String() string {
	return [...]string{"automatic", "per row", "per cell"}[r]
}

func bootstrap(y []bool, p []float64, metric func([]bool, []float64) (float64, bool), resamples int, seed uint64, how resampling) (Interval, bool) {
	if resamples < 1 {
		return Interval{}, false
	}
	rows := sortDesc(y, p)
	var eval func() resampleFunc
	if stat := cellStatistic(metric); stat == nil {
		eval = materialized(rows, metric)
	} else {
		eval = cellResampler(newCells(rows), stat, how)
	}
	vals := runResamples(resamples, seed, eval)
	if len(vals) == 0 {
		return Interval{}, false
	}
	slices.Sort(vals)
	return Interval{Percentile(vals, 2.5), Percentile(vals, 97.5)}, true
}

// cellStatistic is the version of metric computed from cell counts, nil
// for a metric that needs the rows.
func cellStatistic(metric func([]bool, []float64) (float64, bool)) func([]uint64) (float64, bool) {
	switch reflect.ValueOf(metric).Pointer() {
	case reflect.ValueOf(ROCAUC).Pointer():
		return weightedAUC
	case reflect.ValueOf(AveragePrecision).Pointer():
		return weightedAP
	}
	return nil
}

// resampleFunc evaluates the metric on the resample drawn from src.
type resampleFunc func(src *rand.PCG) (float64, bool)

// runResamples evaluates every resample on GOMAXPROCS goroutines, each
// with its own resampleFunc from newEval (its scratch space), and returns
// the defined values in resample order.
func runResamples(resamples int, seed uint64, newEval func() resampleFunc) []float64 {
	vals := make([]float64, resamples)
	ok := make([]bool, resamples)
	workers := min(runtime.GOMAXPROCS(0), resamples)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			eval := newEval()
			for b := w; b < resamples; b += workers {
				vals[b], ok[b] = eval(rand.NewPCG(seed, uint64(b)))
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

// weightedAUC is the curve's auc from cell counts (see cells).
func weightedAUC(counts []uint64) (float64, bool) {
	var u2, tp, fp uint64
	for g := 0; g+1 < len(counts); g += 2 {
		gp, gn := counts[g], counts[g+1]
		u2 += gn * (2*tp + gp)
		tp += gp
		fp += gn
	}
	if tp == 0 || fp == 0 {
		return 0, false
	}
	return float64(u2) / (2 * float64(tp) * float64(fp)), true
}

// weightedAP is the curve's ap from cell counts (see cells).
func weightedAP(counts []uint64) (float64, bool) {
	var sum float64
	var tp, fp uint64
	for g := 0; g+1 < len(counts); g += 2 {
		gp, gn := counts[g], counts[g+1]
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

// Percentile is numpy.Percentile(sorted, q) with linear interpolation.
func Percentile(sorted []float64, q float64) float64 {
	pos := q / 100 * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	frac := pos - float64(lo)
	return sorted[lo] + frac*(sorted[lo+1]-sorted[lo])
}
