package rag

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"takehome/exercises"
	"takehome/metric/retrieval"
)

// OwnEvalFile is where a submission keeps its own labelled queries.
const OwnEvalFile = "eval/queries.jsonl"

// ownEvalStep names the extra run of the query phase on them.
const ownEvalStep = "own-eval"

const maxOwnQueries = 1000

// ownQuery is one line of the candidate's eval/queries.jsonl.
type ownQuery struct {
	ID       string   `json:"query_id"`
	Text     string   `json:"text"`
	Category string   `json:"category"`
	Relevant []string `json:"relevant_doc_ids"`
	Answers  []string `json:"answers"`
}

// parseOwnEval reads the candidate's eval set; errors are messages for
// the report.
func parseOwnEval(data []byte) ([]ownQuery, error) {
	if len(data) > 4<<20 {
		return nil, fmt.Errorf("%s is larger than 4 MB", OwnEvalFile)
	}
	var out []ownQuery
	ids := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), maxLineBytes)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var q ownQuery
		switch err := json.Unmarshal(sc.Bytes(), &q); {
		case err != nil:
			return nil, fmt.Errorf("%s line %d: %s", OwnEvalFile, n, shortErr(err))
		case q.ID == "" || strings.TrimSpace(q.Text) == "":
			return nil, fmt.Errorf("%s line %d: query_id and text are required", OwnEvalFile, n)
		case ids[q.ID]:
			return nil, fmt.Errorf("%s line %d: query_id %q appears twice", OwnEvalFile, n, clip(q.ID, 40))
		case len(out) == maxOwnQueries:
			return nil, fmt.Errorf("%s has more than %d queries", OwnEvalFile, maxOwnQueries)
		}
		ids[q.ID] = true
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", OwnEvalFile, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s has no queries", OwnEvalFile)
	}
	return out, nil
}

// WorkspaceSteps implements exercises.WorkspaceStepper: when the submission
// ships a readable eval/queries.jsonl, its query phase runs once more on
// those queries (ids and texts only). An unreadable file adds no step; the
// scorer reports why.
func (Exercise) WorkspaceSteps(spec exercises.Spec, files []exercises.File) ([]exercises.Step, error) {
	f, ok := exercises.FindFile(files, OwnEvalFile)
	if !ok {
		return nil, nil
	}
	qs, err := parseOwnEval(f.Data)
	if err != nil {
		return nil, nil
	}
	ins := make([]input, len(qs))
	for i, q := range qs {
		ins[i] = input{q.ID, q.Text}
	}
	data, err := jsonLines(ins)
	if err != nil {
		return nil, err
	}
	return []exercises.Step{{Name: ownEvalStep, Phase: "query", Inputs: []exercises.File{{Name: "queries.jsonl", Data: data}}}}, nil
}

// ownEval scores the submission on its own eval set and says how well that
// predicted the hidden nDCG@10 and which categories it covered.
func ownEval(res *exercises.Result, in exercises.ScoreInput, meta setMeta, scores []queryScore) {
	if in.ExpectedScore != nil {
		res.Findings = append(res.Findings, fmt.Sprintf("The candidate expected nDCG@10 of %.3f; it is %.3f (off by %.3f).",
			*in.ExpectedScore, *res.Headline.Value, abs(*in.ExpectedScore-*res.Headline.Value)))
	}
	f, ok := exercises.FindFile(in.Workspace, OwnEvalFile)
	if !ok {
		res.Findings = append(res.Findings, "The submission has no "+OwnEvalFile+", so there is no own eval set to compare with.")
		return
	}
	qs, err := parseOwnEval(f.Data)
	if err != nil {
		res.Findings = append(res.Findings, "The own eval set was not used: "+err.Error()+".")
		return
	}
	if meta.Kind != "beir" {
		res.Findings = append(res.Findings, coverage(qs))
	}
	out, ok := exercises.FindFile(in.Outputs[ownEvalStep], "results.jsonl")
	if !ok {
		res.Findings = append(res.Findings, "The query phase failed or wrote no results on the candidate's own eval set.")
		return
	}
	own, note := ownNDCG(qs, out.Data, meta)
	if note != "" {
		res.Findings = append(res.Findings, note)
		return
	}
	res.Metrics = append(res.Metrics, metric("own eval nDCG@10", own, "the submission's own queries and labels, relevant_doc_ids as relevance 1"))
	res.Findings = append(res.Findings, fmt.Sprintf("On its own eval set the submission reaches nDCG@10 %.3f; the hidden set gives %.3f, so the own set was off by %.3f.",
		own, *res.Headline.Value, abs(own-*res.Headline.Value)))
}

// ownNDCG is the mean nDCG@10 over the own queries that have relevant
// documents.
func ownNDCG(qs []ownQuery, results []byte, meta setMeta) (float64, string) {
	known := map[string]bool{}
	for _, q := range qs {
		known[q.ID] = true
	}
	resp, probs := parseResults(results, known, meta.Docs)
	if len(probs) > 0 {
		return 0, "The results on the own eval set are invalid: " + probs[0] + "."
	}
	sum, n := 0.0, 0
	for _, q := range qs {
		if len(q.Relevant) == 0 {
			continue
		}
		rels := map[string]int{}
		for _, d := range q.Relevant {
			if _, ok := meta.Docs[d]; !ok {
				return 0, fmt.Sprintf("The own eval set labels query %s with unknown doc_id %q.", clip(q.ID, 40), clip(d, 40))
			}
			rels[d] = 1
		}
		sum += retrieval.ScoreRanking(rels, resp[q.ID].docs()).NDCG10
		n++
	}
	if n == 0 {
		return 0, "The own eval set has no query with relevant documents."
	}
	return sum / float64(n), ""
}

// coverage says which of the hidden categories the own set covers.
func coverage(qs []ownQuery) string {
	count := map[string]int{}
	for _, q := range qs {
		count[q.Category]++
	}
	var have, miss []string
	for _, c := range drawn { // the hidden-only injection categories are not asked of candidates
		if count[c] > 0 {
			have = append(have, fmt.Sprintf("%s (%d)", c, count[c]))
		} else {
			miss = append(miss, c)
		}
	}
	s := fmt.Sprintf("The own eval set has %d queries covering %d of %d categories", len(qs), len(have), len(drawn))
	if len(have) > 0 {
		s += ": " + strings.Join(have, ", ")
	}
	if len(miss) > 0 {
		s += "; missing " + strings.Join(miss, ", ")
	}
	return s + "."
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
