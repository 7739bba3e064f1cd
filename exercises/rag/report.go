package rag

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"takehome/exercises"
)

// report turns query scores into the result: metrics, findings, the
// category chart and table, and the staff-only worst queries.
func report(scores []queryScore, meta setMeta, labels map[string]label, resp map[string]response, texts map[string]string, passages bool) exercises.Result {
	all := summarize(scores)
	var ndcgs []float64
	for _, q := range scores {
		if q.Answerable {
			ndcgs = append(ndcgs, q.Doc.NDCG10)
		}
	}
	lo, hi := bootstrap(ndcgs)
	score := all.score(passages)
	head := metric("nDCG@10", all.NDCG10, "trec_eval ndcg_cut.10 at document level, linear gains, answerable queries; 95% bootstrap interval over 1,000 resamples")
	head.Low, head.High = &lo, &hi
	res := exercises.Result{Valid: true, Score: &score, Headline: &head}
	res.Metrics = metrics(all, head, passages)
	cats := byCategory(scores)
	res.Findings = findings(all, cats, lo, hi, passages)
	res.Charts = []exercises.Chart{categoryChart(cats, passages)}
	res.Tables = []exercises.Table{categoryTable(cats, passages), worstTable(scores, meta, labels, resp, texts)}
	res.Details, _ = json.Marshal(map[string]any{"summary": all, "categories": cats, "queries": scores, "passage_cap": passageCap})
	return res
}

func metric(name string, v float64, conv string) exercises.Metric {
	return exercises.Metric{Name: name, Value: &v, Convention: conv}
}

func metrics(s summary, head exercises.Metric, passages bool) []exercises.Metric {
	out := []exercises.Metric{head,
		metric("Recall@5", s.Recall5, "trec_eval recall.5, documents, answerable queries"),
		metric("Recall@20", s.Recall20, "trec_eval recall.20, documents, answerable queries"),
		metric("MRR@10", s.MRR10, "reciprocal rank of the first relevant document within 10, answerable queries"),
	}
	if !passages {
		return out
	}
	out = append(out,
		metric("evidence hit@5", s.Hit5, fmt.Sprintf("share of answerable queries with a gold span half-covered by one of the first 5 passages (passages clipped to %d characters)", passageCap)),
		metric("evidence hit@10", s.Hit10, "as evidence hit@5 with the first 10 passages"),
		metric("answer exact match", s.EM, "SQuAD 2.0 normalization; abstaining is right on unanswerable queries only; all queries"),
		metric("answer token F1", s.F1, "SQuAD 2.0 token F1, all queries"),
		exercises.Metric{Name: "citation precision", Value: s.CitPrecision, Convention: "cited documents holding gold evidence / cited, pooled over queries"},
		exercises.Metric{Name: "citation recall", Value: s.CitRecall, Convention: "gold documents cited / gold documents, pooled over answerable queries"},
		exercises.Metric{Name: "abstention precision", Value: s.AbsPrecision, Convention: "abstentions on unanswerable queries / abstentions; undefined without abstentions"},
		exercises.Metric{Name: "abstention recall", Value: s.AbsRecall, Convention: "abstentions on unanswerable queries / unanswerable queries"},
	)
	return out
}

// deepGroup is the extra table row of queries whose evidence lies past the
// first passageCap characters of a long page, across categories.
const deepGroup = "(any) evidence deep in a long page"

// catSummary is one row of the category table.
type catSummary struct {
	Category string `json:"category"`
	summary
}

func byCategory(scores []queryScore) []catSummary {
	groups := map[string][]queryScore{}
	for _, q := range scores {
		groups[q.Category] = append(groups[q.Category], q)
		if q.Deep {
			groups[deepGroup] = append(groups[deepGroup], q)
		}
	}
	var out []catSummary
	for _, c := range append(slices.Clone(Categories), "beir", deepGroup) {
		if len(groups[c]) > 0 {
			out = append(out, catSummary{c, summarize(groups[c])})
		}
	}
	return out
}

func categoryTable(cats []catSummary, passages bool) exercises.Table {
	t := exercises.Table{Title: "By category", Columns: []string{"Category", "Queries", "nDCG@10", "Recall@20"}}
	if passages {
		t.Columns = append(t.Columns, "Evidence hit@5", "Answer EM", "Answer F1", "Abstained")
	}
	for _, c := range cats {
		row := []string{c.Category, fmt.Sprint(c.Queries), f3(c.NDCG10), f3(c.Recall20)}
		if c.Answerable == 0 {
			row[2], row[3] = "n/a", "n/a"
		}
		if passages {
			hit := f3(c.Hit5)
			if c.Answerable == 0 {
				hit = "n/a"
			}
			row = append(row, hit, f3(c.EM), f3(c.F1), fmt.Sprintf("%d of %d", c.Abstained, c.Queries))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func categoryChart(cats []catSummary, passages bool) exercises.Chart {
	ch := exercises.Chart{ID: "categories", Title: "nDCG@10 and evidence hit@5 by category", Kind: "bar", XLabel: "category", YLabel: "score"}
	ndcg := exercises.Series{Name: "nDCG@10"}
	hit := exercises.Series{Name: "evidence hit@5"}
	for i, c := range cats {
		if c.Answerable == 0 {
			continue
		}
		ndcg.Points = append(ndcg.Points, exercises.Point{X: float64(i), Y: c.NDCG10, Label: c.Category})
		hit.Points = append(hit.Points, exercises.Point{X: float64(i), Y: c.Hit5, Label: c.Category})
	}
	ch.Series = []exercises.Series{ndcg}
	if passages {
		ch.Series = append(ch.Series, hit)
	}
	return ch
}

// worstTable lists, for interviewers, the answerable queries with the
// lowest nDCG@10 and the unanswerable ones that got an answer, beside
// their gold evidence.
func worstTable(scores []queryScore, meta setMeta, labels map[string]label, resp map[string]response, texts map[string]string) exercises.Table {
	t := exercises.Table{Title: "Worst queries", StaffOnly: true,
		Columns: []string{"Query", "Category", "nDCG@10", "Gold evidence", "Retrieved (top 3)", "Answer / gold"}}
	worst := slices.Clone(scores)
	slices.SortStableFunc(worst, func(a, b queryScore) int {
		return cmp.Or(cmp.Compare(badness(b), badness(a)), cmp.Compare(a.ID, b.ID))
	})
	for _, q := range worst[:min(15, len(worst))] {
		if badness(q) == 0 {
			break
		}
		l, r := labels[q.ID], resp[q.ID]
		var gold, got []string
		for _, e := range l.Evidence {
			gold = append(gold, fmt.Sprintf("%s [%d, %d) %q", e.DocID, e.Start, e.End, meta.Docs[e.DocID].Title))
		}
		if len(l.Evidence) == 0 {
			for d, rel := range l.Qrels {
				if rel > 0 {
					gold = append(gold, fmt.Sprintf("%s %q", d, meta.Docs[d].Title))
				}
			}
			slices.Sort(gold)
		}
		for _, p := range r.Results[:min(3, len(r.Results))] {
			got = append(got, fmt.Sprintf("%s [%d, %d) %q", p.DocID, *p.Start, *p.End, meta.Docs[p.DocID].Title))
		}
		ans := clip(r.Answer, 80)
		if r.Abstain {
			ans = "(abstained)"
		}
		t.Rows = append(t.Rows, []string{q.ID + ": " + texts[q.ID], q.Category, f3(q.Doc.NDCG10), orNone(gold), orNone(got), ans + " / " + orNone(l.Answers)})
	}
	return t
}

// badness orders queries for the worst table: answered unanswerable
// queries and low nDCG@10 first.
func badness(q queryScore) float64 {
	if !q.Answerable {
		if q.Abstained {
			return 0
		}
		return 1
	}
	return 1 - q.Doc.NDCG10 + (1-q.F1)/10
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "(none)"
	}
	return strings.Join(xs, "; ")
}

func f3(v float64) string { return fmt.Sprintf("%.3f", v) }

// clip shortens candidate-supplied strings for tables and messages.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
