package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"takehome/metric/retrieval"
)

const retrievalTestdata = "../../metric/retrieval/testdata/"

// TestEvalRetrieval scores the package's reference fixture through the
// command and compares with the Python reference values bit for bit.
func TestEvalRetrieval(t *testing.T) {
	out := runCmd(t, testEnv(nil), "eval", "retrieval", "--qrels", retrievalTestdata+"random.qrels",
		"--run", retrievalTestdata+"random.run", "--per-query")
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	var ref struct {
		Mean     map[string]float64            `json:"mean"`
		PerQuery map[string]map[string]float64 `json:"per_query"`
	}
	b, err := os.ReadFile(retrievalTestdata + "random.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"ndcg_cut_10", "P_5", "recall_5", "recall_10", "recip_rank", "map"} {
		if got[m] != ref.Mean[m] {
			t.Errorf("%s = %v, reference %v", m, got[m], ref.Mean[m])
		}
	}
	per, _ := got["per_query"].(map[string]any)
	if q := per["q10"].(map[string]any); q["map"] != ref.PerQuery["q10"]["map"] || len(per) != 80 {
		t.Errorf("per_query has %d queries, q10 = %v, reference %v", len(per), q, ref.PerQuery["q10"])
	}
	if got["queries"] != 80.0 || got["missing_queries"] != 8.0 || got["conventions"] != retrieval.Conventions {
		t.Errorf("queries %v missing %v conventions %q", got["queries"], got["missing_queries"], got["conventions"])
	}

	out = runCmd(t, testEnv(nil), "eval", "retrieval", "--qrels", retrievalTestdata+"random.qrels", "--run", retrievalTestdata+"random.run")
	if strings.Contains(out, "per_query") {
		t.Error("per_query printed without --per-query")
	}
}

func TestEvalRetrievalBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	qrels := write("ok.qrels", "q1 0 d1 1\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--qrels", qrels, "--run", write("dup.run", "q1 Q0 d1 1 1 r\nq1 Q0 d1 2 0.5 r\n")},
			`dup.run: run: query "q1" lists document "d1" twice`},
		{[]string{"--qrels", qrels, "--run", write("nan.run", "q1 Q0 d1 1 1 r\nq1 Q0 d2 2 nan r\n")},
			`nan.run: line 2: score "nan" is not finite`},
		{[]string{"--qrels", write("bad.qrels", "q1 0 d1 yes\n"), "--run", qrels},
			`bad.qrels: line 1: relevance "yes" is not an integer`},
		{[]string{"--qrels", qrels, "--run", filepath.Join(dir, "absent.run")}, "no such file"},
		{[]string{"--qrels", qrels}, "needs --qrels FILE and --run FILE"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), append([]string{"eval", "retrieval"}, c.args...), testEnv(nil), &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("eval retrieval %v: %v, want %q", c.args, err, c.want)
		}
		if stdout.Len() != 0 {
			t.Errorf("eval retrieval %v printed %q on error", c.args, stdout.String())
		}
	}
}

// TestEvalRetrievalMatchesPackage checks the printed mean is Measure's.
func TestEvalRetrievalMatchesPackage(t *testing.T) {
	out := runCmd(t, testEnv(nil), "eval", "retrieval", "--qrels", retrievalTestdata+"random.qrels", "--run", retrievalTestdata+"random.run")
	var got retrieval.Scores
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	q, err := readWith(retrievalTestdata+"random.qrels", retrieval.ReadQrels)
	if err != nil {
		t.Fatal(err)
	}
	r, err := readWith(retrievalTestdata+"random.run", retrieval.ReadRun)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := retrieval.Measure(q, r)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-Measure +command):\n%s", diff)
	}
}
