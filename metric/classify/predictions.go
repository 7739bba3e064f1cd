package classify

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strconv"
	"strings"
)

// PredictionsHeader is the header line a predictions file starts with.
const PredictionsHeader = "id,probability"

// PredictionError is a problem with a predictions file, worded for the
// candidate. Line is the 1-based line it was found on, 0 for the whole
// file.
type PredictionError struct {
	Line    int
	Message string
}

func (e *PredictionError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("predictions line %d: %s", e.Line, e.Message)
	}
	return "predictions: " + e.Message
}

func predErr(line int, format string, args ...any) error {
	return &PredictionError{Line: line, Message: fmt.Sprintf(format, args...)}
}

// ReadPredictions reads a CSV "id,probability" file and returns the
// probabilities in the order of ids (row order in the file does not
// matter). Any problem is a *PredictionError: wrong header, empty file,
// wrong number of fields, unparsable, NaN, infinite or out-of-[0,1]
// probability, duplicate or unknown id, missing ids, or more than maxBytes
// bytes. The input is read into memory, never past maxBytes+1 bytes. ids
// must be distinct.
func ReadPredictions(r io.Reader, ids []string, maxBytes int64) ([]float64, error) {
	if st, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if info, err := st.Stat(); err == nil && info.Mode().IsRegular() && info.Size() > maxBytes {
			return nil, tooLarge(maxBytes)
		}
	}
	index, err := indexIDs(ids)
	if err != nil {
		return nil, err
	}
	rs, size := readRecords(r, maxBytes+1)
	if size > maxBytes {
		return nil, tooLarge(maxBytes)
	}
	return readRows(rs, ids, index)
}

func tooLarge(maxBytes int64) error {
	if maxBytes >= 1<<20 {
		return predErr(0, "file is larger than the limit of %.1f MiB (%d bytes)", float64(maxBytes)/(1<<20), maxBytes)
	}
	return predErr(0, "file is larger than the limit of %d bytes", maxBytes)
}

// readRows parses the header and the rows, then joins them to the ids. A
// join problem (unknown or duplicate id) before the first unparsable row is
// reported first, so the error is always the first problem in the file.
func readRows(rs records, ids []string, index *idIndex) ([]float64, error) {
	if err := readHeader(rs, PredictionsHeader); err != nil {
		return nil, err
	}
	rows, parseErr := parseRows(rs, len(ids))
	p, seen, err := join(rows, ids, index)
	switch {
	case err != nil:
		return nil, err
	case parseErr != nil:
		return nil, parseErr
	case len(rows) == 0:
		return nil, predErr(0, "no rows after the header (expected %d ids)", len(ids))
	}
	return p, missing(seen, ids)
}

// predRow is one parsed row of a predictions file.
type predRow struct {
	id   string
	p    float64
	line int
}

// parseRows reads rows until the end or the first row it cannot parse,
// whose error it returns with the rows before it. expected sizes the slice.
func parseRows(rs records, expected int) ([]predRow, error) {
	rows := make([]predRow, 0, expected)
	for {
		rec, err := rs.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return rows, csvErr(err)
		}
		line := rs.line()
		if len(rec) != 2 {
			return rows, predErr(line, "%d fields, expected 2 (id,probability)", len(rec))
		}
		v, err := parseProbability(rec[1])
		if err != nil {
			return rows, predErr(line, "id %q: %v", clip(rec[0]), err)
		}
		rows = append(rows, predRow{rec[0], v, line})
	}
}

// readHeader checks the first record, tolerating a UTF-8 byte order mark.
func readHeader(rs records, want string) error {
	rec, err := rs.Read()
	if errors.Is(err, io.EOF) {
		return predErr(0, "file is empty; expected the header %q", want)
	}
	if err != nil {
		return csvErr(err)
	}
	got := strings.TrimPrefix(strings.Join(rec, ","), "\ufeff")
	if got != want {
		return predErr(1, "header is %q, expected %q", clip(got), want)
	}
	return nil
}

func csvErr(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return predErr(pe.Line, "%v", pe.Err)
	}
	return fmt.Errorf("read predictions: %w", err)
}

// parseProbability accepts a decimal number in [0, 1], spaces around it
// allowed.
func parseProbability(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("probability is empty (pandas writes NaN as an empty field)")
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange):
		return 0, fmt.Errorf("probability %q is not a number", clip(s))
	case math.IsNaN(v):
		return 0, errors.New("probability is NaN")
	case math.IsInf(v, 0) || err != nil:
		return 0, fmt.Errorf("probability %q is infinite", clip(s))
	case v < 0 || v > 1:
		return 0, fmt.Errorf("probability %s is outside [0, 1]", s)
	}
	return v, nil
}

// missing reports the ids that got no row: how many and the first few.
func missing(seen []int, ids []string) error {
	var first []int
	count := 0
	for i, line := range seen {
		if line == 0 {
			count++
			if len(first) < 5 {
				first = append(first, i)
			}
		}
	}
	if count == 0 {
		return nil
	}
	quoted := make([]string, len(first))
	for k, i := range first {
		quoted[k] = strconv.Quote(clip(ids[i]))
	}
	more := ""
	if count > len(first) {
		more = ", …"
	}
	return predErr(0, "%d of %d ids have no prediction: %s%s", count, len(ids), strings.Join(quoted, ", "), more)
}

// clip shortens user text quoted in a message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
