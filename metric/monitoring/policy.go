package monitoring

// Policy is a reference policy that Score places the candidate between.
type Policy int

const (
	// Silent never alerts or retrains and estimates a constant (E.1.5's
	// monitor-silent): the score's 0.
	Silent Policy = iota
	// Oracle alerts on the right channel in each detectable event's Start
	// week, retrains in each retrain-worthy window's Start week and
	// estimates the realized AUC: the score's 100.
	Oracle
)

// Apply returns a copy of s in which the weeks hold p's decisions in place
// of the candidate's; estimate is Silent's constant, unused by Oracle. The
// rows (Scores, Labels) are shared with s, not copied. Oracle can act only
// in weeks present in s.Weeks.
func (p Policy) Apply(s Stream, estimate float64) Stream {
	out := s
	out.Weeks = make([]Week, len(s.Weeks))
	for i, w := range s.Weeks {
		w.DriftAlert, w.PerformanceAlert, w.Retrain, w.DriftKind = false, false, false, ""
		w.EstimatedAUC = &estimate
		if p == Oracle {
			w.EstimatedAUC = w.RealizedAUC
			oracleWeek(s, &w)
		}
		out.Weeks[i] = w
	}
	return out
}

// oracleWeek sets the oracle's alerts and retrain for week w of s.
func oracleWeek(s Stream, w *Week) {
	for _, e := range s.Events {
		if e.Start != w.N {
			continue
		}
		if e.detectable(Drift) {
			w.DriftAlert, w.DriftKind = true, e.DriftKind
		}
		if e.detectable(Performance) {
			w.PerformanceAlert = true
		}
	}
	for _, win := range s.RetrainWorthy {
		if win.Start == w.N {
			w.Retrain = true
		}
	}
}

// policy applies p to every stream.
func policy(streams []Stream, p Policy, estimate float64) []Stream {
	out := make([]Stream, len(streams))
	for i, s := range streams {
		out[i] = p.Apply(s, estimate)
	}
	return out
}
