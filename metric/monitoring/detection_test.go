package monitoring

import (
	"math"
	"slices"
	"testing"
)

func TestDetection(t *testing.T) {
	abrupt := Event{Kind: Drift, Start: 5, End: 5, MaxDelay: 4}
	gradual := Event{Kind: Drift, Start: 5, End: 8, MaxDelay: 6}
	tests := []struct {
		name       string
		event      Event
		alerts     []int
		wantDelays []int
		wantMissed int
	}{
		{"at onset", abrupt, []int{5}, []int{0}, 0},
		{"first alert sets the delay", abrupt, []int{7, 8}, []int{2}, 0},
		{"last week of grace", abrupt, []int{9}, []int{4}, 0},
		{"one week too late", abrupt, []int{10}, nil, 1},
		{"early alert does not count", abrupt, []int{4}, nil, 1},
		{"early then in window", abrupt, []int{3, 7}, []int{2}, 0},
		{"gradual: grace runs from End", gradual, []int{14}, []int{9}, 0},
		{"gradual: past End+MaxDelay", gradual, []int{15}, nil, 1},
		{"no alert", abrupt, nil, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Stream{Weeks: weeks(20, alertsAt(Drift, tt.alerts...)), Events: []Event{tt.event}}
			delays, missed := Detection(s, Drift)
			if !slices.Equal(delays, tt.wantDelays) || missed != tt.wantMissed {
				t.Errorf("Detection = %v, %d; want %v, %d", delays, missed, tt.wantDelays, tt.wantMissed)
			}
			if d, m := Detection(s, Performance); d != nil || m != 0 {
				t.Errorf("performance channel saw the drift event: %v, %d", d, m)
			}
		})
	}
}

func TestDetectionSkipsOptionalAndBenign(t *testing.T) {
	s := Stream{
		Weeks: weeks(20, alertsAt(Performance, 4)),
		Events: []Event{
			{Kind: Drift, Start: 3, End: 3, MaxDelay: 1, Optional: true},
			{Kind: Performance, Start: 10, End: 10, MaxDelay: 1, Benign: true},
			// Inside a benign change: the alert at 4 is a false alarm, not a detection.
			{Kind: Performance, Start: 3, End: 3, MaxDelay: 2},
			{Kind: Drift, Start: 3, End: 5, MaxDelay: 0, Benign: true},
		},
	}
	if d, m := Detection(s, Drift); len(d) != 0 || m != 1 {
		t.Errorf("drift: %v, %d; want the benign event missed, the optional one not", d, m)
	}
	if d, m := Detection(s, Performance); len(d) != 0 || m != 1 {
		t.Errorf("performance: %v, %d; want one miss", d, m)
	}
}

func TestFalseAlarmsPer52(t *testing.T) {
	events := []Event{
		{Kind: Drift, Start: 3, End: 5, MaxDelay: 4, Benign: true}, // drift window 3–9
		{Kind: Performance, Start: 12, End: 13, MaxDelay: 4},       // performance window 12–17
		{Kind: Drift, Start: 19, End: 19, MaxDelay: 0, Optional: true},
	}
	tests := []struct {
		name      string
		channel   Channel
		alerts    []int
		wantRate  float64
		wantNulls int
	}{
		// Drift null weeks: 20 − 7 (3–9) − 1 (19) = 12.
		{"drift alerts in the benign change and the optional event are fine", Drift, []int{4, 9, 19}, 0, 12},
		{"drift alerts outside every window", Drift, []int{1, 10, 20}, 52 * 3.0 / 12, 12},
		// Performance null weeks: 20 − 6 (12–17) = 14; the benign weeks are null.
		{"performance alert in the benign change", Performance, []int{4}, 52 * 1.0 / 14, 14},
		{"performance alerts in the event window", Performance, []int{12, 17}, 0, 14},
		{"performance alert after the window", Performance, []int{18}, 52 * 1.0 / 14, 14},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Stream{Weeks: weeks(20, alertsAt(tt.channel, tt.alerts...)), Events: events}
			rate, nulls := FalseAlarmsPer52([]Stream{s}, tt.channel)
			if math.Abs(rate-tt.wantRate) > 1e-12 || nulls != tt.wantNulls {
				t.Errorf("FalseAlarmsPer52 = %v, %d; want %v, %d", rate, nulls, tt.wantRate, tt.wantNulls)
			}
		})
	}
}

func TestFalseAlarmsPooledOverStreams(t *testing.T) {
	a := Stream{Weeks: weeks(26, alertsAt(Drift, 1, 2))}
	b := Stream{Weeks: weeks(26, nil)}
	rate, nulls := FalseAlarmsPer52([]Stream{a, b}, Drift)
	if rate != 2 || nulls != 52 {
		t.Errorf("got %v over %d weeks; want 2 over 52", rate, nulls)
	}
	if rate, nulls := FalseAlarmsPer52(nil, Drift); rate != 0 || nulls != 0 {
		t.Errorf("no streams: %v, %d", rate, nulls)
	}
}

func TestKindAccuracy(t *testing.T) {
	s := Stream{
		Weeks: weeks(20, func(w *Week) {
			switch w.N {
			case 3:
				w.DriftAlert, w.DriftKind = true, "label" // before the first event: ignored
			case 5:
				w.DriftAlert, w.DriftKind = true, "covariate"
			case 12:
				w.DriftAlert, w.DriftKind = true, "covariate"
			}
		}),
		Events: []Event{
			{Kind: Drift, Start: 5, End: 5, MaxDelay: 4, DriftKind: "covariate"},
			{Kind: Drift, Start: 11, End: 11, MaxDelay: 4, DriftKind: "label"},
			{Kind: Drift, Start: 17, End: 17, MaxDelay: 2, DriftKind: "concept"}, // missed: not counted
		},
	}
	if share, n := KindAccuracy([]Stream{s}); share != 0.5 || n != 2 {
		t.Errorf("KindAccuracy = %v, %d; want 0.5, 2", share, n)
	}
}

func TestDeclaredHonesty(t *testing.T) {
	tests := []struct{ declared, realized, want float64 }{{2, 2, 0}, {2, 5, 3}, {6, 1.5, 4.5}}
	for _, tt := range tests {
		if got := DeclaredHonesty(tt.declared, tt.realized); got != tt.want {
			t.Errorf("DeclaredHonesty(%v, %v) = %v, want %v", tt.declared, tt.realized, got, tt.want)
		}
	}
}
