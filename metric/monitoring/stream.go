package monitoring

import "takehome/metric/classify"

// Channel is what an alert claims: a change in the data, or a loss of the
// model's performance. Each channel is scored separately.
type Channel string

// The two alert channels of week.json.
const (
	Drift       Channel = "drift"
	Performance Channel = "performance"
)

// Event is one ground-truth change in a stream, in weeks numbered as
// Week.N. An event whose Kind is neither channel is ignored.
type Event struct {
	Kind       Channel // the channel that should alert
	Start, End int     // first and last week of the change, inclusive; End = Start when abrupt
	// MaxDelay is the grace after End in which an alert still detects the
	// event: E.1.4 uses 4 weeks, 6 for a shift only labels reveal.
	MaxDelay int
	// DriftKind is the drift_kind a detection should name (covariate,
	// label, concept, data_quality); "" leaves the event out of
	// KindAccuracy.
	DriftKind string
	// Benign marks an expected change (S1, S6): a performance alert in
	// [Start, End] is a false alarm. A Benign performance event is no
	// performance event at all.
	Benign bool
	// Optional marks an event alerting on which is allowed, not required
	// (S6, "no alert, or an alert marked expected"): it is never missed
	// and its channel's alerts in its window are not false alarms.
	Optional bool
	// Corrupt marks a data-quality incident (S5): a retrain in [Start, End]
	// is a severe error.
	Corrupt bool
}

// Window is a span of weeks, both ends inclusive.
type Window struct{ Start, End int }

func (w Window) contains(n int) bool { return w.Start <= n && n <= w.End }

// detection is the window in which an alert detects e.
func (e Event) detection() Window { return Window{e.Start, e.End + e.MaxDelay} }

// Week is one week of one stream: what the candidate reported and what
// the grader knows of it.
type Week struct {
	N                int // week number, as in meta.json
	DriftAlert       bool
	PerformanceAlert bool
	Retrain          bool
	DriftKind        string
	EstimatedAUC     *float64 // nil when the candidate gave none
	RealizedAUC      *float64 // from the week's labels, known at grading; nil when undefined
	// Scores are the served probabilities of the week's rows and Labels
	// their true outcomes (true = churned), row for row.
	Scores []float64
	Labels []bool
}

// Alert reports whether the week raised an alert on channel c.
func (w Week) Alert(c Channel) bool {
	switch c {
	case Drift:
		return w.DriftAlert
	case Performance:
		return w.PerformanceAlert
	}
	return false
}

// RealizedAUC is the ROC AUC of the week's served scores against its
// labels (classify.ROCAUC); ok is false with a single class.
func RealizedAUC(w Week) (auc float64, ok bool) {
	return classify.ROCAUC(w.Labels, w.Scores)
}

// Stream is one simulated stream: the candidate's weeks and the ground
// truth. Weeks need not be sorted but each N should appear once.
type Stream struct {
	ID     string
	Weeks  []Week
	Events []Event
	// RetrainWorthy are the windows in which a retrain is right (E.1.3:
	// from start + label delay of S2, S3 and S4, never inside S5).
	RetrainWorthy []Window
	// FrozenScores are, per week (same index as Weeks), the scores the
	// model frozen after train gives the week's rows: the counterfactual
	// of StreamValue. Nil when there is none.
	FrozenScores [][]float64
}
