package rag

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"takehome/exercises"
)

// perfect answers every query of set from its labels.
func perfect(t *testing.T, set exercises.EvalSet) []response {
	t.Helper()
	var out []response
	for _, it := range set.Items {
		var l label
		_ = json.Unmarshal(it.Label, &l)
		r := response{QueryID: it.Key, Abstain: l.Category == CatUnanswer}
		seen := map[string]bool{}
		for _, e := range l.Evidence {
			s, e2 := e.Start, e.End
			if !seen[fmt.Sprint(e)] {
				seen[fmt.Sprint(e)] = true
				r.Results = append(r.Results, passage{DocID: e.DocID, Start: &s, End: &e2})
				r.Citations = append(r.Citations, citation{DocID: e.DocID, Start: -1, End: -1})
			}
		}
		if len(l.Answers) > 0 {
			r.Answer = l.Answers[0]
		}
		for _, n := range l.Nuggets[min(1, len(l.Nuggets)):] { // a full two-hop answer names the plan too
			r.Answer += ", on " + n.Text
		}
		out = append(out, r)
	}
	return out
}

func encode(rs []response) string {
	b, _ := jsonLines(rs)
	return string(b)
}

func scoreData(t *testing.T, set exercises.EvalSet, data string) exercises.Result {
	t.Helper()
	res, err := New().Score(exercises.ScoreInput{Set: set, Assets: build(t, 1).Assets, Spec: Spec(),
		Outputs: map[string][]exercises.File{"query": {{Name: "results.jsonl", Data: []byte(data)}}}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestScorePerfectAndEmpty(t *testing.T) {
	v := build(t, 1)
	set, _ := v.Set(exercises.SetPublic)
	res := scoreData(t, set, encode(perfect(t, set)))
	if !res.Valid || *res.Score < 99.999 || *res.Headline.Value != 1 {
		t.Fatalf("perfect run: %+v", res)
	}
	res = scoreData(t, set, "")
	if !res.Valid || *res.Score != 0 || !strings.Contains(strings.Join(res.Findings, " "), "56 of 56 queries have no line") {
		t.Fatalf("empty run: score %v findings %q", *res.Score, res.Findings)
	}
	if len(res.Tables) != 2 || !res.Tables[1].StaffOnly || res.Tables[0].StaffOnly || res.Charts[0].ID != "categories" {
		t.Errorf("tables %+v charts %+v", res.Tables, res.Charts)
	}
}

func TestScoreWholeDocumentsAreCapped(t *testing.T) {
	v := build(t, 1)
	set, _ := v.Set(exercises.SetPublic)
	meta, _, _ := readSet(set)
	rs := perfect(t, set)
	for i := range rs {
		for j := range rs[i].Results {
			p := &rs[i].Results[j]
			zero, n := 0, meta.Docs[p.DocID].Len
			p.Start, p.End = &zero, &n
		}
		rs[i].Results = dedupePassages(rs[i].Results)
	}
	res := scoreData(t, set, encode(rs))
	var d struct{ Summary summary }
	_ = json.Unmarshal(res.Details, &d)
	if d.Summary.NDCG10 != 1 || d.Summary.Hit5 >= 1 {
		t.Errorf("whole documents: nDCG@10 %.3f (want 1), evidence hit@5 %.3f (want < 1)", d.Summary.NDCG10, d.Summary.Hit5)
	}
}

func dedupePassages(ps []passage) []passage {
	seen := map[string]bool{}
	var out []passage
	for _, p := range ps {
		if !seen[p.DocID] {
			seen[p.DocID] = true
			out = append(out, p)
		}
	}
	return out
}

func TestScoreRejectsBadOutput(t *testing.T) {
	v := build(t, 1)
	set, _ := v.Set(exercises.SetPublic)
	good := perfect(t, set)
	q, doc := good[0].QueryID, good[0].Results[0].DocID
	line := func(results string) string {
		return fmt.Sprintf(`{"query_id":%q,"results":[%s],"answer":"x"}`, q, results)
	}
	rest := encode(good[1:])
	tests := []struct{ name, data, want string }{
		{"malformed", "{oops\n" + rest, "line 1: not a JSON object"},
		{"wrong type", `{"query_id":"` + q + `","results":"many"}` + "\n" + rest, "field results has the wrong type"},
		{"unknown query", `{"query_id":"nope","results":[]}` + "\n" + rest, `unknown query_id "nope"`},
		{"duplicate query", encode(good) + encode(good[:1]), "appears twice"},
		{"unknown doc", line(`{"doc_id":"kb-zzz","start":0,"end":5}`) + "\n" + rest, `unknown doc_id "kb-zzz"`},
		{"duplicate passage", line(fmt.Sprintf(`{"doc_id":%q,"start":0,"end":5},{"doc_id":%[1]q,"start":0,"end":5}`, doc)) + "\n" + rest, "listed twice"},
		{"span out of range", line(fmt.Sprintf(`{"doc_id":%q,"start":0,"end":99999999}`, doc)) + "\n" + rest, "outside doc_id"},
		{"empty span", line(fmt.Sprintf(`{"doc_id":%q,"start":7,"end":7}`, doc)) + "\n" + rest, "outside doc_id"},
		{"no offsets", line(fmt.Sprintf(`{"doc_id":%q}`, doc)) + "\n" + rest, "needs integer start and end"},
		{"float offsets", line(fmt.Sprintf(`{"doc_id":%q,"start":1.5,"end":9}`, doc)) + "\n" + rest, "wrong type"},
		{"unknown citation", `{"query_id":"` + q + `","results":[],"citations":["kb-zzz"]}` + "\n" + rest, `cites unknown doc_id "kb-zzz"`},
		{"oversized", strings.Repeat(" ", maxResultsBytes+1), "more than the 33554432 allowed"},
		{"long line", strings.Repeat("x", maxLineBytes+10), "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := scoreData(t, set, tt.data)
			if res.Valid || len(res.Problems) == 0 || !strings.Contains(res.Problems[0], tt.want) {
				t.Fatalf("got valid=%v problems %q, want %q", res.Valid, res.Problems, tt.want)
			}
		})
	}
	t.Run("many problems are capped", func(t *testing.T) {
		res := scoreData(t, set, strings.Repeat("{bad\n", 30))
		if len(res.Problems) != maxProblems+1 || !strings.Contains(res.Problems[maxProblems], "and 20 more") {
			t.Fatalf("%q", res.Problems)
		}
	})
}

func TestScoreBEIRSkipsPassageMetrics(t *testing.T) {
	v, err := FromBEIR("acme", BEIR{
		Corpus:  strings.NewReader(`{"_id":"a","title":"A","text":"alpha"}` + "\n" + `{"_id":"b","title":"B","text":"beta"}` + "\n"),
		Queries: strings.NewReader(`{"_id":"1","text":"alpha"}` + "\n" + `{"_id":"2","text":"beta"}` + "\n" + `{"_id":"3","text":"gamma"}` + "\n"),
		Qrels:   strings.NewReader("query-id\tcorpus-id\tscore\n1\ta\t1\n2\tb\t2\n3\ta\t1\n"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if v.Spec.EngineSlug() != Slug || v.Spec.Slug != "acme" {
		t.Fatalf("spec %+v", v.Spec)
	}
	set, _ := v.Set(exercises.SetHidden)
	var lines []string
	for _, it := range set.Items {
		lines = append(lines, fmt.Sprintf(`{"query_id":%q,"results":[{"doc_id":"b","start":0,"end":4},{"doc_id":"a","start":0,"end":5}]}`, it.Key))
	}
	res := scoreData(t, set, strings.Join(lines, "\n"))
	if !res.Valid || len(res.Metrics) != 4 || !strings.Contains(strings.Join(res.Findings, " "), "document-level labels only") {
		t.Fatalf("%+v", res)
	}
	if *res.Score != 100**res.Headline.Value {
		t.Errorf("score %v, nDCG@10 %v", *res.Score, *res.Headline.Value)
	}
}
