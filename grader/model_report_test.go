package grader

import (
	"testing"
	"time"
)

func TestSummarizeModelCalls(t *testing.T) {
	ms := time.Millisecond
	calls := []ModelCall{
		{Phase: "query", Model: "chat", Provider: "builtin", Status: CallOK, PromptTokens: 10, CompletionTokens: 5, CostMicro: 7, Total: 10 * ms, FirstToken: 4 * ms},
		{Phase: "query", Model: "embed", Provider: "builtin", Status: CallOK, PromptTokens: 3, CostMicro: 1, Total: 2 * ms},
		{Phase: "query", Model: "chat", Provider: "builtin", Status: CallOK, PromptTokens: 20, CompletionTokens: 5, CostMicro: 9, Total: 30 * ms, FirstToken: 6 * ms},
		{Phase: "query", Model: "chat", Provider: "builtin", Status: CallBudgetExceeded},
		{Phase: "query", Model: "chat", Provider: "builtin", Status: CallUpstreamError, Total: 50 * ms, CostMicro: 2},
		{Phase: "index", Model: "embed", Provider: "builtin", Status: CallRateLimited},
	}
	rows := SummarizeModelCalls(calls)
	if len(rows) != 3 || rows[0].Model != "chat" || rows[1].Model != "embed" || rows[2].Phase != "index" {
		t.Fatalf("rows %+v", rows)
	}
	chat := rows[0]
	want := ModelUseRow{Phase: "query", Model: "chat", Provider: "builtin", Calls: 3, Refused: 1, BudgetRefused: 1, Errors: 1,
		PromptTokens: 30, CompletionTokens: 10, CostMicro: 18,
		Latency50: 30 * ms, Latency95: 50 * ms, FirstToken50: 4 * ms, FirstToken95: 6 * ms}
	if chat != want {
		t.Errorf("chat row\n got %+v\nwant %+v", chat, want)
	}
	if rows[2].Refused != 1 || rows[2].BudgetRefused != 0 || rows[2].Calls != 0 || rows[2].Latency50 != 0 {
		t.Errorf("index row %+v", rows[2])
	}
	top := MostExpensive(calls, 2)
	if len(top) != 2 || top[0].CostMicro != 9 || top[1].CostMicro != 7 {
		t.Errorf("most expensive %+v", top)
	}
}

func TestPercentileNearestRank(t *testing.T) {
	ds := []time.Duration{5, 1, 4, 2, 3}
	for p, want := range map[int]time.Duration{50: 3, 95: 5, 1: 1, 100: 5} {
		if got := percentile(ds, p); got != want {
			t.Errorf("p%d = %d, want %d", p, got, want)
		}
	}
	if percentile(nil, 50) != 0 {
		t.Error("percentile of nothing")
	}
}
