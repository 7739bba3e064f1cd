package rag

import (
	"strings"
	"testing"

	"takehome/exercises"
)

func TestOwnEval(t *testing.T) {
	v := build(t, 1)
	set, _ := v.Set(exercises.SetPublic)
	rs := perfect(t, set)
	doc := rs[0].Results[0].DocID
	own := `{"query_id":"m1","text":"anything","category":"lexical","relevant_doc_ids":["` + doc + `"]}` + "\n" +
		`{"query_id":"m2","text":"nothing","category":"unanswerable","relevant_doc_ids":[]}` + "\n"
	ownOut := `{"query_id":"m1","results":[{"doc_id":"` + doc + `","start":0,"end":5}]}` + "\n" + `{"query_id":"m2","results":[],"abstain":true}` + "\n"
	steps, err := New().WorkspaceSteps(v.Spec, []exercises.File{{Name: OwnEvalFile, Data: []byte(own)}})
	if err != nil || len(steps) != 1 || steps[0].Phase != "query" || strings.Contains(string(steps[0].Inputs[0].Data), "relevant") {
		t.Fatalf("steps %+v, %v", steps, err)
	}
	tests := []struct {
		name, own, out, want string
	}{
		{"scored", own, ownOut, "own set was off by 0.000"},
		{"coverage", own, ownOut, "covering 2 of 7 categories: lexical (1), unanswerable (1); missing paraphrase"},
		{"no file", "", "", "has no eval/queries.jsonl"},
		{"malformed", "{x\n", "", "eval/queries.jsonl line 1: invalid JSON"},
		{"duplicate ids", strings.Repeat(`{"query_id":"a","text":"t"}`+"\n", 2), "", `query_id "a" appears twice`},
		{"probe failed", own, "", "failed or wrote no results"},
		{"bad probe output", own, `{"query_id":"zz"}`, `unknown query_id "zz"`},
		{"unknown label doc", `{"query_id":"m1","text":"t","relevant_doc_ids":["kb-nope"]}`, `{"query_id":"m1","results":[]}`, `unknown doc_id "kb-nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := exercises.ScoreInput{Set: set, Assets: v.Assets, Spec: v.Spec, Outputs: map[string][]exercises.File{"query": {{Name: "results.jsonl", Data: []byte(encode(rs))}}}}
			if tt.own != "" {
				in.Workspace = []exercises.File{{Name: OwnEvalFile, Data: []byte(tt.own)}}
			}
			if tt.out != "" {
				in.Outputs[ownEvalStep] = []exercises.File{{Name: "results.jsonl", Data: []byte(tt.out)}}
			}
			res, err := New().Score(in)
			if err != nil || !res.Valid {
				t.Fatalf("%v %+v", err, res)
			}
			if got := strings.Join(res.Findings, " "); !strings.Contains(got, tt.want) {
				t.Fatalf("findings %q lack %q", got, tt.want)
			}
		})
	}
	if steps, err := New().WorkspaceSteps(v.Spec, []exercises.File{{Name: OwnEvalFile, Data: []byte("{x")}}); err != nil || steps != nil {
		t.Errorf("a malformed own eval set must add no step: %v %v", steps, err)
	}
}
