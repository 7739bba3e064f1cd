package smoke

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"takehome/exercises"
)

func versionHash(t *testing.T, seed uint64) string {
	t.Helper()
	v, err := New().Build(seed)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(b))
}

func TestBuildIsDeterministic(t *testing.T) {
	if a, b := versionHash(t, 7), versionHash(t, 7); a != b {
		t.Fatalf("same seed, different versions: %s vs %s", a, b)
	}
	if a, b := versionHash(t, 7), versionHash(t, 8); a == b {
		t.Fatal("different seeds gave the same version")
	}
}

func TestStepsNeverCarryLabels(t *testing.T) {
	v, _ := New().Build(1)
	hidden, _ := v.Set(exercises.SetHidden)
	steps, err := New().Steps(v.Spec, v.Assets, hidden)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		for _, f := range s.Inputs {
			if s.Name == "solve" && strings.Contains(string(f.Data), "sum") {
				t.Errorf("step %s input %s mentions labels", s.Name, f.Name)
			}
		}
	}
}

func answers(set exercises.EvalSet, wrong map[string]bool) []byte {
	var b strings.Builder
	for _, it := range set.Items {
		var x item
		_ = json.Unmarshal(it.Input, &x)
		v := x.A + x.B
		if wrong[it.Key] {
			v++
		}
		fmt.Fprintf(&b, "{\"key\":%q,\"value\":%v}\n", it.Key, v)
	}
	return []byte(b.String())
}

func TestScore(t *testing.T) {
	v, _ := New().Build(1)
	set, _ := v.Set(exercises.SetPublic)
	first := set.Items[0].Key
	tests := []struct {
		name    string
		data    string
		score   float64
		problem string
	}{
		{"all right", string(answers(set, nil)), 100, ""},
		{"one wrong", string(answers(set, map[string]bool{first: true})), 95, ""},
		{"missing", strings.SplitN(string(answers(set, nil)), "\n", 2)[1], 0, "1 of 20 items have no answer"},
		{"duplicate", string(answers(set, nil)) + fmt.Sprintf("{\"key\":%q,\"value\":1}\n", first), 0, "duplicate key"},
		{"unknown", `{"key":"nope","value":1}`, 0, `unknown key "nope"`},
		{"garbage", "not json", 0, "line 1: not a JSON object"},
		{"no value", fmt.Sprintf("{\"key\":%q}", first), 0, "missing value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := New().Score(exercises.ScoreInput{Set: set, Outputs: map[string][]exercises.File{
				"solve": {{Name: "answers.jsonl", Data: []byte(tt.data)}},
			}})
			if err != nil {
				t.Fatal(err)
			}
			if tt.problem != "" {
				if res.Valid || len(res.Problems) != 1 || !strings.Contains(res.Problems[0], tt.problem) {
					t.Fatalf("got %+v, want problem %q", res, tt.problem)
				}
				return
			}
			if !res.Valid || *res.Score != tt.score {
				t.Fatalf("got %+v, want score %v", res, tt.score)
			}
		})
	}
}
