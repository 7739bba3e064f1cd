package rag

// summary is the mean of query scores over a group of queries.
type summary struct {
	Queries      int      `json:"queries"`
	Answerable   int      `json:"answerable"`
	Missing      int      `json:"missing"`
	NDCG10       float64  `json:"ndcg_10"` // answerable queries only, like every doc and passage mean
	Recall5      float64  `json:"recall_5"`
	Recall20     float64  `json:"recall_20"`
	MRR10        float64  `json:"mrr_10"`
	Hit5         float64  `json:"evidence_hit_5"`
	Hit10        float64  `json:"evidence_hit_10"`
	EM           float64  `json:"em"` // all queries, SQuAD 2.0
	F1           float64  `json:"f1"`
	CitPrecision *float64 `json:"citation_precision"` // pooled over queries
	CitRecall    *float64 `json:"citation_recall"`
	AbsPrecision *float64 `json:"abstention_precision"`
	AbsRecall    *float64 `json:"abstention_recall"`
	Abstained    int      `json:"abstained"`
}

func summarize(scores []queryScore) summary {
	var s summary
	var cited, citedGold, gold, rightAbs, unanswerable int
	for _, q := range scores {
		s.Queries++
		s.EM += q.EM
		s.F1 += q.F1
		cited += q.Cited
		citedGold += q.CitedGold
		if q.Missing {
			s.Missing++
		}
		if q.Abstained {
			s.Abstained++
		}
		if !q.Answerable {
			unanswerable++
			if q.Abstained {
				rightAbs++
			}
			continue
		}
		s.Answerable++
		gold += q.GoldDocs
		s.NDCG10 += q.Doc.NDCG10
		s.Recall5 += q.Doc.Recall5
		s.Recall20 += q.Doc.Recall20
		s.MRR10 += q.Doc.RR10
		s.Hit5 += q.Hit5
		s.Hit10 += q.Hit10
	}
	for _, p := range []*float64{&s.NDCG10, &s.Recall5, &s.Recall20, &s.MRR10, &s.Hit5, &s.Hit10} {
		*p = ratio(*p, s.Answerable)
	}
	s.EM, s.F1 = ratio(s.EM, s.Queries), ratio(s.F1, s.Queries)
	s.CitPrecision, s.CitRecall = share(citedGold, cited), share(citedGold, gold)
	s.AbsPrecision, s.AbsRecall = share(rightAbs, s.Abstained), share(rightAbs, unanswerable)
	return s
}

func ratio(sum float64, n int) float64 {
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// share is a/b, nil when b is 0.
func share(a, b int) *float64 {
	if b == 0 {
		return nil
	}
	v := float64(a) / float64(b)
	return &v
}

// f1 is the harmonic mean of p and r, 0 when either is undefined or both 0.
func f1(p, r *float64) float64 {
	if p == nil || r == nil || *p+*r == 0 {
		return 0
	}
	return 2 * *p * *r / (*p + *r)
}

// score is the 0-100 grade the brief states.
func (s summary) score(passages bool) float64 {
	if !passages {
		return 100 * s.NDCG10
	}
	return 100 * (0.35*s.NDCG10 + 0.20*s.Hit5 + 0.25*s.F1 + 0.10*f1(s.CitPrecision, s.CitRecall) + 0.10*f1(s.AbsPrecision, s.AbsRecall))
}
