package tabular

import (
	"fmt"
	"math"
	"strings"

	"takehome/exercises"
	"takehome/metric/monitoring"
)

// Conventions of the monitor's metrics, as the report states them.
const (
	convMonitor = "100 · clamp((cost_never − cost) / (cost_never − cost_oracle), 0, 1); cost = 10·missed + 2·Σ delay weeks (capped; a miss pays its cap too) + 1·false alarms + 5·missed retrain windows + 2·unneeded retrains + 8·retrains during an incident + 100·estimation MAE; never = no alert, no retrain, expected_score every week; oracle = alerts at each change's start, retrains when labels first show it, exact estimates; 95 % bootstrap over streams and weeks, 1,000 resamples, fixed seed"
	convDelay   = "weeks from a change's first week to the first alert of its channel within 4 weeks of its end (6 for what only labels show); alerts before a change do not count"
	convFAR     = "alerts in weeks with no change on that channel, per 52 such weeks; a performance alert during a harmless change counts"
	convMAE     = "mean over weeks of |estimated_auc − ROC AUC of the week's served predictions against its labels|"
	convValue   = "each week the retention team contacts the top 10 % of served scores: 100 per churner contacted − 10 per contact; frozen = the model as train left it on the same rows"
)

func nan() float64 { return math.NaN() }

// MonitorDetails is the monitor's part of a result's details: per stream,
// each change with how it was caught and whether it hurt the model, and
// the weekly series of the timeline (null where undefined).
type MonitorDetails struct {
	Score    float64         `json:"monitor_score"`
	Streams  []StreamDetails `json:"streams"`
	Declared *float64        `json:"declared_false_alarms_per_year,omitempty"`
	Realized float64         `json:"false_alarms_per_52"`
}

// StreamDetails is one stream of MonitorDetails.
type StreamDetails struct {
	ID        string          `json:"id"`
	Changes   []ChangeDetails `json:"changes"`
	Realized  []*float64      `json:"realized_auc"`
	Estimated []*float64      `json:"estimated_auc"`
	CBPE      []*float64      `json:"cbpe_auc"`
	Alerts    []string        `json:"alerts"` // per week: "", "drift", "performance" or "drift+performance"
	Retrain   []bool          `json:"retrain"`
}

// ChangeDetails is one scheduled change of a stream.
type ChangeDetails struct {
	StreamEvent
	DriftAlertWeek       *int     `json:"drift_alert_week,omitempty"`
	Harmed               bool     `json:"harmed"`
	HarmAUC              *float64 `json:"harm_auc,omitempty"`
	BaseAUC              *float64 `json:"base_auc,omitempty"`
	PerformanceAlertWeek *int     `json:"performance_alert_week,omitempty"`
}

func monitorDetails(results []streamResult, s monitorSummary) MonitorDetails {
	d := MonitorDetails{Score: s.Score, Declared: s.Declared, Realized: s.DriftFAR + s.PerfFAR}
	opt := func(v float64) *float64 {
		if math.IsNaN(v) {
			return nil
		}
		return &v
	}
	for _, r := range results {
		sd := StreamDetails{ID: r.stored.ID}
		for i, e := range r.stored.Events {
			c := ChangeDetails{StreamEvent: e}
			if w, ok := monitoring.FirstAlert(r.scored, monitoring.Drift, r.scored.Events[eventIndex(r, i)]); ok {
				c.DriftAlertWeek = &w
			}
			if h, ok := r.harms[i]; ok {
				c.Harmed, c.HarmAUC, c.BaseAUC = h.Harmed(), opt(h.AUC), opt(h.BaseAUC)
			}
			if w, ok := r.performanceAlert(e); ok {
				c.PerformanceAlertWeek = &w
			}
			sd.Changes = append(sd.Changes, c)
		}
		for k, w := range r.scored.Weeks {
			sd.Realized, sd.Estimated, sd.CBPE = append(sd.Realized, opt(r.realized[k])), append(sd.Estimated, w.EstimatedAUC), append(sd.CBPE, opt(r.cbpe[k]))
			var alerts []string
			if w.DriftAlert {
				alerts = append(alerts, "drift")
			}
			if w.PerformanceAlert {
				alerts = append(alerts, "performance")
			}
			sd.Alerts, sd.Retrain = append(sd.Alerts, strings.Join(alerts, "+")), append(sd.Retrain, w.Retrain)
		}
		d.Streams = append(d.Streams, sd)
	}
	return d
}

// monitorMetrics are the monitor's numbers for the metric table.
func monitorMetrics(s monitorSummary) []exercises.Metric {
	m := []exercises.Metric{{Name: "monitor_score", Value: ptr(s.Score), Convention: convMonitor}}
	if s.Interval != nil {
		m[0].Low, m[0].High = &s.Interval.Low, &s.Interval.High
	}
	m = append(m,
		exercises.Metric{Name: "drift_detected", Value: share(len(s.DriftDelays), s.DriftEvents), Convention: "share of the required drift events detected; " + convDelay},
		exercises.Metric{Name: "drift_mean_delay_weeks", Value: meanDelay(s.DriftDelays), Convention: convDelay},
		exercises.Metric{Name: "performance_detected", Value: share(len(s.PerfDelays), s.PerfEvents), Convention: "share of the changes that harmed this model's served predictions (pooled AUC down by more than max(0.05, 2.5 SE), or log loss up by more than max(10 %, 2.5 SE), against the up to 4 unchanged weeks before the change) with a performance alert in time"},
		exercises.Metric{Name: "performance_mean_delay_weeks", Value: meanDelay(s.PerfDelays), Convention: convDelay},
		exercises.Metric{Name: "drift_false_alarms_per_52", Value: ptr(s.DriftFAR), Convention: fmt.Sprintf("%s (%d such weeks)", convFAR, s.DriftNull)},
		exercises.Metric{Name: "performance_false_alarms_per_52", Value: ptr(s.PerfFAR), Convention: fmt.Sprintf("%s (%d such weeks)", convFAR, s.PerfNull)},
		exercises.Metric{Name: "drift_kind_accuracy", Value: share(int(math.Round(s.KindShare*float64(s.KindN))), s.KindN), Convention: "share of detected drift events whose first alert named the right drift_kind"},
		exercises.Metric{Name: "estimation_mae", Value: ptr(s.MAE), Convention: convMAE},
		exercises.Metric{Name: "constant_estimate_mae", Value: ptr(s.ConstantMAE), Convention: fmt.Sprintf("the same error for estimating %.3f (expected_score) every week", s.Never)},
		exercises.Metric{Name: "cbpe_mae", Value: ptr(s.CBPEMAE), Convention: "the same error for CBPE (NannyML) computed by the grader on the served scores, taken as calibrated"},
		exercises.Metric{Name: "retrain_precision", Value: share(s.Retrains.Right, s.Retrains.Right+s.Retrains.Unneeded+s.Retrains.OnCorrupt), Convention: "retrain weeks inside a window where retraining was right (from 5 weeks after a change that needs it, never during an incident)"},
		exercises.Metric{Name: "retrain_recall", Value: share(s.Retrains.Hit, s.Retrains.Windows), Convention: "retrain-worthy windows with a retrain recommended"},
		exercises.Metric{Name: "retrains_during_incidents", Value: ptr(float64(s.Retrains.OnCorrupt)), Convention: "retrain recommendations while the data was corrupt"},
		exercises.Metric{Name: "business_value", Value: ptr(s.ServedValue), Convention: convValue},
		exercises.Metric{Name: "business_value_frozen", Value: ptr(s.FrozenValue), Convention: convValue},
	)
	if s.DeclaredGap != nil {
		m = append(m, exercises.Metric{Name: "false_alarm_honesty_gap", Value: s.DeclaredGap,
			Convention: "|declared expected_false_alarms_per_year − false alarms per 52 weeks without change, both channels|"})
	}
	return m
}

func share(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	return ptr(float64(n) / float64(of))
}

func meanDelay(xs []int) *float64 {
	if len(xs) == 0 {
		return nil
	}
	sum := 0
	for _, x := range xs {
		sum += x
	}
	return ptr(float64(sum) / float64(len(xs)))
}

// streamName is how the report names a stream: hidden streams by their
// number only, as their ids are opaque.
func (r streamResult) name() string { return fmt.Sprintf("stream %d", r.index) }

// timeline is a stream's week-by-week chart: its changes shaded, the
// estimate beside the realized AUC and CBPE, and the weeks each kind of
// alert was raised marked above them.
func timeline(r streamResult) exercises.Chart {
	c := exercises.Chart{ID: "monitor-" + r.stored.ID, Title: fmt.Sprintf("Monitoring, %s: estimated and realized ROC AUC, alerts and changes", r.name()),
		Kind: "line", XLabel: "week", YLabel: "ROC AUC of the served predictions"}
	for _, e := range r.stored.Events {
		c.Bands = append(c.Bands, exercises.Band{From: float64(e.Start) - 0.5, To: float64(e.End) + 0.5, Label: string(e.Scenario)})
	}
	line := func(name string, ys []float64) exercises.Series {
		s := exercises.Series{Name: name}
		for k, y := range ys {
			if !math.IsNaN(y) {
				s.Points = append(s.Points, exercises.Point{X: float64(k + 1), Y: y})
			}
		}
		return s
	}
	estimates := make([]float64, len(r.scored.Weeks))
	for k, w := range r.scored.Weeks {
		estimates[k] = *w.EstimatedAUC
	}
	c.Series = []exercises.Series{line("realized AUC", r.realized), line("estimated_auc", estimates), line("CBPE on the served scores", r.cbpe)}
	top := 1.0
	for _, s := range c.Series {
		for _, p := range s.Points {
			top = max(top, p.Y)
		}
	}
	for i, m := range []struct {
		name string
		on   func(monitoring.Week) bool
	}{
		{"drift alert", func(w monitoring.Week) bool { return w.DriftAlert }},
		{"performance alert", func(w monitoring.Week) bool { return w.PerformanceAlert }},
		{"retrain recommended", func(w monitoring.Week) bool { return w.Retrain }},
	} {
		s := exercises.Series{Name: m.name, Marks: true}
		for _, w := range r.scored.Weeks {
			if m.on(w) {
				s.Points = append(s.Points, exercises.Point{X: float64(w.N), Y: top + 0.02*float64(3-i)})
			}
		}
		c.Series = append(c.Series, s)
	}
	return c
}

// weekTable lists every week of every stream: the change under way, what
// the monitor said and what happened.
func weekTable(results []streamResult) exercises.Table {
	t := exercises.Table{Title: "Monitoring, week by week",
		Columns: []string{"stream", "week", "change", "drift alert", "performance alert", "retrain", "estimated AUC", "realized AUC", "CBPE"}}
	for _, r := range results {
		for k, w := range r.scored.Weeks {
			drift := "no"
			if w.DriftAlert {
				drift = w.DriftKind
			}
			t.Rows = append(t.Rows, []string{r.name(), fmt.Sprint(w.N), changeAt(r.stored, w.N), drift, yesNo(w.PerformanceAlert),
				yesNo(w.Retrain), f3(w.EstimatedAUC), fnum(r.realized[k]), fnum(r.cbpe[k])})
		}
	}
	return t
}

func changeAt(s Stream, week int) string {
	var names []string
	for _, e := range s.Events {
		switch {
		case e.Start <= week && week <= e.End:
			names = append(names, string(e.Scenario))
		case e.Persists && week > e.End:
			names = append(names, "after "+string(e.Scenario))
		}
	}
	return strings.Join(names, ", ")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func fnum(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", v)
}

// monitorFindings are the plain sentences of the monitor's report: each
// change and how it was caught, the retrain advice, the estimates and the
// declared false-alarm rate.
func monitorFindings(results []streamResult, s monitorSummary) []string {
	out := []string{fmt.Sprintf("Monitor score %.1f of 100%s over %d weeks in %d streams.", s.Score, interval(s), s.Weeks, len(results))}
	for _, r := range results {
		out = append(out, eventFindings(r)...)
		if len(r.invalid) > 0 {
			out = append(out, fmt.Sprintf("In %s, %d of %d weeks broke the output contract (%s).", r.name(), len(r.invalid), len(r.scored.Weeks), r.invalid[0]))
		}
	}
	out = append(out, fmt.Sprintf("Performance estimates were off by %.3f AUC on average; estimating %.3f every week would be off by %.3f; CBPE on these scores by %.3f.",
		s.MAE, s.Never, s.ConstantMAE, s.CBPEMAE))
	far := s.DriftFAR + s.PerfFAR
	switch {
	case s.Declared != nil:
		out = append(out, fmt.Sprintf("Declared about %s false alarms a year; had %s (per 52 weeks without change).", oneDecimal(*s.Declared), oneDecimal(far)))
	default:
		out = append(out, fmt.Sprintf("Had %s false alarms per 52 weeks without change, and declared no expected rate (takehome.yaml's monitor block).", oneDecimal(far)))
	}
	if s.FrozenValue != 0 || s.ServedValue != 0 {
		out = append(out, fmt.Sprintf("The served predictions were worth %.0f against %.0f for the model as train left it (top-decile contacts).", s.ServedValue, s.FrozenValue))
	}
	return out
}

func interval(s monitorSummary) string {
	if s.Interval == nil {
		return ""
	}
	return fmt.Sprintf(" (95%% interval %.1f–%.1f)", s.Interval.Low, s.Interval.High)
}

func oneDecimal(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

// eventFindings say, for each change of a stream, whether and when the
// monitor caught it, on which channel, and what it advised.
func eventFindings(r streamResult) []string {
	var out []string
	for i, e := range r.stored.Events {
		f := scenarios[e.Scenario]
		where := fmt.Sprintf("%s (%s, from week %d)", f.phrase, r.name(), e.Start)
		drift := r.scored.Events[eventIndex(r, i)]
		week, caught := monitoring.FirstAlert(r.scored, monitoring.Drift, drift)
		perfAlert := anyAlert(r.scored, e.Start, e.End, func(w monitoring.Week) bool { return w.PerformanceAlert })
		switch {
		case f.benign && perfAlert:
			out = append(out, fmt.Sprintf("Raised a performance alert on %s, which did not hurt the model: a false alarm.", where))
		case f.benign && anyAlert(r.scored, e.Start, e.End+driftMaxDelay, func(w monitoring.Week) bool { return w.DriftAlert }):
			out = append(out, fmt.Sprintf("Alerted on %s but correctly did not call it a performance problem.", where))
		case f.benign:
			out = append(out, fmt.Sprintf("Stayed quiet through %s, which was harmless.", where))
		case caught:
			line := fmt.Sprintf("Detected %s %s.", where, after(week-e.Start))
			if kind := r.scored.Weeks[week-1].DriftKind; f.kind != "" && kind != f.kind {
				line = strings.TrimSuffix(line, ".") + fmt.Sprintf(", but called it %s, not %s.", kind, f.kind)
			}
			out = append(out, line)
		default:
			out = append(out, fmt.Sprintf("Missed %s.", where))
		}
		if h, ok := r.harms[i]; ok && h.Harmed() {
			out = append(out, harmFinding(r, e, h))
		}
		if f.corrupt {
			for _, w := range r.scored.Weeks {
				if w.Retrain && e.Start <= w.N && w.N <= e.End {
					out = append(out, fmt.Sprintf("Recommended retraining during %s (week %d), which would have trained on corrupted data.", where, w.N))
					break
				}
			}
		}
	}
	return out
}

// harmFinding says how a change hurt the served predictions and whether
// a performance alert came in time.
func harmFinding(r streamResult, e StreamEvent, h monitoring.Harm) string {
	what := fmt.Sprintf("pooled AUC fell from %.3f to %.3f", h.BaseAUC, h.AUC)
	if !h.ByAUC {
		what = fmt.Sprintf("log loss rose from %.3f to %.3f", h.BaseLogLoss, h.LogLoss)
	}
	line := fmt.Sprintf("It hurt this model: its %s", what)
	if e.Scenario == "leak-empty" {
		line = fmt.Sprintf("When retention_offer_sent went empty, this model's %s: it relied on the post-outcome leak", what)
	}
	if week, ok := r.performanceAlert(e); ok {
		return line + fmt.Sprintf("; a performance alert came %s.", after(week-e.Start))
	}
	return line + "; no performance alert came in time."
}

// performanceAlert is the week of the performance alert that detected the
// harm of change e, if e harmed the model and an alert came in time.
func (r streamResult) performanceAlert(e StreamEvent) (week int, ok bool) {
	for _, ev := range r.scored.Events {
		if ev.Kind == monitoring.Performance && ev.Start == e.Start {
			return monitoring.FirstAlert(r.scored, monitoring.Performance, ev)
		}
	}
	return 0, false
}

// eventIndex is the index in r.scored.Events of the drift event of the
// i-th scheduled change: groundTruth appends each change's drift event,
// then its performance event if any.
func eventIndex(r streamResult, i int) int {
	n := 0
	for j, e := range r.scored.Events {
		if e.Kind != monitoring.Drift {
			continue
		}
		if n == i {
			return j
		}
		n++
	}
	return 0
}

func anyAlert(s monitoring.Stream, from, to int, on func(monitoring.Week) bool) bool {
	for _, w := range s.Weeks {
		if from <= w.N && w.N <= to && on(w) {
			return true
		}
	}
	return false
}

func after(weeks int) string {
	switch weeks {
	case 0:
		return "in its first week"
	case 1:
		return "one week after onset"
	}
	return fmt.Sprintf("%d weeks after onset", weeks)
}
