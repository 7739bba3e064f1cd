package retrieval

import (
	"cmp"
	"slices"
	"strings"
)

// Measure scores run against q like `trec_eval -c`: every query of q
// counts, one missing from the run scores 0, queries of the run that q does
// not judge are ignored. The mean sums per-query values in qid byte order
// and divides by the number of queries in q. A docno listed twice for one
// query counts at its best-ranked place only.
func Measure(q Qrels, run Run) (mean Scores, perQuery map[string]Scores) {
	perQuery = make(map[string]Scores, len(q))
	var sorted []Ranked
	var docs []string
	seen := map[string]struct{}{}
	for qid, rels := range q {
		sorted = append(sorted[:0], run[qid]...)
		slices.SortFunc(sorted, trecOrder)
		docs = docs[:0]
		for _, d := range sorted {
			docs = append(docs, d.DocNo)
		}
		perQuery[qid] = scoreUnique(rels, dedup(docs, seen))
	}
	return meanOf(perQuery), perQuery
}

// meanOf sums per-query values in qid byte order, as trec_eval does, and
// divides by the number of queries.
func meanOf(perQuery map[string]Scores) Scores {
	var sum Scores
	for _, qid := range sortedKeys(perQuery) {
		sum = sum.add(perQuery[qid])
	}
	if len(perQuery) == 0 {
		return sum
	}
	return sum.div(float64(len(perQuery)))
}

// trecOrder is trec_eval's comp_sim_docno: score descending, then docno in
// descending byte order.
func trecOrder(a, b Ranked) int {
	if c := cmp.Compare(b.Score, a.Score); c != 0 {
		return c
	}
	return strings.Compare(b.DocNo, a.DocNo)
}

// ScoreRanking scores docs, already in rank order, against one query's
// judgments. A docno repeated later in docs is skipped: a document counts at
// its first (best-ranked) place and the ones after it move up.
func ScoreRanking(rels map[string]int, docs []string) Scores {
	return scoreUnique(rels, dedup(docs, map[string]struct{}{}))
}

// NDCGAt returns nDCG@k of docs, already in rank order (repeats skipped as
// in ScoreRanking), with linear gain, log2(rank+1) discount and the ideal
// list built from every positive label in rels; 0 when there is none or
// k < 1.
func NDCGAt(rels map[string]int, docs []string, k int) float64 {
	return ndcg(rels, labelsOf(rels, dedup(docs, map[string]struct{}{})), k)
}

// scoreUnique scores docs, in rank order and without repeats.
func scoreUnique(rels map[string]int, docs []string) Scores {
	R := 0
	for _, l := range rels {
		if l >= 1 {
			R++
		}
	}
	labels := labelsOf(rels, docs)
	return Scores{
		NDCG10:   ndcg(rels, labels, 10),
		P5:       float64(hits(labels, 5)) / 5, // /5 even when fewer were returned
		Recall5:  recall(hits(labels, 5), R),
		Recall10: recall(hits(labels, 10), R),
		Recall20: recall(hits(labels, 20), R),
		RR:       reciprocalRank(labels, len(labels)),
		RR10:     reciprocalRank(labels, 10),
		MAP:      averagePrecision(labels, R),
	}
}

// labelsOf returns the qrels label of each doc, 0 when it is not judged.
func labelsOf(rels map[string]int, docs []string) []int {
	labels := make([]int, len(docs))
	for i, d := range docs {
		labels[i] = rels[d]
	}
	return labels
}

// hits counts the relevant documents (label >= 1) in the top k.
func hits(labels []int, k int) int {
	n := 0
	for _, l := range labels[:min(k, len(labels))] {
		if l >= 1 {
			n++
		}
	}
	return n
}

func recall(found, R int) float64 {
	if R == 0 {
		return 0
	}
	return float64(found) / float64(R)
}

// reciprocalRank is 1/rank of the first relevant document in the top k.
func reciprocalRank(labels []int, k int) float64 {
	for i, l := range labels[:min(k, len(labels))] {
		if l >= 1 {
			return 1 / float64(i+1)
		}
	}
	return 0
}

// averagePrecision sums precision at each relevant document and divides by
// R, in trec_eval's m_map.c operation order.
func averagePrecision(labels []int, R int) float64 {
	found, sum := 0, 0.0
	for i, l := range labels {
		if l >= 1 {
			found++
			sum += float64(found) / float64(i+1)
		}
	}
	if found == 0 {
		return 0
	}
	return sum / float64(R)
}

// ndcg sums gain/discount in rank order for the ranking and for the ideal
// list, in the same operation order as trec_eval's m_ndcg_cut.c.
func ndcg(rels map[string]int, labels []int, k int) float64 {
	var ideal []int
	for _, l := range rels {
		if l > 0 {
			ideal = append(ideal, l)
		}
	}
	if len(ideal) == 0 || k < 1 {
		return 0
	}
	slices.SortFunc(ideal, func(a, b int) int { return cmp.Compare(b, a) })
	idcg := 0.0
	for i, l := range ideal[:min(k, len(ideal))] {
		idcg += float64(l) / discount(i+1)
	}
	dcg := 0.0
	for i, l := range labels[:min(k, len(labels))] {
		if l > 0 {
			dcg += float64(l) / discount(i+1)
		}
	}
	return dcg / idcg
}

// dedup drops later repeats of a docno, reusing seen; docs is returned as is
// when it has none.
func dedup(docs []string, seen map[string]struct{}) []string {
	clear(seen)
	for i, d := range docs {
		if _, dup := seen[d]; dup {
			return dedupSlow(docs[:i], docs[i+1:], seen)
		}
		seen[d] = struct{}{}
	}
	return docs
}

func dedupSlow(head, rest []string, seen map[string]struct{}) []string {
	out := append([]string(nil), head...)
	for _, d := range rest {
		if _, dup := seen[d]; !dup {
			seen[d] = struct{}{}
			out = append(out, d)
		}
	}
	return out
}
