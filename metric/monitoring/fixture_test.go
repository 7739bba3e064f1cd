package monitoring

import "math/rand/v2"

// ptr returns a pointer to v.
func ptr(v float64) *float64 { return &v }

// weeks returns weeks 1…n with realized AUC 0.8 and estimates 0.8,
// then applies set to each.
func weeks(n int, set func(w *Week)) []Week {
	ws := make([]Week, n)
	for i := range ws {
		ws[i] = Week{N: i + 1, RealizedAUC: ptr(0.8), EstimatedAUC: ptr(0.8)}
		if set != nil {
			set(&ws[i])
		}
	}
	return ws
}

// alertsAt sets channel c's alert in the listed weeks.
func alertsAt(c Channel, ns ...int) func(*Week) {
	return func(w *Week) {
		for _, n := range ns {
			if w.N == n {
				if c == Drift {
					w.DriftAlert = true
				} else {
					w.PerformanceAlert = true
				}
			}
		}
	}
}

// twoStreams is the Score fixture: two 26-week streams with drift and
// performance events, a benign change, a data-quality incident and
// retrain-worthy windows; the realized AUC drops during harmful events.
// The candidate's decisions are whatever set applies (nil: silent, with
// estimates 0.8).
func twoStreams(set func(id string, w *Week)) []Stream {
	a := Stream{
		ID: "a",
		Events: []Event{
			{Kind: Drift, Start: 6, End: 6, MaxDelay: 4, DriftKind: "covariate"},
			{Kind: Performance, Start: 6, End: 8, MaxDelay: 4},
			{Kind: Drift, Start: 16, End: 17, MaxDelay: 2, DriftKind: "covariate", Benign: true},
		},
		RetrainWorthy: []Window{{11, 26}},
	}
	b := Stream{
		ID: "b",
		Events: []Event{
			{Kind: Drift, Start: 10, End: 15, MaxDelay: 6, DriftKind: "concept"},
			{Kind: Performance, Start: 12, End: 14, MaxDelay: 6},
			{Kind: Drift, Start: 20, End: 21, MaxDelay: 4, DriftKind: "data_quality", Corrupt: true},
		},
		RetrainWorthy: []Window{{17, 19}},
	}
	drops := map[string][2]int{"a": {6, 12}, "b": {12, 21}}
	streams := []Stream{a, b}
	for i := range streams {
		s := &streams[i]
		d := drops[s.ID]
		s.Weeks = weeks(26, func(w *Week) {
			if d[0] <= w.N && w.N <= d[1] {
				w.RealizedAUC = ptr(0.7)
			}
			if set != nil {
				set(s.ID, w)
			}
		})
	}
	return streams
}

// calibrated draws n scores from draw and labels from Bernoulli(shift(p)).
func calibrated(n int, seed uint64, draw func(*rand.Rand) float64, shift func(float64) float64) ([]float64, []bool) {
	r := rand.New(rand.NewPCG(seed, 2))
	p := make([]float64, n)
	y := make([]bool, n)
	for i := range p {
		p[i] = draw(r)
		y[i] = r.Float64() < shift(p[i])
	}
	return p, y
}
