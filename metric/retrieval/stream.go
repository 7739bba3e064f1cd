package retrieval

import (
	"errors"
	"fmt"
	"io"
	"slices"
)

// Evaluation is the outcome of MeasureFile.
type Evaluation struct {
	Mean     Scores
	PerQuery map[string]Scores // every query of the qrels
	Results  int               // ranked results read
	Missing  int               // judged queries absent from the run (scored 0)
	Streamed bool              // false when the run had to be read whole
}

// errInterleaved stops streaming when a qid comes back after another one.
var errInterleaved = errors.New("run lines of one query are not consecutive")

// MeasureFile scores a TREC run, exactly as ReadRun then Measure would,
// holding one query's lines at a time: TREC tools write each query's lines
// together, and such a run of any size is scored in the memory of its
// qrels. A run whose queries interleave is read again from the start, whole.
func MeasureFile(q Qrels, r io.ReadSeeker) (Evaluation, error) {
	ev, err := measureStream(q, r)
	if !errors.Is(err, errInterleaved) {
		return ev, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return Evaluation{}, fmt.Errorf("rewind run: %w", err)
	}
	run, err := ReadRun(r)
	if err != nil {
		return Evaluation{}, err
	}
	ev = Evaluation{Missing: len(q)}
	ev.Mean, ev.PerQuery = Measure(q, run)
	for qid, docs := range run {
		ev.Results += len(docs)
		if _, ok := q[qid]; ok {
			ev.Missing--
		}
	}
	return ev, nil
}

func measureStream(q Qrels, r io.Reader) (Evaluation, error) {
	ev := Evaluation{PerQuery: make(map[string]Scores, len(q)), Streamed: true}
	done := map[string]bool{}
	seen := map[string]struct{}{}
	var docs []string
	err := readBlocks(r, func(qid string, block []Ranked) error {
		if done[qid] {
			return errInterleaved
		}
		done[qid] = true
		ev.Results += len(block)
		if d, dup := firstRepeat(block, seen); dup {
			return duplicateError(qid, d)
		}
		rels, judged := q[qid]
		if !judged {
			return nil
		}
		slices.SortFunc(block, trecOrder)
		docs = docs[:0]
		for _, d := range block {
			docs = append(docs, d.DocNo)
		}
		ev.PerQuery[qid] = scoreUnique(rels, docs) // firstRepeat found no repeats
		return nil
	})
	if err != nil {
		return Evaluation{}, err
	}
	for qid := range q {
		if _, ok := ev.PerQuery[qid]; !ok {
			ev.PerQuery[qid] = Scores{}
			ev.Missing++
		}
	}
	ev.Mean = meanOf(ev.PerQuery)
	return ev, nil
}
