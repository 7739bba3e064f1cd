package retrieval

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
)

// Ranked is one retrieved document and the score the system gave it.
type Ranked struct {
	DocNo string
	Score float64
}

// Run holds retrieved documents: qid -> documents in any order. Measure
// orders them as trec_eval does. Scores must be finite and docnos unique
// within a query; ReadRun guarantees both.
type Run map[string][]Ranked

// ReadRun parses a TREC run, lines "qid Q0 docno rank score run_id". The Q0,
// rank and run_id columns are ignored, like trec_eval does: order comes from
// the score. Blank lines and lines starting with '#' are skipped. Stricter
// than trec_eval, which ignores extra columns and reads a bad score as 0, a
// line must have exactly six fields and a finite score. A docno listed twice for one query is an error (trec_eval stops
// too; the Python wrappers silently keep the last, which we refuse to do).
func ReadRun(r io.Reader) (Run, error) {
	run := Run{}
	err := readBlocks(r, func(qid string, block []Ranked) error {
		run[qid] = append(slices.Grow(run[qid], len(block)), block...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := checkUnique(run); err != nil {
		return nil, err
	}
	return run, nil
}

// readBlocks parses a TREC run and calls emit with each block of
// consecutive lines of one qid. Each block's docnos share one string, so a
// million results cost ten thousand allocations, not a million; the block
// slice is reused after emit returns.
func readBlocks(r io.Reader, emit func(qid string, block []Ranked) error) error {
	b := blockReader{qids: map[string]string{}, emit: emit}
	err := scanLines(r, func(n int, f [][]byte) error {
		if len(f) != 6 {
			return &ParseError{n, fmt.Sprintf("want 6 fields \"qid Q0 docno rank score run_id\", got %d", len(f))}
		}
		score, err := parseScore(f[4])
		if err != nil {
			return &ParseError{n, err.Error()}
		}
		return b.add(f[0], f[2], score)
	})
	if err != nil {
		return err
	}
	return b.flush()
}

// blockReader buffers the current block: its qid, its docnos concatenated
// in names (ends marks where each stops) and their scores.
type blockReader struct {
	qids   map[string]string // interned qids
	emit   func(string, []Ranked) error
	cur    string
	names  []byte
	ends   []int
	scores []float64
	block  []Ranked
}

func (b *blockReader) add(qid, doc []byte, score float64) error {
	if string(qid) != b.cur {
		if err := b.flush(); err != nil {
			return err
		}
		q, ok := b.qids[string(qid)]
		if !ok {
			q = string(qid)
			b.qids[q] = q
		}
		b.cur = q
	}
	b.names = append(b.names, doc...)
	b.ends = append(b.ends, len(b.names))
	b.scores = append(b.scores, score)
	return nil
}

func (b *blockReader) flush() error {
	if len(b.ends) == 0 {
		return nil
	}
	all := string(b.names)
	b.block = b.block[:0]
	start := 0
	for i, end := range b.ends {
		b.block = append(b.block, Ranked{DocNo: all[start:end], Score: b.scores[i]})
		start = end
	}
	b.names, b.ends, b.scores = b.names[:0], b.ends[:0], b.scores[:0]
	return b.emit(b.cur, b.block)
}

func parseScore(b []byte) (float64, error) {
	s, err := strconv.ParseFloat(string(b), 64)
	if errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("score %q is out of range", b)
	}
	if err != nil {
		return 0, fmt.Errorf("score %q is not a number", b)
	}
	if math.IsInf(s, 0) || math.IsNaN(s) {
		return 0, fmt.Errorf("score %q is not finite", b)
	}
	return s, nil
}

// checkUnique rejects a query that lists the same docno twice.
func checkUnique(run Run) error {
	seen := map[string]struct{}{}
	for _, qid := range sortedKeys(run) {
		if d, dup := firstRepeat(run[qid], seen); dup {
			return duplicateError(qid, d)
		}
	}
	return nil
}

// firstRepeat returns the first docno of docs seen before in docs.
func firstRepeat(docs []Ranked, seen map[string]struct{}) (string, bool) {
	clear(seen)
	for _, d := range docs {
		if _, dup := seen[d.DocNo]; dup {
			return d.DocNo, true
		}
		seen[d.DocNo] = struct{}{}
	}
	return "", false
}

func duplicateError(qid, docno string) error {
	return fmt.Errorf("run: query %q lists document %q twice", qid, docno)
}
