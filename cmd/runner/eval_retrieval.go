package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"takehome/metric/retrieval"
)

// evalRetrievalOutput is what `runner eval retrieval` prints: the mean
// measures at the top level, named as trec_eval names them.
type evalRetrievalOutput struct {
	retrieval.Scores
	Queries     int                         `json:"queries"`         // judged queries, all averaged
	Missing     int                         `json:"missing_queries"` // judged queries absent from the run (scored 0)
	Results     int                         `json:"results"`         // ranked results read from the run
	Streamed    bool                        `json:"streamed"`        // false: queries interleaved, run read whole
	Conventions string                      `json:"conventions"`
	PerQuery    map[string]retrieval.Scores `json:"per_query,omitempty"`
}

// cmdEvalRetrieval scores a TREC run against TREC qrels like `trec_eval -c`
// and prints JSON.
func cmdEvalRetrieval(_ context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "eval retrieval", "eval retrieval --qrels FILE --run FILE [--per-query]")
	qrelsPath := fs.String("qrels", "", "TREC qrels, lines \"qid iter docno rel\" (required)")
	runPath := fs.String("run", "", "TREC run, lines \"qid Q0 docno rank score run_id\" (required)")
	perQuery := fs.Bool("per-query", false, "also print each query's measures under per_query")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *qrelsPath == "" || *runPath == "" || fs.NArg() != 0 {
		fs.Usage()
		return errors.New("eval retrieval needs --qrels FILE and --run FILE")
	}
	q, err := readWith(*qrelsPath, retrieval.ReadQrels)
	if err != nil {
		return err
	}
	// MeasureFile streams a run grouped by query, so memory stays that of
	// the qrels whatever the run's size.
	f, err := os.Open(*runPath)
	if err != nil {
		return err
	}
	defer f.Close()
	ev, err := retrieval.MeasureFile(q, f)
	if err != nil {
		return fmt.Errorf("%s: %w", *runPath, err)
	}
	out := evalRetrievalOutput{Scores: ev.Mean, Queries: len(q), Missing: ev.Missing, Results: ev.Results,
		Streamed: ev.Streamed, Conventions: retrieval.Conventions}
	if *perQuery {
		out.PerQuery = ev.PerQuery
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// readWith opens path and parses it with read, naming the file in errors.
func readWith[T any](path string, read func(io.Reader) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		return zero, err
	}
	defer f.Close()
	v, err := read(f)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}
