package classify

import (
	"bufio"
	"encoding/csv"
	"io"
	"io/fs"
	"strings"
)

// records is how the parsers read a CSV file, one record at a time.
type records interface {
	// Read returns the next record, valid until the next call, or io.EOF.
	Read() ([]string, error)
	// line is the line of the record last read.
	line() int
}

// readRecords reads at most limit bytes of r and returns the records in
// them and how many bytes it read. Text without a double quote (nearly
// every file) is split by plainRecords, which gives exactly the records and
// lines encoding/csv would, several times faster; anything else goes
// through encoding/csv, and after a read error so does the stream, so that
// the rows before the error are still parsed and reported first.
func readRecords(r io.Reader, limit int64) (records, int64) {
	var b strings.Builder
	if size := sizeHint(r); size > 0 {
		b.Grow(int(min(size, limit)))
	}
	_, err := io.Copy(&b, io.LimitReader(r, limit))
	text := b.String()
	switch {
	case err != nil:
		return newCSVRecords(io.MultiReader(strings.NewReader(text), errReader{err})), int64(len(text))
	case strings.IndexByte(text, '"') >= 0:
		return newCSVRecords(strings.NewReader(text)), int64(len(text))
	}
	return &plainRecords{rest: text, next: 1}, int64(len(text))
}

// sizeHint is r's size when it knows it, else 0.
func sizeHint(r io.Reader) int64 {
	switch r := r.(type) {
	case interface{ Len() int }: // bytes.Reader, strings.Reader, bytes.Buffer
		return int64(r.Len())
	case interface{ Stat() (fs.FileInfo, error) }:
		if info, err := r.Stat(); err == nil && info.Mode().IsRegular() {
			return info.Size()
		}
	}
	return 0
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// csvRecords reads records with encoding/csv.
type csvRecords struct{ *csv.Reader }

func newCSVRecords(r io.Reader) csvRecords {
	cr := csv.NewReader(bufio.NewReaderSize(r, 64<<10))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return csvRecords{cr}
}

func (c csvRecords) line() int {
	line, _ := c.FieldPos(0)
	return line
}

// plainRecords splits CSV text that has no double quote, as encoding/csv
// does: fields at every comma, \r\n read as \n (and a \r ending the text
// dropped), empty lines skipped but counted. Without quotes encoding/csv
// has no error to report.
type plainRecords struct {
	rest string   // text not read yet
	next int      // line number of rest's first line
	last int      // line of the record last read
	rec  []string // reused from record to record
}

func (r *plainRecords) Read() ([]string, error) {
	for r.rest != "" {
		var text string
		text, r.rest, _ = strings.Cut(r.rest, "\n")
		r.last, r.next = r.next, r.next+1
		text = strings.TrimSuffix(text, "\r")
		if text == "" {
			continue
		}
		r.rec = r.rec[:0]
		for {
			field, after, more := strings.Cut(text, ",")
			r.rec = append(r.rec, field)
			if !more {
				return r.rec, nil
			}
			text = after
		}
	}
	return nil, io.EOF
}

func (r *plainRecords) line() int { return r.last }
