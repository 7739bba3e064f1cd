package tabular

import (
	"fmt"
	"strings"

	"takehome/exercises"
	"takehome/metric/classify"
	"takehome/metric/monitoring"
)

// Monitor scoring settings, stated in the brief.
const (
	driftMaxDelay   = 4              // weeks after a change's end in which a drift alert still detects it
	labelMaxDelay   = LabelDelay + 1 // for what only labels reveal: they come LabelDelay weeks late
	baselineWeeks   = 4              // weeks 1–4 of every stream are unchanged: the candidate's baseline
	afterPersisting = 2              // weeks after a lasting change's end pooled to judge its harm
	valueSave       = 100            // business value of a contacted churner (top decile contacted)
	valueContact    = 10             // cost of a contact
	monitorSeed     = 0x6d6f6e
	monitorWeight   = 0.4 // share of the monitor score in the exercise's score
)

// scenarioFacts is what the grader knows of a scenario: the drift kind
// that names it, whether it is harmless by design, whether it corrupts
// the data, whether a retrain is the right answer once labels show it,
// and how the report speaks of it.
type scenarioFacts struct {
	kind                      string
	benign, corrupt, retrains bool
	labelOnly                 bool // invisible in the inputs: only lagged labels reveal it
	phrase                    string
}

var scenarios = map[Scenario]scenarioFacts{
	"benign-mix":   {kind: "covariate", benign: true, phrase: "the promo-driven customer-mix change"},
	"seasonal":     {benign: true, phrase: "the seasonal pattern the training history shows"},
	"unseen-plan":  {kind: "covariate", retrains: true, phrase: "the new plan tier outside the training data"},
	"price-rise":   {kind: "label", retrains: true, phrase: "the price-rise label shift"},
	"concept":      {kind: "concept", retrains: true, labelOnly: true, phrase: "the support-quality concept change"},
	"fee-cents":    {kind: "data_quality", corrupt: true, phrase: "the fee-in-cents incident"},
	"tenure-nulls": {kind: "data_quality", corrupt: true, phrase: "the missing-tenure incident"},
	"leak-empty":   {kind: "data_quality", phrase: "retention_offer_sent going empty in production"},
}

// streamResult is one stream as scored: the monitoring package's view of
// it, and what the report says beside it.
type streamResult struct {
	index    int // 1-based, as the report numbers streams
	stored   Stream
	scored   monitoring.Stream
	harms    map[int]monitoring.Harm // by index into stored.Events
	invalid  []string                // "week 7: ..." for weeks whose step failed or whose outputs broke the contract
	realized []float64               // per week, NaN when undefined
	cbpe     []float64               // per week, CBPE on the served scores, NaN when undefined
}

// scoreStreams turns the monitor steps' outputs into scored streams. A
// week whose step failed, or whose predictions broke the contract, serves
// the frozen model's predictions (the fallback a serving system would
// use); a week without a valid week.json raises no alert and repeats the
// previous estimate (the first week: never's constant).
func scoreStreams(outputs map[string][]exercises.File, streams []Stream, never float64) ([]streamResult, error) {
	frozen, err := frozenScores(outputs[frozenStep], streams)
	if err != nil {
		return nil, err
	}
	out := make([]streamResult, len(streams))
	for i, s := range streams {
		r := streamResult{index: i + 1, stored: s, harms: map[int]monitoring.Harm{}}
		r.scored = monitoring.Stream{ID: s.ID}
		estimate := never
		for k, rows := range s.Weeks {
			w, problem, err := scoreWeek(outputs[MonitorStep(s.ID, k+1)], rows, frozen[s.ID][k], &estimate)
			if err != nil {
				return nil, err
			}
			w.N = k + 1
			if problem != "" {
				r.invalid = append(r.invalid, fmt.Sprintf("week %d: %s", k+1, problem))
			}
			r.scored.Weeks = append(r.scored.Weeks, w)
			r.scored.FrozenScores = append(r.scored.FrozenScores, frozen[s.ID][k])
		}
		r.groundTruth()
		out[i] = r
	}
	return out, nil
}

// scoreWeek reads one week's outputs. estimate carries the last valid
// estimate from week to week.
func scoreWeek(outputs []exercises.File, rows []WeekRow, frozen []float64, estimate *float64) (monitoring.Week, string, error) {
	w := monitoring.Week{Labels: make([]bool, len(rows))}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i], w.Labels[i] = r.ID, r.Churned
	}
	w.Scores = frozen
	problems, err := readWeek(outputs, ids, &w, estimate)
	if err != nil {
		return w, "", err
	}
	e := *estimate
	w.EstimatedAUC = &e
	if auc, ok := monitoring.RealizedAUC(w); ok {
		w.RealizedAUC = &auc
	}
	return w, strings.Join(problems, "; "), nil
}

// readWeek takes the served scores and the decisions from a week's
// outputs into w, leaving what is missing or broken as it was, and says
// why for each.
func readWeek(outputs []exercises.File, ids []string, w *monitoring.Week, estimate *float64) ([]string, error) {
	if outputs == nil {
		return []string{"the step did not finish cleanly (see its verdict); the frozen model's predictions were served"}, nil
	}
	var problems []string
	p, problem, err := readPredictions(outputs, ids)
	switch {
	case err != nil:
		return nil, err
	case problem != "":
		problems = append(problems, problem+"; the frozen model's predictions were served")
	default:
		w.Scores = p
	}
	rep, problem := readWeekReport(outputs)
	if problem != "" {
		return append(problems, problem+"; no alert and the previous estimate were assumed"), nil
	}
	w.DriftAlert, w.DriftKind, w.PerformanceAlert, w.Retrain = rep.DriftAlert, rep.DriftKind, rep.PerformanceAlert, rep.Retrain
	*estimate = rep.EstimatedAUC
	return problems, nil
}

// frozenScores splits the frozen step's predictions of every row into
// per-stream, per-week slices. Without them (the candidate's predict
// failed on the weeks' rows) every row gets 0.5: an uninformative model.
func frozenScores(outputs []exercises.File, streams []Stream) (map[string][][]float64, error) {
	var ids []string
	for _, s := range streams {
		for _, rows := range s.Weeks {
			for _, r := range rows {
				ids = append(ids, r.ID)
			}
		}
	}
	var p []float64
	if outputs != nil {
		var problem string
		var err error
		if p, problem, err = readPredictions(outputs, ids); err != nil {
			return nil, err
		} else if problem != "" {
			p = nil
		}
	}
	out := map[string][][]float64{}
	at := 0
	for _, s := range streams {
		for _, rows := range s.Weeks {
			week := make([]float64, len(rows))
			for i := range week {
				week[i] = 0.5
				if p != nil {
					week[i] = p[at+i]
				}
			}
			at += len(rows)
			out[s.ID] = append(out[s.ID], week)
		}
	}
	return out, nil
}

// groundTruth sets the stream's events and retrain-worthy windows from
// its schedule and from the candidate's own served scores (E.1.3): every
// scheduled change is a drift event; a harmful change whose weeks pooled
// lost AUC or log loss past the margin against the weeks before it is
// also a performance event, detectable until labels could show it; a
// retrain is right from LabelDelay weeks after a change that needs one
// (or that harmed this model) began, never during an incident.
func (r *streamResult) groundTruth() {
	weeks := r.scored.Weeks
	for i, e := range r.stored.Events {
		base := r.before(e)
		f := scenarios[e.Scenario]
		delay := driftMaxDelay
		if f.labelOnly {
			delay = labelMaxDelay
		}
		r.scored.Events = append(r.scored.Events, monitoring.Event{Kind: monitoring.Drift, Start: e.Start, End: e.End,
			MaxDelay: delay, DriftKind: f.kind, Benign: f.benign, Optional: f.benign, Corrupt: f.corrupt})
		if f.benign {
			continue
		}
		h, ok := monitoring.Compare(base, judged(weeks, e))
		if ok {
			r.harms[i] = h
		}
		if ok && h.Harmed() {
			r.scored.Events = append(r.scored.Events, monitoring.Event{Kind: monitoring.Performance, Start: e.Start, End: e.End, MaxDelay: labelMaxDelay})
		}
		if (f.retrains || (ok && h.Harmed() && !f.corrupt)) && e.Start+LabelDelay <= len(weeks) {
			r.scored.RetrainWorthy = append(r.scored.RetrainWorthy, monitoring.Window{Start: e.Start + LabelDelay, End: len(weeks)})
		}
	}
	r.realized, r.cbpe = make([]float64, len(weeks)), make([]float64, len(weeks))
	for k, w := range weeks {
		r.realized[k], r.cbpe[k] = nan(), nan()
		if w.RealizedAUC != nil {
			r.realized[k] = *w.RealizedAUC
		}
		if v, ok := monitoring.CBPE(w.Scores); ok {
			r.cbpe[k] = v
		}
	}
}

// judged are the weeks a change's harm is measured on: an incident's own
// weeks; for a lasting change the weeks from the end of its transition
// (one before End, so a gradual change is judged once it has happened,
// not diluted by its first weeks) to afterPersisting weeks past End.
func judged(weeks []monitoring.Week, e StreamEvent) []monitoring.Week {
	if !e.Persists {
		return weeks[e.Start-1 : e.End]
	}
	return weeks[max(e.Start, e.End-1)-1 : min(len(weeks), e.End+afterPersisting)]
}

// before is the baseline a change's harm is judged against: the up to
// baselineWeeks weeks just before it that no other change was under way
// in, so that a change is not blamed for an earlier one that lasts (a
// price rise persists into a later incident); weeks 1 to baselineWeeks,
// unchanged by construction, when fewer than two such weeks exist.
func (r *streamResult) before(e StreamEvent) []monitoring.Week {
	var base []monitoring.Week
	for n := e.Start - 1; n >= 1 && len(base) < baselineWeeks; n-- {
		if !r.changing(n) {
			base = append(base, r.scored.Weeks[n-1])
		}
	}
	if len(base) < 2 {
		return r.scored.Weeks[:min(baselineWeeks, len(r.scored.Weeks))]
	}
	return base
}

// changing says whether a change is under way in week n (between its
// Start and End).
func (r *streamResult) changing(n int) bool {
	for _, e := range r.stored.Events {
		if e.Start <= n && n <= e.End {
			return true
		}
	}
	return false
}

// monitorSummary is every number of the monitor's report, pooled over
// the streams.
type monitorSummary struct {
	Score, Never              float64
	Interval                  *classify.Interval
	Tally                     monitoring.Tally
	DriftDelays, PerfDelays   []int
	DriftMissed, PerfMissed   int
	DriftEvents, PerfEvents   int
	DriftFAR, PerfFAR         float64
	DriftNull, PerfNull       int
	KindShare                 float64
	KindN                     int
	MAE, ConstantMAE, CBPEMAE float64
	Estimated                 int
	Retrains                  monitoring.Retrains
	ServedValue, FrozenValue  float64
	Declared, DeclaredGap     *float64
	FailedWeeks, Weeks        int
}

func summarize(results []streamResult, never float64, declared *float64) monitorSummary {
	streams := make([]monitoring.Stream, len(results))
	var all []monitoring.Week
	for i, r := range results {
		streams[i] = r.scored
		all = append(all, r.scored.Weeks...)
	}
	s := monitorSummary{Never: never, Declared: declared}
	s.Score = monitoring.Score(streams, monitoring.DefaultCosts(), never)
	if iv, ok := monitoring.ScoreInterval(streams, monitoring.DefaultCosts(), never, resamples, monitorSeed); ok {
		s.Interval = &iv
	}
	s.Tally = monitoring.Count(streams)
	for _, r := range results {
		d, m := monitoring.Detection(r.scored, monitoring.Drift)
		s.DriftDelays, s.DriftMissed = append(s.DriftDelays, d...), s.DriftMissed+m
		d, m = monitoring.Detection(r.scored, monitoring.Performance)
		s.PerfDelays, s.PerfMissed = append(s.PerfDelays, d...), s.PerfMissed+m
		rd := monitoring.RetrainDecisions(r.scored)
		s.Retrains = monitoring.Retrains{Right: s.Retrains.Right + rd.Right, Unneeded: s.Retrains.Unneeded + rd.Unneeded,
			OnCorrupt: s.Retrains.OnCorrupt + rd.OnCorrupt, Windows: s.Retrains.Windows + rd.Windows, Hit: s.Retrains.Hit + rd.Hit}
		served, frozen, _ := monitoring.StreamValue(r.scored, valueSave, valueContact)
		s.ServedValue, s.FrozenValue = s.ServedValue+served, s.FrozenValue+frozen
		s.FailedWeeks += len(r.invalid)
		s.Weeks += len(r.scored.Weeks)
	}
	s.DriftEvents, s.PerfEvents = len(s.DriftDelays)+s.DriftMissed, len(s.PerfDelays)+s.PerfMissed
	s.DriftFAR, s.DriftNull = monitoring.FalseAlarmsPer52(streams, monitoring.Drift)
	s.PerfFAR, s.PerfNull = monitoring.FalseAlarmsPer52(streams, monitoring.Performance)
	s.KindShare, s.KindN = monitoring.KindAccuracy(streams)
	s.MAE, s.Estimated = monitoring.EstimationMAE(all)
	s.ConstantMAE, _ = monitoring.ConstantMAE(all, never)
	s.CBPEMAE, _ = monitoring.CBPEMAE(all)
	if declared != nil {
		gap := monitoring.DeclaredHonesty(*declared, s.DriftFAR+s.PerfFAR)
		s.DeclaredGap = &gap
	}
	return s
}
