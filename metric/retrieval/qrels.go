package retrieval

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Qrels holds relevance judgments: qid -> docno -> label. A label of 1 or
// more is relevant; 0 and negative labels (trec_eval's "in the pool but not
// judged") count as not relevant and add no gain.
type Qrels map[string]map[string]int

// maxLine bounds one line of a qrels or run file so that hostile input cannot
// make the reader buffer without end.
const maxLine = 4096

// ParseError is a malformed line of a qrels or run file.
type ParseError struct {
	Line int    // 1-based line number
	Msg  string // what is wrong with it
}

func (e *ParseError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// ReadQrels parses TREC qrels lines "qid iter docno rel" (whitespace
// separated, iter ignored, rel an integer). Blank lines and lines starting
// with '#' are skipped. Unlike trec_eval, which reads "1.5" as 1, a label
// that is not an integer is an error. A
// (qid, docno) pair judged twice is an error, as in trec_eval.
func ReadQrels(r io.Reader) (Qrels, error) {
	q := Qrels{}
	err := scanLines(r, func(n int, f [][]byte) error {
		if len(f) != 4 {
			return &ParseError{n, fmt.Sprintf("want 4 fields \"qid iter docno rel\", got %d", len(f))}
		}
		rel, err := strconv.Atoi(string(f[3]))
		if err != nil {
			return &ParseError{n, fmt.Sprintf("relevance %q is not an integer", f[3])}
		}
		qid, doc := string(f[0]), string(f[2])
		docs := q[qid]
		if docs == nil {
			docs = map[string]int{}
			q[qid] = docs
		}
		if _, dup := docs[doc]; dup {
			return &ParseError{n, fmt.Sprintf("query %q judges document %q twice", qid, doc)}
		}
		docs[doc] = rel
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(q) == 0 {
		return nil, fmt.Errorf("qrels: no judgments")
	}
	return q, nil
}

// scanLines calls fn with the whitespace-separated fields of every line
// that is neither blank nor a comment. The fields alias the reader's
// buffer and are valid during the call.
func scanLines(r io.Reader, fn func(line int, fields [][]byte) error) error {
	// The scanner's buffer is its line limit; the reader batches the reads.
	sc := bufio.NewScanner(bufio.NewReaderSize(r, 64<<10))
	sc.Buffer(make([]byte, maxLine), maxLine)
	var buf [8][]byte
	n := 0
	for sc.Scan() {
		n++
		if isComment(sc.Bytes()) {
			continue
		}
		f, err := fields(sc.Bytes(), buf[:0])
		if err != "" {
			return &ParseError{n, err}
		}
		if len(f) == 0 {
			continue
		}
		if err := fn(n, f); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return &ParseError{n + 1, fmt.Sprintf("longer than %d bytes", maxLine)}
		}
		return fmt.Errorf("line %d: %w", n+1, err)
	}
	return nil
}

// fields splits b on ASCII blanks into dst without allocating. It refuses
// other control bytes (binary input, NUL) and more fields than dst holds.
func fields(b []byte, dst [][]byte) ([][]byte, string) {
	i := 0
	for {
		for i < len(b) && isBlank(b[i]) {
			i++
		}
		if i == len(b) {
			return dst, ""
		}
		j := i
		for j < len(b) && !isBlank(b[j]) {
			if b[j] < 0x20 || b[j] == 0x7f {
				return dst, fmt.Sprintf("control byte 0x%02x", b[j])
			}
			j++
		}
		if len(dst) == cap(dst) {
			return dst, fmt.Sprintf("more than %d fields", cap(dst))
		}
		dst = append(dst, b[i:j])
		i = j
	}
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' }

// isComment reports whether line starts with '#' after blanks: trec_eval
// skips such lines in qrels and runs.
func isComment(line []byte) bool {
	for _, c := range line {
		if !isBlank(c) {
			return c == '#'
		}
	}
	return false
}
