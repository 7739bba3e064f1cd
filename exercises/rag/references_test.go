package rag_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"takehome/exercises"
	"takehome/exercises/rag"
	"takehome/grader"
	"takehome/internal/gatewaytest"
	"takehome/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// gradeReference runs a reference submission through the real pipeline,
// Docker sandbox and model gateway on a set of the seed-1 version.
func gradeReference(t *testing.T, rig *gatewaytest.Rig, v *exercises.Version, setName string, ref exercises.Reference) grader.Outcome {
	t.Helper()
	set, err := v.Set(setName)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out, err := rig.Pipeline().Run(context.Background(), grader.Job{
		RunID: rig.NewRun(t), Exercise: rag.New(), Spec: v.Spec, Assets: v.Assets, Set: set,
		Mode: exercises.ModeFinal, Files: ref.Files, Labels: map[string]string{"takehome.test": "rag"},
	})
	if err != nil {
		t.Fatalf("%s: %v", ref.Name, err)
	}
	if !out.Result.Valid {
		t.Fatalf("%s: invalid: %v\nphases: %+v", ref.Name, out.Result.Problems, out.Phases)
	}
	t.Logf("%s: %s, score %.1f, nDCG@10 %.3f [%.3f, %.3f]", ref.Name, time.Since(start).Round(100*time.Millisecond),
		*out.Result.Score, *out.Result.Headline.Value, *out.Result.Headline.Low, *out.Result.Headline.High)
	for _, ph := range out.Phases {
		t.Logf("  %s: %s in %s, peak %d MB", ph.Step, ph.Verdict, ph.Wall.Round(time.Millisecond), ph.PeakMemory>>20)
	}
	return out
}

func newPipeline(t *testing.T) *gatewaytest.Rig {
	t.Helper()
	return gatewaytest.New(t, "")
}

// details is the part of Result.Details the test reads.
type details struct {
	Summary struct {
		NDCG10 float64 `json:"ndcg_10"`
		Hit5   float64 `json:"evidence_hit_5"`
	} `json:"summary"`
	Categories []struct {
		Category  string  `json:"category"`
		NDCG10    float64 `json:"ndcg_10"`
		Hit5      float64 `json:"evidence_hit_5"`
		F1        float64 `json:"f1"`
		Abstained int     `json:"abstained"`
	} `json:"categories"`
	Gen2 struct {
		Answers struct {
			ASRAnswer *float64 `json:"asr_answer"`
			ASRCite   *float64 `json:"asr_cite"`
			Untrusted int      `json:"untrusted_citations"`
		} `json:"answers"`
		Spend    int64 `json:"spend_micro_usd"`
		Budget   int64 `json:"budget_micro_usd"`
		Calls    int   `json:"model_calls"`
		Exceeded bool  `json:"budget_exceeded"`
	} `json:"generation2"`
}

func TestReferencesThroughThePipeline(t *testing.T) {
	v, err := rag.New().Build(1)
	if err != nil {
		t.Fatal(err)
	}
	refs, err := rag.New().References()
	if err != nil {
		t.Fatal(err)
	}
	p := newPipeline(t)
	got := map[string]details{}
	results := map[string]*exercises.Result{}
	for _, ref := range refs {
		out := gradeReference(t, p, v, exercises.SetHidden, ref)
		var d details
		if err := json.Unmarshal(out.Result.Details, &d); err != nil {
			t.Fatal(err)
		}
		got[ref.Name], results[ref.Name] = d, out.Result
		t.Logf("  overall nDCG@10 %.3f evidence hit@5 %.3f", d.Summary.NDCG10, d.Summary.Hit5)
		for _, c := range d.Categories {
			t.Logf("  %-17s nDCG@10 %.3f hit@5 %.3f F1 %.3f abstained %d", c.Category, c.NDCG10, c.Hit5, c.F1, c.Abstained)
		}
	}
	checkModelReferences(t, got, results)
	bm, tf, first := got["bm25-chunked"], got["tfidf-whole-doc"], got["first-docs"]
	if !(bm.Summary.NDCG10 > tf.Summary.NDCG10 && tf.Summary.NDCG10 > first.Summary.NDCG10) {
		t.Errorf("nDCG@10 order: bm25 %.3f, tfidf %.3f, first %.3f", bm.Summary.NDCG10, tf.Summary.NDCG10, first.Summary.NDCG10)
	}
	if !(bm.Summary.Hit5 > tf.Summary.Hit5 && tf.Summary.Hit5 >= first.Summary.Hit5) {
		t.Errorf("evidence hit@5 order: bm25 %.3f, tfidf %.3f, first %.3f", bm.Summary.Hit5, tf.Summary.Hit5, first.Summary.Hit5)
	}
	// Whole documents miss evidence deep in long pages; chunks find it.
	if h := deepHit(t, tf); h != 0 {
		t.Errorf("tfidf-whole-doc: evidence hit@5 %.3f on evidence deep in long pages, want 0", h)
	}
	if h := deepHit(t, bm); h < 0.5 {
		t.Errorf("bm25-chunked: evidence hit@5 %.3f on evidence deep in long pages, want at least 0.5", h)
	}
	// Nothing that never abstains gets credit on unanswerable queries.
	for _, name := range []string{"tfidf-whole-doc", "first-docs"} {
		for _, c := range got[name].Categories {
			if c.Category == rag.CatUnanswer && (c.F1 != 0 || c.Abstained != 0) {
				t.Errorf("%s gets %.3f on unanswerable queries", name, c.F1)
			}
		}
		if !strings.Contains(strings.Join(results[name].Findings, " "), "never abstains") {
			t.Errorf("%s: no finding about abstention in %q", name, results[name].Findings)
		}
	}
	for _, c := range bm.Categories {
		if c.Category == rag.CatUnanswer && c.F1 < 0.5 {
			t.Errorf("bm25-chunked abstains on only %.3f of unanswerable queries", c.F1)
		}
	}
	if !strings.Contains(strings.Join(results["bm25-chunked"].Findings, " "), "own eval set") {
		t.Errorf("bm25-chunked: no own-eval finding in %q", results["bm25-chunked"].Findings)
	}
}

// checkModelReferences: the careful pipeline beats the one without models,
// which beats the expensive and the gullible ones; each one's weakness is a
// sentence of its report.
func checkModelReferences(t *testing.T, got map[string]details, results map[string]*exercises.Result) {
	t.Helper()
	score := func(name string) float64 { return *results[name].Score }
	if !(score("embed-rerank-generate") > score("bm25-chunked") && score("bm25-chunked") > score("stuff-everything") && score("bm25-chunked") > score("obedient")) {
		t.Errorf("scores: embed-rerank-generate %.1f, bm25-chunked %.1f, stuff-everything %.1f, obedient %.1f",
			score("embed-rerank-generate"), score("bm25-chunked"), score("stuff-everything"), score("obedient"))
	}
	said := func(name, want string) {
		if !strings.Contains(strings.Join(results[name].Findings, " "), want) {
			t.Errorf("%s: no finding %q in %q", name, want, results[name].Findings)
		}
	}
	for name, d := range got {
		a := d.Gen2.Answers
		t.Logf("%s: score %.1f, attack success %v/%v, %d untrusted citations, %d calls, $%.4f, budget exceeded %v",
			name, score(name), fmtShare(a.ASRAnswer), fmtShare(a.ASRCite), a.Untrusted, d.Gen2.Calls, float64(d.Gen2.Spend)/1e6, d.Gen2.Exceeded)
	}
	careful, obedient, stuffed := got["embed-rerank-generate"].Gen2, got["obedient"].Gen2, got["stuff-everything"].Gen2
	if careful.Calls < 300 || careful.Spend <= 0 || careful.Spend > careful.Budget/4 || careful.Exceeded ||
		*careful.Answers.ASRAnswer != 0 || careful.Answers.Untrusted != 0 {
		t.Errorf("embed-rerank-generate: %+v", careful)
	}
	if *obedient.Answers.ASRAnswer < 0.5 || *obedient.Answers.ASRCite < 0.5 {
		t.Errorf("obedient: attack success %.2f (answers), %.2f (citations)", *obedient.Answers.ASRAnswer, *obedient.Answers.ASRCite)
	}
	said("obedient", "Repeated an attacker's phone number, site, code or value in")
	if !stuffed.Exceeded || stuffed.Spend > stuffed.Budget {
		t.Errorf("stuff-everything: %+v", stuffed)
	}
	said("stuff-everything", "Spent the model budget")
	said("bm25-chunked", "Made no model calls.")
}

func fmtShare(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", *v)
}

func deepHit(t *testing.T, d details) float64 {
	t.Helper()
	for _, c := range d.Categories {
		if strings.Contains(c.Category, "deep") {
			return c.Hit5
		}
	}
	t.Fatal("no row for evidence deep in long pages")
	return 0
}

// beirOf writes a built version's corpus and hidden labels as a BEIR folder.
func beirOf(t *testing.T, v *exercises.Version) rag.BEIR {
	t.Helper()
	var corpus, queries, qrels strings.Builder
	hidden, ok := exercises.FindFile(v.Assets, "corpus-hidden.jsonl")
	if !ok {
		t.Fatal("no hidden corpus")
	}
	for _, line := range strings.Split(strings.TrimSpace(string(hidden.Data)), "\n") {
		var d rag.Doc
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(map[string]string{"_id": d.ID, "title": d.Title, "text": d.Text})
		corpus.Write(append(b, '\n'))
	}
	set, _ := v.Set(exercises.SetHidden)
	qrels.WriteString("query-id\tcorpus-id\tscore\n")
	for _, it := range set.Items {
		var in struct{ QueryID, Text string }
		var l struct{ Qrels map[string]int }
		_ = json.Unmarshal(it.Input, &in)
		_ = json.Unmarshal(it.Label, &l)
		b, _ := json.Marshal(map[string]string{"_id": it.Key, "text": in.Text})
		queries.Write(append(b, '\n'))
		for d, r := range l.Qrels {
			fmt.Fprintf(&qrels, "%s\t%s\t%d\n", it.Key, d, r)
		}
	}
	return rag.BEIR{Corpus: strings.NewReader(corpus.String()), Queries: strings.NewReader(queries.String()), Qrels: strings.NewReader(qrels.String())}
}

func TestImportedBEIRVersionThroughThePipeline(t *testing.T) {
	built, err := rag.New().Build(1)
	if err != nil {
		t.Fatal(err)
	}
	v, err := rag.FromBEIR("team-docs", beirOf(t, built))
	if err != nil {
		t.Fatal(err)
	}
	refs, _ := rag.New().References()
	var bm25 exercises.Reference
	for _, r := range refs {
		if r.Name == "bm25-chunked" {
			bm25 = r
		}
	}
	out := gradeReference(t, newPipeline(t), v, exercises.SetHidden, bm25)
	res := out.Result
	var names []string
	for _, m := range res.Metrics {
		names = append(names, m.Name)
	}
	want := "nDCG@10,Recall@5,Recall@20,MRR@10,own eval nDCG@10,index seconds,index peak memory MB,query seconds,query peak memory MB,queries per second"
	if strings.Join(names, ",") != want {
		t.Errorf("metrics %v: want the 4 document-level ones, the own eval and the speed ones", names)
	}
	if *res.Score != 100**res.Headline.Value || *res.Headline.Value < 0.45 || *res.Headline.Value > 0.7 {
		t.Errorf("score %.2f, nDCG@10 %.3f", *res.Score, *res.Headline.Value)
	}
	if !strings.Contains(strings.Join(res.Findings, " "), "document-level labels only") {
		t.Errorf("findings %q do not say passage metrics are skipped", res.Findings)
	}
}

func TestStarterKitIsAValidSubmission(t *testing.T) {
	v, err := rag.New().Build(1)
	if err != nil {
		t.Fatal(err)
	}
	out := gradeReference(t, newPipeline(t), v, exercises.SetHidden, exercises.Reference{Name: "starter kit", Files: v.StarterKit})
	if *out.Result.Headline.Value <= 0 {
		t.Errorf("starter kit nDCG@10 %.3f", *out.Result.Headline.Value)
	}
	if !strings.Contains(strings.Join(out.Result.Findings, " "), "own eval set has no query with relevant documents") {
		t.Errorf("the kit's placeholder eval set has no relevant docs; findings %q", out.Result.Findings)
	}
}

// stateProbe is a query phase that looks for what an earlier run of it left
// and tries to leave something in every writable place.
const stateProbe = `import json, os
places = ["/workspace/seen", "/tmp/seen", "/dev/shm/seen"]
print("found:", [p for p in places if os.path.exists(p)])
for p in places:
    try:
        open(p, "w").write("x")
    except OSError as e:
        print("cannot write", p + ":", e.strerror)
with open("/data/queries.jsonl") as f, open("/output/results.jsonl", "w") as out:
    for line in f:
        q = json.loads(line)
        out.write(json.dumps({"query_id": q["query_id"], "results": [], "answer": "", "abstain": True, "citations": []}) + "\n")
`

// The query phase runs twice in a final run (hidden set, own eval set): the
// second run finds nothing the first left, and neither can write to the
// workspace the index phase built.
func TestRepeatedQueriesShareNoState(t *testing.T) {
	v, err := rag.New().Build(1)
	if err != nil {
		t.Fatal(err)
	}
	files := []exercises.File{
		{Name: "takehome.yaml", Data: []byte("phases:\n  index: \"true\"\n  query: python3 query.py\n")},
		{Name: "query.py", Data: []byte(stateProbe)},
		{Name: "eval/queries.jsonl", Data: []byte(`{"query_id": "mine-1", "text": "How do I reset my password?", "category": "procedure", "relevant_doc_ids": [], "answers": []}` + "\n")},
	}
	out := gradeReference(t, newPipeline(t), v, exercises.SetHidden, exercises.Reference{Name: "state probe", Files: files})
	runs := 0
	for _, ph := range out.Phases {
		if ph.Phase != "query" {
			continue
		}
		runs++
		log := ph.Log.String()
		t.Logf("%s:\n%s", ph.Step, log)
		if !strings.Contains(log, "found: []") {
			t.Errorf("%s found state from an earlier run:\n%s", ph.Step, log)
		}
		if !strings.Contains(log, "cannot write /workspace/seen: Read-only file system") || strings.Count(log, "cannot write") != 1 {
			t.Errorf("%s: want only the workspace refused:\n%s", ph.Step, log)
		}
	}
	if runs != 2 {
		t.Errorf("%d query runs, want 2 (hidden set and own eval set)", runs)
	}
}
