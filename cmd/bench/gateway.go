package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"time"

	"takehome/exercises"
	"takehome/gateway"
	"takehome/internal/postgres"
)

// Gateway benchmark settings: calls per cell after a warm-up, and the
// callers of the concurrent cells.
const (
	gwCalls   = 2000
	gwWarmup  = 100
	gwCallers = 64

	gwMaxTokens = 16 // the output cap each call asks for
)

// gwRequest is the chat call of the benchmarks; streamed ones ask for the
// usage chunk, so direct and gateway answers carry the same events.
func gwRequest(stream bool) []byte {
	req := map[string]any{"model": benchModel.Name, "max_tokens": gwMaxTokens,
		"messages": []map[string]string{{"role": "user", "content": "What is the capital of France? Answer in one word."}}}
	if stream {
		req["stream"], req["stream_options"] = true, map[string]bool{"include_usage": true}
	}
	data, _ := json.Marshal(req)
	return data
}

// benchGateway times the same chat call through the gateway and directly
// to a fake upstream, streamed or not. The overhead cells are one caller
// of the instant upstream, and 64 callers of the paced one: answering
// takes gwPace, as a model's does, so 64 callers keep about 640 calls a
// second coming. The capacity cells are 64 callers of the instant upstream
// in a closed loop: each call returns at once and the next one follows,
// so they measure how many calls a second the gateway sustains on this
// machine (and the latency of calls queued for its CPUs), not what one
// call adds.
func benchGateway(ctx context.Context, server string) ([]row, error) {
	rig, err := openGatewayRig(ctx, server)
	defer rig.close(context.WithoutCancel(ctx))
	if err != nil {
		return nil, err
	}
	tokens := map[string][]string{}
	for _, provider := range []string{"fake", "paced"} {
		if _, tokens[provider], err = rig.newRun(ctx, "bench-gateway-"+provider, 1<<50, gwCallers, provider, benchModel); err != nil {
			return nil, err
		}
	}
	upstream := map[string]string{"paced": rig.paced.URL, "fake": rig.upstream.URL}
	pace := map[string]time.Duration{"paced": gwPace}
	cells := []struct {
		provider string
		callers  int
		capacity bool
	}{{"fake", 1, false}, {"paced", gwCallers, false}, {"fake", gwCallers, true}}
	var rows []row
	for _, c := range cells {
		for _, stream := range []bool{false, true} {
			direct, _, err := rig.cell(ctx, upstream[c.provider], make([]string, c.callers), stream)
			if err != nil {
				return nil, fmt.Errorf("direct: %w", err)
			}
			via, wall, err := rig.cell(ctx, rig.gw.URL, tokens[c.provider][:c.callers], stream)
			if err != nil {
				return nil, fmt.Errorf("gateway: %w", err)
			}
			if c.capacity {
				rows = append(rows, capacityRow(stream, c.callers, direct, via, wall))
			} else {
				rows = append(rows, gatewayRow(stream, c.callers, pace[c.provider], direct, via))
			}
		}
	}
	return rows, nil
}

// gatewayRow sets the gateway's percentiles beside the direct ones.
func gatewayRow(stream bool, callers int, pace time.Duration, direct, via []sample) row {
	kind := map[bool]string{false: "json", true: "stream"}[stream]
	dp50, dp99 := pct(direct, 50, toEnd), pct(direct, 99, toEnd)
	p50, p99 := pct(via, 50, toEnd), pct(via, 99, toEnd)
	r := row{name: fmt.Sprintf("gateway chat %s c=%d p50/p99", kind, callers),
		value: fmt.Sprintf("%s ms / %s ms (direct %s / %s ms, added %+.2f / %+.2f ms)", ms(p50), ms(p99), ms(dp50), ms(dp99),
			float64(p50-dp50)/1e6, float64(p99-dp99)/1e6),
		note: fmt.Sprintf("n=%s after %d warm-up, keep-alive; added = difference of the percentiles; the fake upstream answers %s",
			thousands(gwCalls), gwWarmup, answers(pace))}
	if callers > 1 {
		r.target = "added p50 ≤ 2 ms, p99 ≤ 10 ms at 64"
		verdict := "met"
		if p50-dp50 > 2*time.Millisecond || p99-dp99 > 10*time.Millisecond {
			verdict = "missed"
		}
		r.note = verdict + "; " + r.note + fmt.Sprintf("; each of %d callers its own step token (the gateway caps %d in flight per token), one run; %d CPUs shared with PostgreSQL",
			callers, gateway.PerStepInFlight, runtime.NumCPU())
	}
	if stream {
		r.note += "; " + firstToken(direct, via)
	}
	return r
}

// capacityRow is the calls a second the gateway sustains against an
// upstream that answers at once, beside the same closed loop direct.
func capacityRow(stream bool, callers int, direct, via []sample, wall time.Duration) row {
	kind := map[bool]string{false: "json", true: "stream"}[stream]
	r := row{name: fmt.Sprintf("gateway capacity chat %s c=%d", kind, callers),
		value: fmt.Sprintf("%.0f calls/s, p50/p99 %s / %s ms (direct p50/p99 %s / %s ms)", float64(len(via))/wall.Seconds(),
			ms(pct(via, 50, toEnd)), ms(pct(via, 99, toEnd)), ms(pct(direct, 50, toEnd)), ms(pct(direct, 99, toEnd))),
		note: fmt.Sprintf("n=%s after %d warm-up; closed loop against a fake upstream that answers at once, %d CPUs shared by the callers, "+
			"the upstream, the gateway and PostgreSQL (a reservation, a settlement and the call's record per call): "+
			"the latency is time queued for the CPUs", thousands(gwCalls), gwWarmup, runtime.NumCPU())}
	if stream {
		r.note += "; " + firstToken(direct, via)
	}
	return r
}

// answers says when a fake upstream with this pace answers.
func answers(pace time.Duration) string {
	if pace == 0 {
		return "at once"
	}
	return "after " + pace.String() + ", as a fast model does"
}

// firstToken is the time to the first event of the streamed samples.
func firstToken(direct, via []sample) string {
	return fmt.Sprintf("latency to the end of the stream, first token p50/p99 %s / %s ms (direct %s / %s ms)",
		ms(pct(via, 50, toFirst)), ms(pct(via, 99, toFirst)), ms(pct(direct, 50, toFirst)), ms(pct(direct, 99, toFirst)))
}

// sample is one call's answer and timings.
type sample struct {
	status       int
	code         string // the error code of a refusal
	first, total time.Duration
}

// toFirst and toEnd pick a sample's time to the first event and to the end.
func toFirst(s sample) time.Duration { return s.first }
func toEnd(s sample) time.Duration   { return s.total }

// pct is the p-th percentile of one timing of the samples.
func pct(ss []sample, p int, of func(sample) time.Duration) time.Duration {
	ds := make([]time.Duration, len(ss))
	for i, s := range ss {
		ds[i] = of(s)
	}
	slices.Sort(ds)
	return ds[max(0, (len(ds)*p+99)/100-1)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/1e6) }

// cell makes gwWarmup then gwCalls calls to base, one caller per token
// ("" sends none), and returns the timed calls and how long they took;
// any answer but 200 fails.
func (r *gwRig) cell(ctx context.Context, base string, tokens []string, stream bool) ([]sample, time.Duration, error) {
	body := gwRequest(stream)
	if _, err := r.drive(ctx, base, tokens, body, gwWarmup); err != nil {
		return nil, 0, err
	}
	start := time.Now()
	ss, err := r.drive(ctx, base, tokens, body, gwCalls)
	wall := time.Since(start)
	for _, s := range ss {
		if err == nil && s.status != http.StatusOK {
			err = fmt.Errorf("answered %d %s", s.status, s.code)
		}
	}
	return ss, wall, err
}

// Budget benchmark settings: calls from gwCallers callers against a run
// budget worth budgetAllows of them.
const (
	budgetCalls  = 10_000
	budgetAllows = 1_000
)

// budgetModel is benchModel with a free prompt: the gateway reserves a
// quarter more prompt tokens than it counts for a provider other than the
// builtin one, so with a priced prompt a call settles below its
// reservation, and how many calls a budget holds would depend on how many
// were in flight at its end. Priced by output only, and with the fake
// reporting a completion of exactly the cap asked for, every call settles
// at exactly its reservation.
var budgetModel = exercises.Model{Name: benchModel.Name, Kind: exercises.ModelChat, OutputPrice: benchModel.OutputPrice, MaxOutput: benchModel.MaxOutput}

// benchBudget makes budgetCalls chat calls from 64 callers, each with its
// own step token on one run, so all share the run's budget, which is worth
// exactly budgetAllows calls: a probe call on another run learns what one
// costs, and the fake upstream makes every call settle at exactly its
// reservation.
func benchBudget(ctx context.Context, server string) ([]row, error) {
	rig, err := openGatewayRig(ctx, server)
	defer rig.close(context.WithoutCancel(ctx))
	if err != nil {
		return nil, err
	}
	per, err := rig.probeCost(ctx)
	if err != nil {
		return nil, fmt.Errorf("probe: %w", err)
	}
	runID, tokens, err := rig.newRun(ctx, "bench-budget", per*budgetAllows, gwCallers, "fake", budgetModel)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	ss, err := rig.drive(ctx, rig.gw.URL, tokens, gwRequest(false), budgetCalls)
	wall := time.Since(start)
	if err != nil {
		return nil, err
	}
	budgets, err := rig.store.LLMBudgets(ctx, runID)
	if err != nil || len(budgets) != 1 {
		return nil, fmt.Errorf("budgets of run %d: %v %w", runID, budgets, err)
	}
	return budgetRows(ss, budgets[0], per, wall), nil
}

// probeCost makes one call on a run of its own and returns what it cost,
// checking that it cost what it reserved.
func (r *gwRig) probeCost(ctx context.Context) (int64, error) {
	runID, tokens, err := r.newRun(ctx, "bench-budget-probe", 1<<50, 1, "fake", budgetModel)
	if err != nil {
		return 0, err
	}
	if s, err := r.call(ctx, r.gw.URL, tokens[0], gwRequest(false)); err != nil || s.status != http.StatusOK {
		return 0, fmt.Errorf("answered %d %s: %w", s.status, s.code, err)
	}
	calls, err := r.store.LLMCalls(ctx, runID, false)
	if err != nil {
		return 0, err
	}
	if len(calls) != 1 || calls[0].CostMicro <= 0 || calls[0].CostMicro != calls[0].ReservedMicro {
		return 0, fmt.Errorf("the call should settle at its reservation: %+v", calls)
	}
	return calls[0].CostMicro, nil
}

// budgetRows reports the calls served and refused beside what the budget
// allows and what it spent.
func budgetRows(ss []sample, b postgres.Budget, per int64, wall time.Duration) []row {
	served, refused, other := budgetOutcome(ss)
	allows := int(b.LimitMicro / per)
	verdict := "met"
	if len(served) != allows || b.SpentMicro > b.LimitMicro || b.SpentMicro != int64(len(served))*per || b.ReservedMicro != 0 {
		verdict = "missed"
	}
	note := fmt.Sprintf("%s; spent %s of %s µ$, %d µ$ left reserved; %d µ$ a call, reserved = settled "+
		"(prompt free, output $%.2f/M, the fake reports all %d tokens of the cap); %s refused budget_exceeded, other answers: %s; "+
		"%d callers, each its own step token on one run", verdict, thousands(int(b.SpentMicro)), thousands(int(b.LimitMicro)), b.ReservedMicro,
		per, float64(budgetModel.OutputPrice)/1e6, gwMaxTokens, thousands(len(refused)), other, gwCallers)
	return []row{
		{"budget: calls served", fmt.Sprintf("%s of %s (budget allows %s)", thousands(len(served)), thousands(len(ss)), thousands(allows)),
			"= " + thousands(allows) + ", spend ≤ budget", note},
		{fmt.Sprintf("budget: %s calls from %d callers", thousands(len(ss)), gwCallers),
			fmt.Sprintf("%.2f s, %.0f calls/s", wall.Seconds(), float64(len(ss))/wall.Seconds()), "",
			"p50/p99 served " + latencies(served) + ", refused " + latencies(refused)},
	}
}

// budgetOutcome sorts the answers: served, refused for the budget, and
// how many of any other status and code.
func budgetOutcome(ss []sample) (served, refused []sample, other string) {
	counts := map[string]int{}
	for _, s := range ss {
		switch {
		case s.status == http.StatusOK:
			served = append(served, s)
		case s.status == http.StatusTooManyRequests && s.code == "budget_exceeded":
			refused = append(refused, s)
		default:
			counts[fmt.Sprintf("%d %s", s.status, s.code)]++
		}
	}
	if len(counts) == 0 {
		return served, refused, "none"
	}
	return served, refused, fmt.Sprint(counts)
}

// latencies is the p50 and p99 of the samples' times to the end.
func latencies(ss []sample) string {
	if len(ss) == 0 {
		return "-"
	}
	return ms(pct(ss, 50, toEnd)) + " / " + ms(pct(ss, 99, toEnd)) + " ms"
}
