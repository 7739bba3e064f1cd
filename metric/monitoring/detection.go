package monitoring

import "math"

// detectable reports whether channel c must detect e: events of c that
// are neither Optional nor, on the performance channel, Benign.
func (e Event) detectable(c Channel) bool {
	return e.Kind == c && !e.Optional && (c != Performance || !e.Benign)
}

// covers reports whether week n lies in the detection window of an event
// of channel c (Optional ones included, Benign performance events not).
func (e Event) covers(c Channel, n int) bool {
	return e.Kind == c && (c != Performance || !e.Benign) && e.detection().contains(n)
}

// isNull reports whether week n of s is null for channel c, so that an
// alert there is a false alarm: no event of c covers it, or, for the
// performance channel, a Benign event's [Start, End] holds it. Benign
// wins over a performance event covering the same week, as the schedule
// says the change is harmless.
func isNull(s Stream, c Channel, n int) bool {
	covered := false
	for _, e := range s.Events {
		if c == Performance && e.Benign && (Window{e.Start, e.End}).contains(n) {
			return true
		}
		covered = covered || e.covers(c, n)
	}
	return !covered
}

// firstAlert is the index in s.Weeks of the earliest alert of channel c
// that detects e: in e's detection window and not in a null week (so a
// performance alert in a benign week never detects). ok is false if none.
func firstAlert(s Stream, c Channel, e Event) (i int, ok bool) {
	i = -1
	win := e.detection()
	for j, w := range s.Weeks {
		if !w.Alert(c) || !win.contains(w.N) || isNull(s, c, w.N) {
			continue
		}
		if i < 0 || w.N < s.Weeks[i].N {
			i = j
		}
	}
	return i, i >= 0
}

// Detection returns, for each event channel c must detect (in the order
// of s.Events), the delay of its first alert in [Start, End+MaxDelay],
// delay = alert week − Start, and the number of events with no such
// alert. Alerts before Start do not count (CapyMOA's max_early_detection
// = 0). Delays here are not capped; Cost caps them.
func Detection(s Stream, c Channel) (delays []int, missed int) {
	for _, e := range s.Events {
		if !e.detectable(c) {
			continue
		}
		if i, ok := firstAlert(s, c, e); ok {
			delays = append(delays, s.Weeks[i].N-e.Start)
		} else {
			missed++
		}
	}
	return delays, missed
}

// falseAlarms counts the alerts of channel c in null weeks of s, and the
// null weeks.
func falseAlarms(s Stream, c Channel) (alarms, null int) {
	for _, w := range s.Weeks {
		if isNull(s, c, w.N) {
			null++
			if w.Alert(c) {
				alarms++
			}
		}
	}
	return alarms, null
}

// FalseAlarmsPer52 is the false-alarm rate of channel c over all streams:
// 52 · (alerts in null weeks) / (null weeks), pooled (see isNull for what
// a null week is). It is 0 when there is no null week, with nullWeeks 0
// telling that apart from a clean record.
func FalseAlarmsPer52(streams []Stream, c Channel) (rate float64, nullWeeks int) {
	alarms := 0
	for _, s := range streams {
		a, n := falseAlarms(s, c)
		alarms += a
		nullWeeks += n
	}
	if nullWeeks == 0 {
		return 0, 0
	}
	return 52 * float64(alarms) / float64(nullWeeks), nullWeeks
}

// KindAccuracy is the share of detected drift events with a DriftKind
// whose detecting alert (the first, see Detection) named that kind; n is
// the number of such events, and the share is 0 when n is 0.
func KindAccuracy(streams []Stream) (share float64, n int) {
	right := 0
	for _, s := range streams {
		for _, e := range s.Events {
			if !e.detectable(Drift) || e.DriftKind == "" {
				continue
			}
			if i, ok := firstAlert(s, Drift, e); ok {
				n++
				if s.Weeks[i].DriftKind == e.DriftKind {
					right++
				}
			}
		}
	}
	if n == 0 {
		return 0, 0
	}
	return float64(right) / float64(n), n
}

// DeclaredHonesty is |declared false alarms per year − realized false
// alarms per 52 weeks|: how far the candidate's declared rate
// (monitor.expected_false_alarms_per_year) was from what happened.
func DeclaredHonesty(declaredPerYear, realizedPer52 float64) float64 {
	return math.Abs(declaredPerYear - realizedPer52)
}

// FirstAlert is the week of the alert of channel c that detects e (see
// Detection), for reports that speak of one event; ok is false when e
// went undetected or c need not detect it.
func FirstAlert(s Stream, c Channel, e Event) (week int, ok bool) {
	if !e.detectable(c) {
		return 0, false
	}
	i, ok := firstAlert(s, c, e)
	if !ok {
		return 0, false
	}
	return s.Weeks[i].N, true
}
