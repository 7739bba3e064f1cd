package rag

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// Caps on results.jsonl.
const (
	maxResultsBytes = 32 << 20
	maxLineBytes    = 1 << 20
	maxPassages     = 100
	maxProblems     = 10
)

// passage is one retrieved span.
type passage struct {
	DocID string   `json:"doc_id"`
	Start *int     `json:"start"`
	End   *int     `json:"end"`
	Score *float64 `json:"score"`
}

// response is a submission's line for one query.
type response struct {
	QueryID   string     `json:"query_id"`
	Results   []passage  `json:"results"`
	Answer    string     `json:"answer"`
	Abstain   bool       `json:"abstain"`
	Citations []citation `json:"citations"`
}

// citation is a span of a document, {"doc_id", "start", "end"}, or a bare
// doc id (a string: whole-document credit only), as Span with Start = End = -1.
type citation Span

func (c *citation) UnmarshalJSON(data []byte) error {
	var id string
	if json.Unmarshal(data, &id) == nil {
		*c = citation{DocID: id, Start: -1, End: -1}
		return nil
	}
	var sp struct {
		DocID      string `json:"doc_id"`
		Start, End *int
	}
	if err := json.Unmarshal(data, &sp); err != nil {
		return err
	}
	if sp.Start == nil || sp.End == nil {
		return errors.New("a citation is a doc id or {doc_id, start, end}")
	}
	*c = citation{DocID: sp.DocID, Start: *sp.Start, End: *sp.End}
	return nil
}

// citedDocs are the documents the response cites, in order, each once.
func (r response) citedDocs() []string {
	var ids []string
	for _, c := range r.Citations {
		ids = append(ids, c.DocID)
	}
	return dedupe(ids)
}

// spans are the citations as spans, for span-level scoring.
func (r response) spans() []Span {
	out := make([]Span, len(r.Citations))
	for i, c := range r.Citations {
		out[i] = Span(c)
	}
	return out
}

// docs returns the retrieved documents in rank order, each at its first
// passage.
func (r response) docs() []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range r.Results {
		if !seen[p.DocID] {
			seen[p.DocID] = true
			out = append(out, p.DocID)
		}
	}
	return out
}

// parseResults reads results.jsonl strictly. It returns the responses by
// query id and the problems that make the file invalid (at most
// maxProblems, then a count of the rest).
func parseResults(data []byte, known map[string]bool, docs map[string]docRef) (map[string]response, []string) {
	if len(data) > maxResultsBytes {
		return nil, []string{fmt.Sprintf("results.jsonl is %d bytes, more than the %d allowed", len(data), maxResultsBytes)}
	}
	var probs problems
	out := map[string]response{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), maxLineBytes)
	n := 0
	for sc.Scan() {
		n++
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		r, err := parseLine(sc.Bytes(), known, docs)
		if err == nil {
			if _, dup := out[r.QueryID]; dup {
				err = fmt.Errorf("query_id %q appears twice", clip(r.QueryID, 60))
			}
		}
		if err != nil {
			probs.add(fmt.Sprintf("results.jsonl line %d: %v", n, err))
			continue
		}
		out[r.QueryID] = r
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		probs.add(fmt.Sprintf("results.jsonl line %d is longer than %d bytes", n+1, maxLineBytes))
	}
	return out, probs.list()
}

func parseLine(line []byte, known map[string]bool, docs map[string]docRef) (response, error) {
	var r response
	if err := json.Unmarshal(line, &r); err != nil {
		return r, fmt.Errorf("not a JSON object of the documented shape (%s)", shortErr(err))
	}
	switch {
	case r.QueryID == "":
		return r, errors.New("no query_id")
	case !known[r.QueryID]:
		return r, fmt.Errorf("unknown query_id %q", clip(r.QueryID, 60))
	case len(r.Results) > maxPassages:
		return r, fmt.Errorf("%d results for query %s, more than %d", len(r.Results), r.QueryID, maxPassages)
	case len(r.Citations) > maxPassages:
		return r, fmt.Errorf("%d citations for query %s, more than %d", len(r.Citations), r.QueryID, maxPassages)
	}
	seen := map[[3]any]bool{}
	for i, p := range r.Results {
		if err := checkPassage(p, docs); err != nil {
			return r, fmt.Errorf("query %s result %d: %w", r.QueryID, i+1, err)
		}
		k := [3]any{p.DocID, *p.Start, *p.End}
		if seen[k] {
			return r, fmt.Errorf("query %s result %d: passage %s [%d, %d) is listed twice", r.QueryID, i+1, p.DocID, *p.Start, *p.End)
		}
		seen[k] = true
	}
	for i, c := range r.Citations {
		d, ok := docs[c.DocID]
		switch {
		case !ok:
			return r, fmt.Errorf("query %s cites unknown doc_id %q", r.QueryID, clip(c.DocID, 60))
		case Span(c).bare():
		case c.Start < 0 || c.End > d.Len || c.Start >= c.End:
			return r, fmt.Errorf("query %s citation %d: span [%d, %d) is outside doc_id %s, whose text has %d characters", r.QueryID, i+1, c.Start, c.End, c.DocID, d.Len)
		}
	}
	return r, nil
}

func checkPassage(p passage, docs map[string]docRef) error {
	d, ok := docs[p.DocID]
	switch {
	case !ok:
		return fmt.Errorf("unknown doc_id %q", clip(p.DocID, 60))
	case p.Start == nil || p.End == nil:
		return fmt.Errorf("doc_id %s needs integer start and end", p.DocID)
	case *p.Start < 0 || *p.End > d.Len || *p.Start >= *p.End:
		return fmt.Errorf("span [%d, %d) is outside doc_id %s, whose text has %d characters", *p.Start, *p.End, p.DocID, d.Len)
	case p.Score != nil && (math.IsNaN(*p.Score) || math.IsInf(*p.Score, 0)):
		return fmt.Errorf("doc_id %s has a non-finite score", p.DocID)
	}
	return nil
}

// shortErr keeps JSON errors short and free of echoed input.
func shortErr(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("field %s has the wrong type", te.Field)
	}
	return "invalid JSON"
}

// problems collects at most maxProblems messages and counts the rest.
type problems struct {
	msgs  []string
	extra int
}

func (p *problems) add(m string) {
	if len(p.msgs) < maxProblems {
		p.msgs = append(p.msgs, m)
		return
	}
	p.extra++
}

func (p *problems) list() []string {
	if p.extra > 0 {
		return append(p.msgs, fmt.Sprintf("and %d more problems", p.extra))
	}
	return p.msgs
}
