// Package retrieval scores ranked retrieval and short answers the way the
// reference tools do (shared/METRICS.md, Retrieval and Answers).
//
// Retrieval measures follow trec_eval 9.x (`trec_eval -c -m ndcg_cut -m P
// -m recall -m recip_rank -m map`): documents are ordered by score
// descending with ties broken by docno in descending byte order, a document
// is relevant when its qrels label is at least 1, nDCG uses the label as gain
// and log2(rank+1) as discount with the ideal list built from every positive
// label of the query, and the mean is taken over every query of the qrels in
// qid byte order, a query missing from the run scoring 0. Scores compare as
// float64, as trec_eval 9.0.8 reads them; releases that stored them as
// float32 (and copies bundled from them) tie scores equal in float32 and
// can rank such documents differently. RR10 (MRR@10) is
// the one measure trec_eval lacks: recip_rank cut at rank 10. ReadRun and
// Measure work on a run in memory; MeasureFile streams a TREC run file
// query by query for the command line.
//
// Answers follow the official SQuAD 2.0 evaluation script (normalize_answer,
// compute_exact, compute_f1), including Python's str.lower on Unicode text.
package retrieval
