package monitoring

import (
	"math"
	"math/rand/v2"
	"testing"
)

// between is a policy between silent and oracle on twoStreams: late
// detections, a miss, a false alarm, one right and one severe retrain,
// estimates half-way during stream a's drop and exact on stream b.
func between() []Stream {
	return twoStreams(func(id string, w *Week) {
		switch id {
		case "a":
			w.DriftAlert = w.N == 8 || w.N == 2
			w.PerformanceAlert = w.N == 9
			w.Retrain = w.N == 12
			if 6 <= w.N && w.N <= 12 {
				w.EstimatedAUC = ptr(0.75)
			}
		case "b":
			w.PerformanceAlert = w.N == 17
			w.Retrain = w.N == 20
			w.EstimatedAUC = w.RealizedAUC
		}
	})
}

func TestCount(t *testing.T) {
	tests := []struct {
		name    string
		streams []Stream
		want    Tally
	}{
		{"between", between(), Tally{Missed: 3, DelayWeeks: 2 + 3 + 2 + 6 + 5 + 4, FalseAlarms: 1,
			MissedWindows: 1, OnCorrupt: 1, AbsError: 7 * 0.05, Estimated: 52}},
		{"silent", policy(between(), Silent, 0.8), Tally{Missed: 6, DelayWeeks: 4 + 4 + 2 + 6 + 6 + 4,
			MissedWindows: 2, AbsError: 17 * 0.1, Estimated: 52}},
		{"oracle", policy(between(), Oracle, 0), Tally{Estimated: 52}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Count(tt.streams)
			if math.Abs(got.AbsError-tt.want.AbsError) > 1e-9 {
				t.Errorf("AbsError = %v, want %v", got.AbsError, tt.want.AbsError)
			}
			got.AbsError = tt.want.AbsError
			if got != tt.want {
				t.Errorf("Count = %+v\nwant    %+v", got, tt.want)
			}
		})
	}
}

func TestScore(t *testing.T) {
	c := DefaultCosts()
	cost := 30 + 2*22 + 1 + 5 + 8 + 100*0.35/52.0
	never := 60 + 2*26 + 10 + 100*1.7/52.0
	tests := []struct {
		name    string
		streams []Stream
		want    float64
	}{
		{"silent scores 0", policy(between(), Silent, 0.8), 0},
		{"oracle scores 100", policy(between(), Oracle, 0), 100},
		{"between", between(), 100 * (never - cost) / never},
		// Worse than silent: clamped.
		{"alarm every week", twoStreams(func(_ string, w *Week) { w.DriftAlert, w.PerformanceAlert, w.Retrain = true, true, true }), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Score(tt.streams, c, 0.8); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("Score = %v, want %v", got, tt.want)
			}
		})
	}
	if got := Score(between(), c, 0.8); !(got > 0 && got < 100) {
		t.Errorf("between policy scores %v, want strictly inside (0, 100)", got)
	}
	if got := Cost(between(), c); math.Abs(got-cost) > 1e-9 {
		t.Errorf("Cost = %v, want %v", got, cost)
	}
}

// TestLateDetectionBeatsMiss holds for the 6-week grace of a label-only
// shift too, because a miss also pays the capped delay.
func TestLateDetectionBeatsMiss(t *testing.T) {
	c := DefaultCosts()
	ev := []Event{{Kind: Performance, Start: 5, End: 5, MaxDelay: 6}}
	late := Stream{Weeks: weeks(20, alertsAt(Performance, 11)), Events: ev}
	missed := Stream{Weeks: weeks(20, nil), Events: ev}
	if l, m := Cost([]Stream{late}, c), Cost([]Stream{missed}, c); !(l < m) || l != 12 || m != 22 {
		t.Errorf("late detection costs %v, a miss %v; want 12 < 22", l, m)
	}
}

func TestScoreNothingToGain(t *testing.T) {
	quiet := []Stream{{Weeks: weeks(10, nil)}}
	noisy := []Stream{{Weeks: weeks(10, alertsAt(Drift, 3))}}
	if got := Score(quiet, DefaultCosts(), 0.8); got != 100 {
		t.Errorf("quiet on a null stream: %v, want 100", got)
	}
	if got := Score(noisy, DefaultCosts(), 0.8); got != 0 {
		t.Errorf("false alarm on a null stream: %v, want 0", got)
	}
}

func TestApplyLeavesInputAlone(t *testing.T) {
	s := between()[0]
	_ = Oracle.Apply(s, 0)
	_ = Silent.Apply(s, 0.5)
	if !s.Weeks[1].DriftAlert || s.Weeks[0].DriftAlert || *s.Weeks[6].EstimatedAUC != 0.75 {
		t.Error("Apply changed the candidate's weeks")
	}
}

func TestDeterminism(t *testing.T) {
	c := DefaultCosts()
	s1, s2 := Score(between(), c, 0.8), Score(between(), c, 0.8)
	i1, _ := ScoreInterval(between(), c, 0.8, 500, 42)
	i2, _ := ScoreInterval(between(), c, 0.8, 500, 42)
	if math.Float64bits(s1) != math.Float64bits(s2) || i1 != i2 {
		t.Errorf("two runs differ: %v/%v, %v/%v", s1, s2, i1, i2)
	}
	p, _ := calibrated(5000, 1, func(r *rand.Rand) float64 { return r.Float64() }, func(p float64) float64 { return p })
	a, _ := CBPE(p)
	b, _ := CBPE(p)
	if math.Float64bits(a) != math.Float64bits(b) {
		t.Errorf("CBPE differs between runs: %v, %v", a, b)
	}
}
