package monitoring

import (
	"math/rand/v2"
	"slices"

	"takehome/metric/classify"
)

// ScoreInterval is the 95 % percentile bootstrap interval of Score: the
// 2.5th and 97.5th percentiles (numpy's linear interpolation) of the score
// over resamples. A resample draws len(streams) streams with replacement
// and, within each drawn stream, its weeks with replacement (E.1.4's
// "over the streams and over weeks within each stream"). Weeks carry the
// week-level items (false alarms, wrong retrains, estimation errors);
// the event-level items of a stream (misses, delays, missed retrain
// windows) go with the stream whole, since dropping the week an alert
// fell in would invent a miss. The candidate, the silent and the oracle
// policies are resampled together, so each resample is normalised on its
// own streams and weeks. Resample b draws from PCG(seed, b): the interval
// depends only on the inputs and the seed. ok is false with no stream or
// resamples < 1.
func ScoreInterval(streams []Stream, c Costs, neverEstimate float64, resamples int, seed uint64) (iv classify.Interval, ok bool) {
	if len(streams) == 0 || resamples < 1 {
		return classify.Interval{}, false
	}
	parts := make([]streamParts, len(streams))
	for i, s := range streams {
		parts[i] = newStreamParts(s, neverEstimate)
	}
	vals := make([]float64, resamples)
	for b := range vals {
		vals[b] = resample(parts, c, rand.New(rand.NewPCG(seed, uint64(b))))
	}
	slices.Sort(vals)
	return classify.Interval{Low: classify.Percentile(vals, 2.5), High: classify.Percentile(vals, 97.5)}, true
}

// streamParts is one stream's tally split into its event-level part and
// one part per week, for the candidate and the two reference policies.
type streamParts struct {
	events [3]Tally   // candidate, silent, oracle
	weeks  [][3]Tally // per week, same order
}

func newStreamParts(s Stream, neverEstimate float64) streamParts {
	runs := [3]Stream{s, Silent.Apply(s, neverEstimate), Oracle.Apply(s, 0)}
	p := streamParts{weeks: make([][3]Tally, len(s.Weeks))}
	for k, r := range runs {
		p.events[k] = eventTally(r)
		for i := range r.Weeks {
			p.weeks[i][k] = weekTally(r, i)
		}
	}
	return p
}

// resample draws one bootstrap resample and scores it.
func resample(parts []streamParts, c Costs, r *rand.Rand) float64 {
	var t [3]Tally
	for range parts {
		p := parts[r.IntN(len(parts))]
		for k := range t {
			t[k] = t[k].add(p.events[k])
		}
		for range p.weeks {
			w := p.weeks[r.IntN(len(p.weeks))]
			for k := range t {
				t[k] = t[k].add(w[k])
			}
		}
	}
	return normalise(t[0], t[1], t[2], c)
}
