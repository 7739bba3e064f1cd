package classify

import (
	"errors"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// readAll returns every record of rs with its line, and the error that
// ended them.
func readAll(rs records) (recs [][]string, lines []int, err error) {
	for {
		rec, err := rs.Read()
		if err != nil {
			return recs, lines, err
		}
		recs = append(recs, slices.Clone(rec))
		lines = append(lines, rs.line())
	}
}

// checkPlainMatchesCSV compares plainRecords with encoding/csv on text
// without quotes.
func checkPlainMatchesCSV(t *testing.T, text string) {
	t.Helper()
	want, wantLines, wantErr := readAll(newCSVRecords(strings.NewReader(text)))
	got, gotLines, gotErr := readAll(&plainRecords{rest: text, next: 1})
	if !errors.Is(wantErr, io.EOF) || !errors.Is(gotErr, io.EOF) {
		t.Fatalf("%q: encoding/csv ended with %v, plainRecords with %v", text, wantErr, gotErr)
	}
	if !slices.EqualFunc(got, want, slices.Equal) || !slices.Equal(gotLines, wantLines) {
		t.Fatalf("%q:\nplainRecords %q on lines %v\nencoding/csv %q on lines %v", text, got, gotLines, want, wantLines)
	}
}

func TestPlainRecordsMatchCSV(t *testing.T) {
	for _, text := range []string{
		"", "\n", "\r\n", "\r", "a", "a\n", "a\r", "a\r\r", "a\r\r\n", "\r\r\n", "a,b\n\nc\n", "\n\n\na,b",
		"\ufeffid,label\r\nx,1\r\n", " a , b \n", "a,,\n,\n", "a\rb,c\n", "x,1\n\r\n\r\ny,0",
	} {
		checkPlainMatchesCSV(t, text)
	}
	pieces := []string{"a", "bc", ",", ",", "\n", "\n", "\r", "\r\n", " ", "0.5", "\ufeff", "é", "\x00", "\xff"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20_000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		checkPlainMatchesCSV(t, b.String())
	}
}

func FuzzPlainRecordsMatchCSV(f *testing.F) {
	f.Add("id,probability\r\na,0.5\n\nb,1\r")
	f.Fuzz(func(t *testing.T, text string) {
		if strings.Contains(text, `"`) {
			return // readRecords sends such text to encoding/csv
		}
		checkPlainMatchesCSV(t, text)
	})
}

// TestReadRecordsPaths: quotes and read errors go through encoding/csv,
// and the rows before a read error are still returned.
func TestReadRecordsPaths(t *testing.T) {
	if rs, _ := readRecords(strings.NewReader("a,b\n"), 100); !isPlain(rs) {
		t.Errorf("text without quotes read with %T", rs)
	}
	rs, _ := readRecords(strings.NewReader("\"a\",b\n"), 100)
	if recs, _, _ := readAll(rs); isPlain(rs) || len(recs) != 1 || recs[0][0] != "a" {
		t.Errorf("quoted text read with %T as %q", rs, recs)
	}
	broken := errors.New("disk on fire")
	rs, size := readRecords(io.MultiReader(strings.NewReader("a,1\nb,0\n"), errReader{broken}), 100)
	recs, _, err := readAll(rs)
	if len(recs) != 2 || !errors.Is(err, broken) || size != 8 {
		t.Errorf("read error: %q then %v after %d bytes", recs, err, size)
	}
	if _, size := readRecords(strings.NewReader("0123456789"), 4); size != 4 {
		t.Errorf("read %d bytes with a limit of 4", size)
	}
}

func isPlain(rs records) bool {
	_, ok := rs.(*plainRecords)
	return ok
}
