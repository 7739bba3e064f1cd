package retrieval

import "slices"

// Scores are the retrieval measures of one query or their mean, named in
// JSON as trec_eval prints them (recip_rank_10 is ours: MRR@10).
type Scores struct {
	NDCG10   float64 `json:"ndcg_cut_10"`
	P5       float64 `json:"P_5"`
	Recall5  float64 `json:"recall_5"`
	Recall10 float64 `json:"recall_10"`
	Recall20 float64 `json:"recall_20"`
	RR       float64 `json:"recip_rank"`
	RR10     float64 `json:"recip_rank_10"`
	MAP      float64 `json:"map"`
}

func (s Scores) add(o Scores) Scores {
	return Scores{s.NDCG10 + o.NDCG10, s.P5 + o.P5, s.Recall5 + o.Recall5, s.Recall10 + o.Recall10,
		s.Recall20 + o.Recall20, s.RR + o.RR, s.RR10 + o.RR10, s.MAP + o.MAP}
}

func (s Scores) div(n float64) Scores {
	return Scores{s.NDCG10 / n, s.P5 / n, s.Recall5 / n, s.Recall10 / n,
		s.Recall20 / n, s.RR / n, s.RR10 / n, s.MAP / n}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Conventions states in one line how Measure scores, for reports.
const Conventions = "trec_eval 9.x -c semantics: order by score descending, ties by docno descending byte order " +
	"(rank column ignored); relevant = qrels label >= 1; nDCG@10 gain = label, discount = log2(rank+1) " +
	"correctly rounded, ideal from all positive qrels labels; P@k divides by k; recall by R (0 when R = 0); " +
	"recip_rank uncut, recip_rank_10 cut at 10; map over R; mean over every qrels query, missing queries score 0, " +
	"unjudged run queries ignored; scores compared as float64; duplicate docnos in a query rejected"
