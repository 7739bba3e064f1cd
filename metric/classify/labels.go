package classify

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
)

// LabelsHeader is the header line a labels file starts with.
const LabelsHeader = "id,label"

// ReadLabels reads a CSV "id,label" file with labels 0 or 1 and distinct
// ids. Labels are staff data, so it has no size cap. Errors name the first
// problem in the file.
func ReadLabels(r io.Reader) (ids []string, y []bool, err error) {
	rs, _ := readRecords(r, math.MaxInt64)
	if err := readHeader(rs, LabelsHeader); err != nil {
		return nil, nil, labelsErr(err)
	}
	ids, y, lines, parseErr := parseLabels(rs)
	// Duplicates are looked for once all ids are read, among the rows
	// before a bad one.
	if _, k, j := newIDIndex(ids); k >= 0 {
		return nil, nil, fmt.Errorf("labels line %d: id %q appears again (first on line %d)", lines[k], clip(ids[k]), lines[j])
	}
	switch {
	case parseErr != nil:
		return nil, nil, parseErr
	case len(ids) == 0:
		return nil, nil, errors.New("labels: no rows after the header")
	}
	return ids, y, nil
}

// parseLabels reads rows until the end or the first bad row, whose error
// it returns with the rows before it.
func parseLabels(rs records) (ids []string, y []bool, lines []int, err error) {
	for {
		rec, err := rs.Read()
		if errors.Is(err, io.EOF) {
			return ids, y, lines, nil
		}
		if err != nil {
			return ids, y, lines, labelsErr(csvErr(err))
		}
		line := rs.line()
		if len(rec) != 2 {
			return ids, y, lines, fmt.Errorf("labels line %d: %d fields, expected 2 (id,label)", line, len(rec))
		}
		switch strings.TrimSpace(rec[1]) {
		case "0":
			y = append(y, false)
		case "1":
			y = append(y, true)
		default:
			return ids, y, lines, fmt.Errorf("labels line %d: label %q, expected 0 or 1", line, clip(rec[1]))
		}
		ids = append(ids, rec[0])
		lines = append(lines, line)
	}
}

// labelsErr rewords a PredictionError from the shared CSV helpers.
func labelsErr(err error) error {
	var pe *PredictionError
	if !errors.As(err, &pe) {
		return fmt.Errorf("labels: %w", err)
	}
	if pe.Line > 0 {
		return fmt.Errorf("labels line %d: %s", pe.Line, pe.Message)
	}
	return fmt.Errorf("labels: %s", pe.Message)
}
