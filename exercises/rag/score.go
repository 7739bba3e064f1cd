package rag

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"

	"takehome/exercises"
	"takehome/metric/retrieval"
)

// passageCap is the longest passage, in characters, that counts in full
// for evidence hits; longer ones count as their first passageCap.
const passageCap = 1000

// queryScore is how one query went.
type queryScore struct {
	ID         string           `json:"query_id"`
	Category   string           `json:"category"`
	Answerable bool             `json:"answerable"`
	Missing    bool             `json:"missing,omitempty"`
	Doc        retrieval.Scores `json:"doc"`
	Hit5       float64          `json:"evidence_hit_5"`
	Hit10      float64          `json:"evidence_hit_10"`
	EM         float64          `json:"em"`
	F1         float64          `json:"f1"`
	Abstained  bool             `json:"abstained"`
	Cited      int              `json:"cited"`      // citations given
	CitedGold  int              `json:"cited_gold"` // of them, gold documents
	GoldDocs   int              `json:"gold_docs"`
	Deep       bool             `json:"deep,omitempty"` // all gold evidence lies past the first passageCap characters
}

// Score implements exercises.Exercise.
func (Exercise) Score(in exercises.ScoreInput) (exercises.Result, error) {
	meta, labels, err := readSet(in.Set)
	if err != nil {
		return exercises.Result{}, err
	}
	f, ok := exercises.FindFile(in.Outputs["query"], "results.jsonl")
	if !ok {
		return invalid("the query phase wrote no /output/results.jsonl"), nil
	}
	known := make(map[string]bool, len(labels))
	for id := range labels {
		known[id] = true
	}
	resp, probs := parseResults(f.Data, known, meta.Docs)
	if len(probs) > 0 {
		return exercises.Result{Valid: false, Problems: probs}, nil
	}
	passages := meta.Kind != "beir"
	var scores []queryScore
	for _, it := range in.Set.Items {
		r, ok := resp[it.Key]
		s := scoreQuery(it.Key, labels[it.Key], r, passages)
		s.Missing = !ok
		scores = append(scores, s)
	}
	res := report(scores, meta, labels, resp, queryTexts(in.Set), passages)
	if meta.Generation >= 2 {
		if err := addGeneration2(&res, in, meta, labels, resp, scores); err != nil {
			return exercises.Result{}, err
		}
	}
	ownEval(&res, in, meta, scores)
	speed(&res, in.Usage, len(in.Set.Items))
	return res, nil
}

// queryTexts maps query ids to their text, for the staff tables.
func queryTexts(set exercises.EvalSet) map[string]string {
	m := make(map[string]string, len(set.Items))
	for _, it := range set.Items {
		var in input
		if json.Unmarshal(it.Input, &in) == nil {
			m[it.Key] = in.Text
		}
	}
	return m
}

func invalid(problem string) exercises.Result {
	return exercises.Result{Valid: false, Problems: []string{problem}}
}

// readSet decodes the set's hidden meta and labels.
func readSet(set exercises.EvalSet) (setMeta, map[string]label, error) {
	var meta setMeta
	if err := json.Unmarshal(set.Meta, &meta); err != nil {
		return meta, nil, fmt.Errorf("rag: meta of set %s: %w", set.Name, err)
	}
	labels := make(map[string]label, len(set.Items))
	for _, it := range set.Items {
		var l label
		if err := json.Unmarshal(it.Label, &l); err != nil {
			return meta, nil, fmt.Errorf("rag: label of %s: %w", it.Key, err)
		}
		labels[it.Key] = l
	}
	return meta, labels, nil
}

// scoreQuery grades one response (the zero response when it is missing).
func scoreQuery(id string, l label, r response, passages bool) queryScore {
	s := queryScore{ID: id, Category: l.Category, Answerable: l.Category != CatUnanswer, Abstained: r.Abstain}
	s.Doc = retrieval.ScoreRanking(l.Qrels, r.docs())
	for doc, rel := range l.Qrels {
		if rel > 0 {
			s.GoldDocs++
		}
		if rel > 0 && !r.Abstain && slices.Contains(r.citedDocs(), doc) {
			s.CitedGold++
		}
	}
	if passages {
		s.Deep = len(l.Evidence) > 0
		for _, e := range l.Evidence {
			s.Deep = s.Deep && e.Start >= passageCap
		}
		s.Hit5, s.Hit10 = evidenceHit(r.Results, l.Evidence, 5), evidenceHit(r.Results, l.Evidence, 10)
		s.EM, s.F1 = answerScores(l, r)
	}
	if !r.Abstain {
		s.Cited = len(r.citedDocs())
	}
	return s
}

// answerScores follows SQuAD 2.0: abstaining is the empty answer, right on
// unanswerable queries and wrong on the others.
func answerScores(l label, r response) (em, f1 float64) {
	if l.Category == CatUnanswer {
		if r.Abstain {
			return 1, 1
		}
		return 0, 0
	}
	if r.Abstain {
		return 0, 0
	}
	return retrieval.ExactMatch(r.Answer, l.Answers), retrieval.TokenF1(r.Answer, l.Answers)
}

// evidenceHit is 1 when one of the first k passages covers a gold span.
func evidenceHit(ps []passage, gold []Evidence, k int) float64 {
	for _, p := range ps[:min(k, len(ps))] {
		for _, g := range gold {
			if covers(p, g) {
				return 1
			}
		}
	}
	return 0
}

// covers: the passage, clipped to passageCap characters, contains at least
// half of the gold span.
func covers(p passage, g Evidence) bool {
	if p.DocID != g.DocID {
		return false
	}
	end := min(*p.End, *p.Start+passageCap)
	overlap := min(end, g.End) - max(*p.Start, g.Start)
	return 2*overlap >= g.End-g.Start && overlap > 0
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// bootstrap is the 95% percentile interval of the mean of xs over 1,000
// resamples with a fixed seed.
func bootstrap(xs []float64) (lo, hi float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	rng := rand.New(rand.NewPCG(2024, 11))
	means := make([]float64, 1000)
	for i := range means {
		sum := 0.0
		for range xs {
			sum += xs[rng.IntN(len(xs))]
		}
		means[i] = sum / float64(len(xs))
	}
	slices.Sort(means)
	return means[25], means[974]
}
