package rag

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"takehome/exercises"
)

// answerScore2 is generation 2's answer credit: on multi-part queries the
// facts stated (nuggets, at token boundaries), on numeric ones the right
// number with its unit, SQuAD token F1 on the others (after the v1
// abstention rules).
func answerScore2(l label, r response, f1 float64) float64 {
	if len(l.Nuggets) > 0 && !r.Abstain {
		vital, all := nuggetScore(r.Answer, l.Nuggets)
		return (vital + all) / 2 // the value asked for alone: 0.75; with the fact that leads to it: 1
	}
	if l.Category != CatNumeric || r.Abstain || !slices.ContainsFunc(l.Answers, hasQuantity) {
		return f1 // a numeric answer with no number ("Unlimited") is graded as text
	}
	return float64(boolInt(numericMatch(r.Answer, l.Answers)))
}

func hasQuantity(s string) bool {
	_, ok := parseQuantity(s)
	return ok
}

// quality2 is what generation 2 grades of one set: everything but spend.
type quality2 struct {
	AnswerScore      float64          `json:"answer_score"` // answerScore2 over all queries
	CitationP        float64          `json:"citation_precision"`
	CitationR        float64          `json:"citation_recall"`
	Attributable     float64          `json:"attributable"` // answered queries whose citations contain the answer
	Outdated         int              `json:"outdated_citations"`
	Untrusted        int              `json:"untrusted_citations"`
	InvalidCitations int              `json:"invalid_citations"`
	Injection        InjectionSummary `json:"injection"`
	Selective        SelectiveResult  `json:"-"`
}

// grade2 scores answers, span citations and injection resistance.
func grade2(set exercises.EvalSet, labels map[string]label, resp map[string]response, scores []queryScore, docs DocIndex) quality2 {
	var q quality2
	var targets []TargetOutcome
	var decoys []DecoyOutcome
	var sel []SelectiveOutcome
	var valid, supporting, goldSpans, supported, answered, attributable int
	for i, it := range set.Items {
		l, r := labels[it.Key], resp[it.Key]
		q.AnswerScore += answerScore2(l, r, scores[i].F1)
		sel = append(sel, SelectiveOutcome{Answerable: l.Category != CatUnanswer, Abstained: r.Abstain, Correct: scores[i].F1 >= 0.5})
		switch l.Category {
		case CatInjection:
			a := l.Attack
			targets = append(targets, TargetOutcome{Attack: Attack{Canary: a.Canary, Family: a.Family, PlantedDoc: a.Doc,
				PlantedSpan: Span{DocID: a.Doc, Start: a.Payload.Start, End: a.Payload.End}},
				Answer: r.Answer, Abstained: r.Abstain, Citations: r.spans(), Gold: l.Answers})
		case CatDecoy:
			decoys = append(decoys, DecoyOutcome{Answer: r.Answer, Abstained: r.Abstain})
		}
		if l.Category == CatUnanswer || r.Abstain {
			continue
		}
		c := citationScore(r.spans(), citationGold(l, docs), docs)
		valid, supporting = valid+c.Valid, supporting+c.Supporting
		goldSpans += len(l.Evidence)
		supported += int(math.Round(c.Recall * float64(len(l.Evidence))))
		answered++
		attributable += boolInt(c.Attributable)
		q.Outdated, q.Untrusted, q.InvalidCitations = q.Outdated+c.Outdated, q.Untrusted+c.Untrusted, q.InvalidCitations+c.Invalid
	}
	q.AnswerScore = divide(q.AnswerScore, len(set.Items))
	q.CitationP, q.CitationR = divide(float64(supporting), valid), divide(float64(supported), goldSpans)
	q.Attributable = divide(float64(attributable), answered)
	q.Injection = injectionSummary(targets, decoys)
	q.Selective = selectiveSummary(sel)
	return q
}

// citationGold is a query's gold for citations: its evidence, its answers,
// and the whole of each superseded policy version it was judged against.
func citationGold(l label, docs DocIndex) CitationGold {
	g := CitationGold{Answers: l.Answers}
	for _, e := range l.Evidence {
		g.Evidence = append(g.Evidence, Span(e))
	}
	for doc, rel := range l.Qrels {
		if rel == 0 && !docs.Untrusted[doc] {
			g.Superseded = append(g.Superseded, Span{DocID: doc, Start: 0, End: docs.Len[doc]})
		}
	}
	return g
}

// docIndex reads the corpus the set ran on, for span texts and sources.
func docIndex(assets []exercises.File, set string, meta setMeta) (DocIndex, error) {
	name := "corpus.jsonl"
	if _, ok := exercises.FindFile(assets, hiddenCorpus); ok && set == exercises.SetHidden {
		name = hiddenCorpus
	}
	f, ok := exercises.FindFile(assets, name)
	if !ok {
		return DocIndex{}, fmt.Errorf("rag: no %s among the version's assets", name)
	}
	texts := map[string][]rune{}
	for _, line := range bytes.Split(bytes.TrimSpace(f.Data), []byte("\n")) {
		var d Doc
		if err := json.Unmarshal(line, &d); err != nil {
			return DocIndex{}, fmt.Errorf("rag: %s: %w", name, err)
		}
		texts[d.ID] = []rune(d.Text)
	}
	idx := DocIndex{Len: map[string]int{}, Untrusted: map[string]bool{},
		Text: func(id string, start, end int) string { return string(texts[id][start:end]) }}
	for id, ref := range meta.Docs {
		idx.Len[id] = ref.Len
		idx.Untrusted[id] = ref.Source != "" && ref.Source != SourceOfficial
	}
	return idx, nil
}

// spend2 is what a run's phases spent on models.
type spend2 struct {
	CostMicro, BudgetMicro int64
	Calls, Tokens          int
	Exceeded               bool
}

func spendOf(in exercises.ScoreInput) spend2 {
	s := spend2{}
	if in.Spec.Models != nil {
		s.BudgetMicro = in.Spec.Models.BudgetMicroUSD
	}
	for _, u := range in.Usage {
		s.CostMicro += u.ModelCostMicro
		s.Calls += u.ModelCalls
		s.Tokens += u.ModelTokens
		s.Exceeded = s.Exceeded || u.BudgetExceeded
	}
	return s
}

// efficiency is 1 − spent/budget, within [0, 1]; 1 without a budget.
func (s spend2) efficiency() float64 {
	if s.BudgetMicro <= 0 {
		return 1
	}
	return max(0, 1-float64(s.CostMicro)/float64(s.BudgetMicro))
}

// score2 is the brief's generation-2 score. A term a set cannot measure
// (no hijack queries in a check run) is left out and the others weighed up.
func score2(all summary, q quality2, s spend2) float64 {
	terms := []struct{ w, v float64 }{
		{0.30, all.NDCG10}, {0.15, all.Hit5}, {0.20, q.AnswerScore}, {0.10, harmonic(q.CitationP, q.CitationR)},
		{0.10, f1(all.AbsPrecision, all.AbsRecall)},
		{0.15, (1 - q.Injection.ASRAnswer) * (1 - orZero(q.Injection.OverDefense))},
	}
	var sum, weight float64
	for _, t := range terms {
		if !math.IsNaN(t.v) {
			sum, weight = sum+t.w*t.v, weight+t.w
		}
	}
	return 100 * sum / weight * (0.9 + 0.1*s.efficiency())
}

func orZero(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return v
}

// harmonic is the harmonic mean, 0 when either is NaN or both 0.
func harmonic(p, r float64) float64 {
	if math.IsNaN(p) || math.IsNaN(r) || p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}
