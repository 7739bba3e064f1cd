package rag

import "fmt"

// findings are the plain sentences interviewers read first.
func findings(s summary, cats []catSummary, lo, hi float64, passages bool) []string {
	out := []string{fmt.Sprintf("nDCG@10 is %.3f (95%% interval %.3f to %.3f) over %d answerable queries; Recall@20 is %.3f.", s.NDCG10, lo, hi, s.Answerable, s.Recall20)}
	if s.Missing > 0 {
		out = append(out, fmt.Sprintf("%d of %d queries have no line in results.jsonl and score 0 on every measure.", s.Missing, s.Queries))
	}
	if !passages {
		return append(out, "This version has document-level labels only (imported data): passage, answer, citation and abstention metrics are skipped and the score is 100 × nDCG@10.")
	}
	var worst *catSummary
	for i := range cats {
		if cats[i].Answerable > 0 && (worst == nil || cats[i].NDCG10 < worst.NDCG10) {
			worst = &cats[i]
		}
	}
	if worst != nil {
		out = append(out, fmt.Sprintf("The weakest category is %s (nDCG@10 %.3f, evidence hit@5 %.3f).", worst.Category, worst.NDCG10, worst.Hit5))
	}
	if s.Hit5 < s.Recall5-0.15 {
		out = append(out, fmt.Sprintf("Evidence hit@5 (%.3f) is well below document Recall@5 (%.3f): the right documents are found but the passages miss the evidence, often because they are too long (only the first %d characters count).", s.Hit5, s.Recall5, passageCap))
	}
	switch {
	case s.Abstained == 0:
		out = append(out, "The submission never abstains, so it gets no credit on unanswerable queries.")
	case s.AbsPrecision != nil && *s.AbsPrecision < 0.5:
		out = append(out, fmt.Sprintf("Most abstentions (%d) were on answerable queries: abstention precision is %.3f.", s.Abstained, *s.AbsPrecision))
	}
	if s.CitPrecision == nil {
		out = append(out, "The submission cites no documents.")
	}
	return out
}
