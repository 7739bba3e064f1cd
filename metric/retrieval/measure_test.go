package retrieval

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Discounts written out, so the expected values below are hand formulas.
const (
	log2of3 = 1.584962500721156
	log2of5 = 2.321928094887362
	log2of6 = 2.584962500721156
)

func TestScoreRankingHandComputed(t *testing.T) {
	// R = 4 (a, b, d, e); e is never retrieved, x is not judged.
	rels := map[string]int{"a": 3, "b": 2, "c": 0, "d": 1, "e": 1}
	got := ScoreRanking(rels, []string{"b", "x", "a", "c", "d"})
	dcg := 2.0/1 + 3.0/2 + 1.0/log2of6
	idcg := 3.0/1 + 2.0/log2of3 + 1.0/2 + 1.0/log2of5
	want := Scores{
		NDCG10: dcg / idcg, // 0.7485
		P5:     3.0 / 5, Recall5: 3.0 / 4, Recall10: 3.0 / 4, Recall20: 3.0 / 4,
		RR: 1, RR10: 1,
		MAP: (1.0/1 + 2.0/3 + 3.0/5) / 4, // 0.5667
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("scores (-want +got):\n%s", diff)
	}
	if s := fmt.Sprintf("%.4f %.4f", got.NDCG10, got.MAP); s != "0.7485 0.5667" {
		t.Errorf("4 decimals: %s", s)
	}
}

func TestScoreRankingEdges(t *testing.T) {
	for _, c := range []struct {
		name string
		rels map[string]int
		docs []string
		want Scores
	}{
		{"short list: P@5 still divides by 5", map[string]int{"a": 1}, []string{"a"},
			Scores{NDCG10: 1, P5: 0.2, Recall5: 1, Recall10: 1, Recall20: 1, RR: 1, RR10: 1, MAP: 1}},
		{"nothing relevant judged", map[string]int{"a": 0, "b": -1}, []string{"a", "b"}, Scores{}},
		{"empty list", map[string]int{"a": 2}, nil, Scores{}},
		{"negative label: no gain, not relevant", map[string]int{"a": -1, "b": 1}, []string{"a", "b"},
			Scores{NDCG10: 1 / log2of3, P5: 0.2, Recall5: 1, Recall10: 1, Recall20: 1, RR: 0.5, RR10: 0.5, MAP: 0.5}},
		{"repeat counts at its first place only", map[string]int{"b": 1}, []string{"a", "a", "b"},
			Scores{NDCG10: 1 / log2of3, P5: 0.2, Recall5: 1, Recall10: 1, Recall20: 1, RR: 0.5, RR10: 0.5, MAP: 0.5}},
		{"first relevant past 10: RR but no RR@10", map[string]int{"k": 1}, strings.Split("a b c d e f g h i j k", " "),
			Scores{Recall20: 1, RR: 1.0 / 11, MAP: 1.0 / 11}},
		{"graded ideal uses unretrieved labels", map[string]int{"a": 1, "z": 3}, []string{"a"},
			Scores{NDCG10: 1 / (3 + 1/log2of3), P5: 0.2, Recall5: 0.5, Recall10: 0.5, Recall20: 0.5, RR: 1, RR10: 1, MAP: 0.5}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, ScoreRanking(c.rels, c.docs)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestNDCGAtCutoff(t *testing.T) {
	rels := map[string]int{"a": 1, "b": 2}
	docs := []string{"x", "a", "b"}
	if got, want := NDCGAt(rels, docs, 1), 0.0; got != want {
		t.Errorf("nDCG@1 = %v, want %v", got, want)
	}
	if got, want := NDCGAt(rels, docs, 2), (1/log2of3)/(2+1/log2of3); got != want {
		t.Errorf("nDCG@2 = %v, want %v", got, want)
	}
	if got, want := NDCGAt(rels, docs, 3), (1/log2of3+2.0/2)/(2+1/log2of3); got != want {
		t.Errorf("nDCG@3 = %v, want %v", got, want)
	}
	if got := NDCGAt(rels, docs, 0) + NDCGAt(rels, docs, -1); got != 0 {
		t.Errorf("nDCG@0 + nDCG@-1 = %v, want 0", got)
	}
	if got := NDCGAt(map[string]int{"a": 0}, docs, 10); got != 0 {
		t.Errorf("nDCG with no positive label = %v, want 0", got)
	}
}

func TestMeasureTiesByDocnoDescending(t *testing.T) {
	// Equal scores: trec_eval ranks c, b, a (descending strcmp), and "a"
	// before "B" since 'a' (0x61) > 'B' (0x42). Rank column is ignored.
	q := Qrels{"q1": {"a": 1}, "q2": {"B": 1}}
	run := Run{
		"q1": {{"a", 1}, {"b", 1}, {"c", 1}, {"z", 0.5}},
		"q2": {{"B", 7}, {"a", 7}},
	}
	_, per := Measure(q, run)
	// Scores equal in float32 but not in float64 do not tie (trec_eval 9.0.8).
	// In float32 they would tie and b would come first.
	_, fine := Measure(Qrels{"q": {"a": 1}}, Run{"q": {{"a", 0.10000000000000002}, {"b", 0.1}}})
	if fine["q"].RR != 1 {
		t.Errorf("RR with a scored just above b = %v, want 1", fine["q"].RR)
	}
	if per["q1"].RR != 1.0/3 || per["q2"].RR != 0.5 {
		t.Errorf("RR q1 = %v (want 1/3), q2 = %v (want 1/2)", per["q1"].RR, per["q2"].RR)
	}
	if run["q1"][0].DocNo != "a" {
		t.Error("Measure reordered the caller's run")
	}
}

func TestMeasureAveragesEveryJudgedQuery(t *testing.T) {
	q := Qrels{"q1": {"a": 1}, "q2": {"b": 0}, "q3": {"c": 1}}
	run := Run{"q1": {{"a", 1}}, "q2": {{"b", 1}}, "q4": {{"c", 1}}}
	mean, per := Measure(q, run)
	if len(per) != 3 {
		t.Fatalf("per-query has %d queries, want 3 (q4 is not judged)", len(per))
	}
	want := Scores{NDCG10: 1.0 / 3, P5: 0.2 / 3, Recall5: 1.0 / 3, Recall10: 1.0 / 3, Recall20: 1.0 / 3,
		RR: 1.0 / 3, RR10: 1.0 / 3, MAP: 1.0 / 3}
	if diff := cmp.Diff(want, mean); diff != "" {
		t.Errorf("mean (-want +got):\n%s", diff)
	}
	if m, _ := Measure(Qrels{}, run); m != (Scores{}) {
		t.Errorf("empty qrels: %+v", m)
	}
}

// TestMeasureReference checks every per-query value and mean bit for bit
// against the independent Python implementation (testdata/README.md), and
// the trec_eval-style 4-decimal text line by line.
func TestMeasureReference(t *testing.T) {
	q, run := readFixture(t)
	var ref struct {
		Mean     Scores            `json:"mean"`
		PerQuery map[string]Scores `json:"per_query"`
	}
	readJSON(t, "testdata/random.json", &ref)
	mean, per := Measure(q, run)
	if diff := cmp.Diff(ref.Mean, mean); diff != "" {
		t.Errorf("mean (-python +go):\n%s", diff)
	}
	if diff := cmp.Diff(ref.PerQuery, per); diff != "" {
		t.Errorf("per query (-python +go):\n%s", diff)
	}
	want, err := os.ReadFile("testdata/random.trec_eval.txt")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), trecEvalText(mean, per)); diff != "" {
		t.Errorf("trec_eval text (-python +go):\n%s", diff)
	}
	if mean.NDCG10 == 0 || mean.MAP == 0 || mean.RR == mean.RR10 {
		t.Errorf("fixture exercises too little: %+v", mean)
	}
}

func readFixture(t *testing.T) (Qrels, Run) {
	t.Helper()
	qf, err := os.Open("testdata/random.qrels")
	if err != nil {
		t.Fatal(err)
	}
	defer qf.Close()
	q, err := ReadQrels(qf)
	if err != nil {
		t.Fatal(err)
	}
	rf, err := os.Open("testdata/random.run")
	if err != nil {
		t.Fatal(err)
	}
	defer rf.Close()
	run, err := ReadRun(rf)
	if err != nil {
		t.Fatal(err)
	}
	return q, run
}

// trecEvalText prints like `trec_eval -q -c`: per query in qid byte order,
// then "all".
func trecEvalText(mean Scores, per map[string]Scores) string {
	var b strings.Builder
	line := func(qid string, s Scores) {
		for _, m := range []struct {
			name string
			v    float64
		}{{"ndcg_cut_10", s.NDCG10}, {"P_5", s.P5}, {"recall_5", s.Recall5}, {"recall_10", s.Recall10},
			{"recall_20", s.Recall20}, {"recip_rank", s.RR}, {"recip_rank_10", s.RR10}, {"map", s.MAP}} {
			fmt.Fprintf(&b, "%-22s\t%s\t%.4f\n", m.name, qid, m.v)
		}
	}
	for _, qid := range sortedKeys(per) {
		line(qid, per[qid])
	}
	line("all", mean)
	return b.String()
}

func TestMeasureFiniteOnHostileRun(t *testing.T) {
	q := Qrels{"q": {"a": math.MaxInt32, "b": 1}}
	run := Run{"q": {{"a", -math.MaxFloat64}, {"b", math.MaxFloat64}, {"", 0}}}
	mean, _ := Measure(q, run)
	if math.IsNaN(mean.NDCG10) || mean.NDCG10 <= 0 || mean.NDCG10 > 1 {
		t.Errorf("nDCG = %v", mean.NDCG10)
	}
}

// TestPytrecEvalCases replays the nDCG cases of pytrec_eval's unit tests,
// whose values come from trec_eval's own measure code.
func TestPytrecEvalCases(t *testing.T) {
	q := Qrels{"q1": {"d1": 0, "d2": 1, "d3": 0}, "q2": {"d2": 1, "d3": 1}}
	for _, c := range []struct {
		run  []Ranked
		want float64
	}{
		{[]Ranked{{"d1", 1}, {"d2", 0}, {"d3", 1.5}}, 0.5}, // d2 at rank 3
		{[]Ranked{{"d1", 1}, {"d2", 2}, {"d3", 1.5}}, 1},   // rank 1
		{[]Ranked{{"d1", 4}, {"d2", 2}, {"d3", 1.5}}, 0.6309297535714575},
	} {
		_, per := Measure(q, Run{"q1": c.run, "q2": nil})
		if got := per["q1"].NDCG10; math.Abs(got-c.want) > 1e-15 {
			t.Errorf("nDCG of %v = %v, want %v", c.run, got, c.want)
		}
		if per["q2"] != (Scores{}) {
			t.Errorf("q2 with an empty ranking scores %+v", per["q2"])
		}
	}
	docs := []string{"d3", "d1", "d2"}
	for k, want := range map[int]float64{1: 0, 2: 0, 3: 0.5, 1000: 0.5} {
		if got := NDCGAt(q["q1"], docs, k); got != want {
			t.Errorf("ndcg_cut_%d = %v, want %v", k, got, want)
		}
	}
}
