package rag

import (
	"math"
	"testing"
)

func TestNumericMatch(t *testing.T) {
	tests := []struct {
		name   string
		answer string
		gold   []string
		want   bool
	}{
		{"same", "30 days", []string{"30 days"}, true},
		{"hyphenated unit", "a 30-day window", []string{"30 days"}, true},
		{"word number", "fourteen days", []string{"14 days"}, true},
		{"word number past twenty", "thirty days", []string{"30 days"}, false},
		{"unit left out", "30", []string{"30 days"}, false},
		{"gold without unit", "30 days", []string{"30"}, true},
		{"other unit", "30 minutes", []string{"30 days"}, false},
		{"first number is a year", "In 2023 the window was 30 days", []string{"30 days"}, false},
		{"value first", "30 days (it was 14 days in 2023)", []string{"30 days"}, true},
		{"not a prefix of a longer number", "released in 1990", []string{"1"}, false},
		{"k suffix", "10k", []string{"10,000"}, true},
		{"k suffix with unit", "10k runs", []string{"10,000 runs"}, true},
		{"answer states more", "$12 per seat per month", []string{"12 USD"}, true},
		{"answer states less", "12 USD", []string{"$12 per seat per month"}, false},
		{"code and qualifiers", "12 USD per seat per month", []string{"$12 per seat per month"}, true},
		{"rate synonyms", "$12/mo per user", []string{"$12 per seat per month"}, true},
		{"a month = monthly", "$12 a month", []string{"$12 monthly"}, true},
		{"other period", "$12 per year", []string{"$12 per month"}, false},
		{"other currency", "€12", []string{"$12"}, false},
		{"currency left out", "12", []string{"$12"}, false},
		{"A$ is not $", "A$12", []string{"$12"}, false},
		{"one of the aliases", "EUR 19 per seat", []string{"€19", "19 EUR", "EUR 19", "19"}, true},
		{"currency word", "19 euros", []string{"€19"}, true},
		{"percent", "99.90 %", []string{"99.9 percent"}, true},
		{"no conversion", "1 GB", []string{"1,000 MB"}, false},
		{"storage synonym", "250 gigabytes", []string{"250 GB"}, true},
		{"within tolerance", "0.30000000000000004", []string{"0.3"}, true},
		{"outside tolerance", "20.001 seats", []string{"20 seats"}, false},
		{"gold without number", "custom", []string{"custom"}, false},
		{"answer without number", "about a month", []string{"30 days"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := numericMatch(tt.answer, tt.gold); got != tt.want {
				t.Errorf("numericMatch(%q, %q) = %v, want %v", tt.answer, tt.gold, got, tt.want)
			}
		})
	}
}

func TestNuggetScore(t *testing.T) {
	sso := Nugget{Text: "SSO", Vital: true}
	audit := Nugget{Text: "audit log", Vital: true}
	plan := Nugget{Text: "Business plan"}
	tests := []struct {
		name       string
		answer     string
		nuggets    []Nugget
		vital, all float64
	}{
		{"all present", "Enable SSO and the audit log on the Business plan.", []Nugget{sso, audit, plan}, 1, 1},
		{"okay missing", "Enable SSO and the audit log.", []Nugget{sso, audit, plan}, 1, 2.0 / 3},
		{"plural is another token", "Enable SSOs and the audit log.", []Nugget{sso, audit, plan}, 0.5, 1.0 / 3},
		{"longer token", "Ask an auditor.", []Nugget{{Text: "audit", Vital: true}}, 0, 0},
		{"plural phrase", "Export the audit logs.", []Nugget{audit}, 0, 0},
		{"alias", "Turn on single sign-on.", []Nugget{{Text: "SSO", Vital: true, Aliases: []string{"single sign-on"}}}, 1, 1},
		{"case and punctuation", "Use the AUDIT-LOG? No: the Audit Log!", []Nugget{audit}, 1, 1},
		{"number inside a longer number", "within 130 days", []Nugget{{Text: "30 days", Vital: true}}, 0, 0},
		{"number at token boundary", "within 30 days.", []Nugget{{Text: "30 days", Vital: true}}, 1, 1},
		{"no vital nuggets", "the Business plan", []Nugget{plan}, math.NaN(), 1},
		{"no nuggets", "anything", nil, math.NaN(), math.NaN()},
		{"nugget normalizing to nothing", "the the", []Nugget{{Text: "The", Vital: true}}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, a := nuggetScore(tt.answer, tt.nuggets)
			if !sameFloat(v, tt.vital) || !sameFloat(a, tt.all) {
				t.Errorf("nuggetScore(%q) = %v, %v, want %v, %v", tt.answer, v, a, tt.vital, tt.all)
			}
		})
	}
}

func TestNuggetMeanDefined(t *testing.T) {
	m, n := meanDefined([]float64{1, math.NaN(), 0})
	if m != 0.5 || n != 2 {
		t.Errorf("meanDefined = %v, %d, want 0.5, 2", m, n)
	}
	if m, n := meanDefined([]float64{math.NaN()}); !math.IsNaN(m) || n != 0 {
		t.Errorf("meanDefined(NaN) = %v, %d, want NaN, 0", m, n)
	}
}

func TestSelectiveCost(t *testing.T) {
	tests := []struct {
		correct, abstained, answerable bool
		want                           float64
	}{
		{true, false, true, 1},
		{false, false, true, -1},
		{true, true, true, 0},
		{false, true, true, 0},
		{false, true, false, 0},
		{false, false, false, -2},
		{true, false, false, -2}, // correct is meaningless on an unanswerable query
	}
	for _, tt := range tests {
		if got := selectiveCost(tt.correct, tt.abstained, tt.answerable); got != tt.want {
			t.Errorf("selectiveCost(correct %v, abstained %v, answerable %v) = %v, want %v", tt.correct, tt.abstained, tt.answerable, got, tt.want)
		}
	}
}

func TestSelectiveSummary(t *testing.T) {
	outs := []SelectiveOutcome{
		{Answerable: true, Correct: true},
		{Answerable: true},
		{Answerable: true, Abstained: true},
		{Abstained: true},
		{},
	}
	got := selectiveSummary(outs)
	want := SelectiveResult{Queries: 5, Cost: -0.4, Coverage: 0.6, AnsweredAccuracy: 1.0 / 3, AbstainPrecision: 0.5, AbstainRecall: 0.5}
	if got != want {
		t.Errorf("selectiveSummary = %+v, want %+v", got, want)
	}
	// Answering everything (one right, two wrong, a hallucination) and
	// abstaining everywhere both score below a system that answers the
	// answerable queries right and abstains on the other.
	everything := selectiveSummary([]SelectiveOutcome{{Answerable: true, Correct: true}, {Answerable: true}, {Answerable: true}, {}}).Cost
	nothing := selectiveSummary([]SelectiveOutcome{{Answerable: true, Abstained: true}, {Answerable: true, Abstained: true}, {Answerable: true, Abstained: true}, {Abstained: true}}).Cost
	good := selectiveSummary([]SelectiveOutcome{{Answerable: true, Correct: true}, {Answerable: true, Correct: true}, {Answerable: true, Abstained: true}, {Abstained: true}}).Cost
	if !(everything < nothing && nothing < good) {
		t.Errorf("costs: answer everything %v, abstain everywhere %v, selective %v", everything, nothing, good)
	}
	empty := selectiveSummary(nil)
	if !math.IsNaN(empty.Cost) || !math.IsNaN(empty.Coverage) || !math.IsNaN(empty.AnsweredAccuracy) {
		t.Errorf("selectiveSummary(nil) = %+v, want NaN shares", empty)
	}
}

// sameFloat is equality with NaN equal to NaN, within 1e-12.
func sameFloat(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-12
}
