package monitoring

import "math"

// Costs weighs the items of the monitoring cost (E.1.4).
type Costs struct {
	Miss             float64 // per detectable event never detected
	DelayWeek        float64 // per week of detection delay, capped at the event's MaxDelay
	FalseAlarm       float64 // per alert in a null week, either channel
	MissedRetrain    float64 // per retrain-worthy window without a retrain
	UnneededRetrain  float64 // per retrain outside every window and corrupt event
	RetrainOnCorrupt float64 // per retrain inside a data-quality incident
	EstimationMAE    float64 // times the pooled MAE of estimated vs realized AUC
}

// DefaultCosts are E.1.4's weights: 10, 2, 1, 5, 2, 8 and 100. A false
// alarm costs less than a week of delay, and a missed event (10 plus its
// capped delay, see Tally) more than any detection.
func DefaultCosts() Costs {
	return Costs{Miss: 10, DelayWeek: 2, FalseAlarm: 1, MissedRetrain: 5, UnneededRetrain: 2, RetrainOnCorrupt: 8, EstimationMAE: 100}
}

// Tally is the countable outcome of a policy on some streams, what Cost
// weighs.
type Tally struct {
	Missed int // detectable events (both channels) with no detecting alert
	// DelayWeeks is Σ min(delay, MaxDelay) over the detectable events; a
	// missed event counts its full MaxDelay, so that with any weights a
	// detection, however late, costs less than a miss (E.1.4's "2·4 < 10"
	// would fail for MaxDelay 6 otherwise).
	DelayWeeks    int
	FalseAlarms   int // alerts in null weeks, both channels
	MissedWindows int // retrain-worthy windows with no Right retrain
	Unneeded      int // Retrains.Unneeded
	OnCorrupt     int // Retrains.OnCorrupt
	AbsError      float64
	Estimated     int // weeks with an estimate and a realized AUC, summed in AbsError
}

func (t Tally) add(u Tally) Tally {
	return Tally{
		t.Missed + u.Missed, t.DelayWeeks + u.DelayWeeks, t.FalseAlarms + u.FalseAlarms,
		t.MissedWindows + u.MissedWindows, t.Unneeded + u.Unneeded, t.OnCorrupt + u.OnCorrupt,
		t.AbsError + u.AbsError, t.Estimated + u.Estimated,
	}
}

// MAE is AbsError / Estimated, pooled over all weeks of all streams (not
// a mean of per-stream means); 0 with no estimated week.
func (t Tally) MAE() float64 {
	if t.Estimated == 0 {
		return 0
	}
	return t.AbsError / float64(t.Estimated)
}

// Cost is the weighted sum of the tally.
func (t Tally) Cost(c Costs) float64 {
	return c.Miss*float64(t.Missed) + c.DelayWeek*float64(t.DelayWeeks) +
		c.FalseAlarm*float64(t.FalseAlarms) + c.MissedRetrain*float64(t.MissedWindows) +
		c.UnneededRetrain*float64(t.Unneeded) + c.RetrainOnCorrupt*float64(t.OnCorrupt) +
		c.EstimationMAE*t.MAE()
}

// Count tallies the candidate's decisions on the streams.
func Count(streams []Stream) Tally {
	var t Tally
	for _, s := range streams {
		t = t.add(eventTally(s))
		for i := range s.Weeks {
			t = t.add(weekTally(s, i))
		}
	}
	return t
}

// eventTally is the part of s's tally that belongs to events and windows:
// misses, delays and missed retrain windows.
func eventTally(s Stream) Tally {
	var t Tally
	for _, c := range []Channel{Drift, Performance} {
		for _, e := range s.Events {
			if !e.detectable(c) {
				continue
			}
			if i, ok := firstAlert(s, c, e); ok {
				t.DelayWeeks += min(s.Weeks[i].N-e.Start, e.MaxDelay)
			} else {
				t.Missed++
				t.DelayWeeks += e.MaxDelay
			}
		}
	}
	r := RetrainDecisions(s)
	t.MissedWindows = r.Windows - r.Hit
	return t
}

// weekTally is the part of s's tally that belongs to week i: its false
// alarms, its retrain if wrong, its estimation error.
func weekTally(s Stream, i int) Tally {
	var t Tally
	w := s.Weeks[i]
	for _, c := range []Channel{Drift, Performance} {
		if w.Alert(c) && isNull(s, c, w.N) {
			t.FalseAlarms++
		}
	}
	if w.Retrain {
		switch retrainClass(s, w.N) {
		case onCorrupt:
			t.OnCorrupt++
		case -1:
			t.Unneeded++
		}
	}
	if w.EstimatedAUC != nil && w.RealizedAUC != nil {
		t.AbsError = math.Abs(*w.EstimatedAUC - *w.RealizedAUC)
		t.Estimated = 1
	}
	return t
}

// Cost is the monitoring cost of the candidate's decisions on the streams.
func Cost(streams []Stream, c Costs) float64 { return Count(streams).Cost(c) }

// Score is 100 · clamp((cost_never − cost) / (cost_never − cost_oracle),
// 0, 1) (E.1.4). The never policy (Silent) raises no alert, never
// retrains and estimates neverEstimate every week: the candidate's
// expected_score. The oracle (Oracle) alerts at each detectable event's
// Start, retrains at each window's Start and estimates the realized AUC.
// When the oracle is no cheaper than never (nothing to detect, retrain or
// estimate better), the score is 100 if the candidate costs no more than
// the oracle, else 0.
func Score(streams []Stream, c Costs, neverEstimate float64) float64 {
	return normalise(Count(streams), Count(policy(streams, Silent, neverEstimate)), Count(policy(streams, Oracle, 0)), c)
}

func normalise(cand, never, oracle Tally, c Costs) float64 {
	cost, lo, hi := cand.Cost(c), oracle.Cost(c), never.Cost(c)
	if hi <= lo {
		if cost <= lo {
			return 100
		}
		return 0
	}
	return 100 * min(max((hi-cost)/(hi-lo), 0), 1)
}
