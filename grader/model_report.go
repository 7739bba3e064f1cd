package grader

import (
	"cmp"
	"slices"
	"time"
)

// ModelUseRow sums up the calls of one phase to one model.
type ModelUseRow struct {
	Phase, Model, Provider string
	Calls, Refused         int // refused: by the budget or the in-flight cap, never made
	BudgetRefused          int
	PromptTokens           int
	CompletionTokens       int
	CostMicro              int64
	Latency50, Latency95   time.Duration // total latency of the calls made
	FirstToken50           time.Duration // time to the first token; 0 when none came
	FirstToken95           time.Duration
	Errors                 int // made and failed: the provider failed, the caller went away
}

// SummarizeModelCalls groups calls by phase and model, in the order each
// pair first appears. Percentiles are nearest-rank over the calls made.
func SummarizeModelCalls(calls []ModelCall) []ModelUseRow {
	type key struct{ phase, model string }
	var order []key
	groups := map[key][]ModelCall{}
	for _, c := range calls {
		k := key{c.Phase, c.Model}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], c)
	}
	rows := make([]ModelUseRow, len(order))
	for i, k := range order {
		rows[i] = summarize(k.phase, k.model, groups[k])
	}
	return rows
}

func summarize(phase, model string, calls []ModelCall) ModelUseRow {
	r := ModelUseRow{Phase: phase, Model: model, Provider: calls[0].Provider}
	var latency, first []time.Duration
	for _, c := range calls {
		r.PromptTokens += c.PromptTokens
		r.CompletionTokens += c.CompletionTokens
		r.CostMicro += c.CostMicro
		switch c.Status {
		case CallBudgetExceeded, CallRateLimited:
			r.Refused++
			if c.Status == CallBudgetExceeded {
				r.BudgetRefused++
			}
			continue
		case CallOK:
		default:
			r.Errors++
		}
		r.Calls++
		latency = append(latency, c.Total)
		if c.FirstToken > 0 {
			first = append(first, c.FirstToken)
		}
	}
	r.Latency50, r.Latency95 = percentile(latency, 50), percentile(latency, 95)
	r.FirstToken50, r.FirstToken95 = percentile(first, 50), percentile(first, 95)
	return r
}

// percentile is the nearest-rank percentile p of ds, 0 for none.
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := (p*len(s) + 99) / 100 // ceil(p/100 · n), at least 1
	return s[max(rank, 1)-1]
}

// MostExpensive returns the n costliest calls, costliest first (the
// earlier call first on a tie).
func MostExpensive(calls []ModelCall, n int) []ModelCall {
	s := slices.Clone(calls)
	slices.SortStableFunc(s, func(a, b ModelCall) int { return cmp.Compare(b.CostMicro, a.CostMicro) })
	return s[:min(n, len(s))]
}
