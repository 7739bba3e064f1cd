package rag

import (
	"strings"
	"testing"
	"time"

	"takehome/exercises"
)

func TestSpeedMetrics(t *testing.T) {
	var res exercises.Result
	speed(&res, map[string]exercises.StepUsage{
		"index": {Wall: 3 * time.Second, PeakMemory: 300 << 20},
		"query": {Wall: 2 * time.Second, PeakMemory: 100 << 20},
	}, 322)
	got := map[string]float64{}
	for _, m := range res.Metrics {
		got[m.Name] = *m.Value
	}
	want := map[string]float64{"index seconds": 3, "index peak memory MB": 300, "query seconds": 2, "query peak memory MB": 100, "queries per second": 161}
	for name, v := range want {
		if got[name] != v {
			t.Errorf("%s = %v, want %v", name, got[name], v)
		}
	}
	if len(res.Findings) != 1 || !strings.Contains(res.Findings[0], "161 queries per second") {
		t.Errorf("findings = %q", res.Findings)
	}

	var none exercises.Result
	speed(&none, map[string]exercises.StepUsage{"index": {Wall: time.Second}}, 10)
	if len(none.Metrics)+len(none.Findings) != 0 {
		t.Errorf("a run without a query step reported speed: %+v", none)
	}
}
