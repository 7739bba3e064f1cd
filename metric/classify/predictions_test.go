package classify

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadPredictionsJoinsByID(t *testing.T) {
	p, err := ReadPredictions(strings.NewReader("\ufeffid,probability\r\nb,0.25\r\nc,1\r\na, 0 \r\n"), []string{"a", "b", "c"}, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{0, 0.25, 1}; !equal(p, want) {
		t.Errorf("p = %v, want %v", p, want)
	}
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestReadPredictionsErrors(t *testing.T) {
	ids := []string{"a", "b", "c"}
	const head = "id,probability\n"
	for _, tc := range []struct {
		name, in string
		line     int
		msg      string
	}{
		{"empty file", "", 0, `file is empty; expected the header "id,probability"`},
		{"header only", head, 0, "no rows after the header (expected 3 ids)"},
		{"wrong header", "id,prob\na,0.5\n", 1, `header is "id,prob", expected "id,probability"`},
		{"no header", "a,0.1\nb,0.2\nc,0.3\n", 1, `header is "a,0.1", expected "id,probability"`},
		{"missing ids", head + "b,0.5\n", 0, `2 of 3 ids have no prediction: "a", "c"`},
		{"duplicate id", head + "a,0.1\nb,0.2\na,0.3\nc,0.4\n", 4, `id "a" appears again (first on line 2)`},
		{"unknown id", head + "a,0.1\nzz,0.2\n", 3, `id "zz" is not in the evaluation set`},
		{"NaN", head + "a,NaN\n", 2, `id "a": probability is NaN`},
		{"nan lower", head + "a,0.1\nb,nan\n", 3, `id "b": probability is NaN`},
		{"Inf", head + "a,inf\n", 2, `id "a": probability "inf" is infinite`},
		{"overflow", head + "a,1e999\n", 2, `id "a": probability "1e999" is infinite`},
		{"negative", head + "a,-0.1\n", 2, `id "a": probability -0.1 is outside [0, 1]`},
		{"above one", head + "a,1.5\n", 2, `id "a": probability 1.5 is outside [0, 1]`},
		{"unparsable", head + "a,high\n", 2, `id "a": probability "high" is not a number`},
		{"empty probability", head + "a,\n", 2, `id "a": probability is empty (pandas writes NaN as an empty field)`},
		{"three fields", head + "a,0.1,x\n", 2, "3 fields, expected 2 (id,probability)"},
		{"one field", head + "a,0.1\nb\n", 3, "1 fields, expected 2 (id,probability)"},
		{"bad quoting", head + "a,0.1\n\"b,0.2\n", 3, `extraneous or missing " in quoted-field`},
		{"join error before parse error", head + "a,0.1\nzz,0.2\nb,NaN\n", 3, `id "zz" is not in the evaluation set`},
		{"parse error before join error", head + "a,NaN\nzz,0.2\n", 2, `id "a": probability is NaN`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadPredictions(strings.NewReader(tc.in), ids, 1<<20)
			var pe *PredictionError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *PredictionError", err)
			}
			if pe.Line != tc.line || pe.Message != tc.msg {
				t.Errorf("got line %d %q\nwant line %d %q", pe.Line, pe.Message, tc.line, tc.msg)
			}
		})
	}
}

func TestReadPredictionsManyMissing(t *testing.T) {
	ids := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	_, err := ReadPredictions(strings.NewReader("id,probability\nc,0.5\n"), ids, 1<<20)
	want := `predictions: 7 of 8 ids have no prediction: "a", "b", "d", "e", "f", …`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

// endless is an unbounded stream of valid rows "r0,0.5", "r1,0.5", ...
type endless struct {
	row  int
	buf  []byte
	read int64
}

func (e *endless) Read(b []byte) (int, error) {
	for len(e.buf) < len(b) {
		e.buf = fmt.Appendf(e.buf, "r%d,0.5\n", e.row)
		e.row++
	}
	n := copy(b, e.buf)
	e.buf = e.buf[n:]
	e.read += int64(n)
	return n, nil
}

func TestReadPredictionsSizeCap(t *testing.T) {
	const limit = 1 << 20
	// A 1 GB stream: the cap stops reading at limit+1 bytes plus one buffer.
	ids := make([]string, 200_000)
	for i := range ids {
		ids[i] = fmt.Sprintf("r%d", i)
	}
	src := &endless{}
	stream := io.MultiReader(strings.NewReader("id,probability\n"), io.LimitReader(src, 1<<30))
	_, err := ReadPredictions(stream, ids, limit)
	var pe *PredictionError
	if !errors.As(err, &pe) || pe.Message != "file is larger than the limit of 1.0 MiB (1048576 bytes)" {
		t.Fatalf("err = %v", err)
	}
	if src.read > 2*limit {
		t.Errorf("read %d bytes of a 1 GB stream with a %d byte cap", src.read, limit)
	}
	// A 1 GB sparse file is refused from its size before any read.
	path := filepath.Join(t.TempDir(), "big.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(1 << 30); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadPredictions(f, []string{"x"}, limit); !errors.As(err, &pe) || !strings.Contains(pe.Message, "larger than the limit") {
		t.Errorf("1 GB file: err = %v", err)
	}
	if off, _ := f.Seek(0, io.SeekCurrent); off != 0 {
		t.Errorf("read %d bytes of the 1 GB file", off)
	}
	// Exactly at the cap is fine.
	in := "id,probability\nx,0.5\n"
	if _, err := ReadPredictions(strings.NewReader(in), []string{"x"}, int64(len(in))); err != nil {
		t.Errorf("file of exactly maxBytes: %v", err)
	}
	if _, err := ReadPredictions(strings.NewReader(in), []string{"x"}, int64(len(in)-1)); !errors.As(err, &pe) {
		t.Errorf("file one byte over maxBytes: %v", err)
	}
}

func TestReadPredictionsFixtureFile(t *testing.T) {
	f := loadFixtures(t)
	lf, err := os.Open("testdata/labels.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer lf.Close()
	ids, y, err := ReadLabels(lf)
	if err != nil {
		t.Fatal(err)
	}
	pf, err := os.Open("testdata/predictions.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	p, err := ReadPredictions(pf, ids, 64<<20)
	if err != nil {
		t.Fatal(err)
	}
	r := Evaluate(y, p)
	if r.N != 5000 || !near(*r.ROCAUC, *f.CLI.ROCAUC) || !near(*r.AveragePrecision, *f.CLI.AveragePrecision) ||
		!near(r.LogLoss, f.CLI.LogLoss) || !near(r.Brier, f.CLI.Brier) {
		t.Errorf("report %+v does not match scikit-learn %+v", r, f.CLI)
	}
}

func TestReadLabelsErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", `labels: file is empty; expected the header "id,label"`},
		{"id,label\n", "labels: no rows after the header"},
		{"id,y\na,1\n", `labels line 1: header is "id,y", expected "id,label"`},
		{"id,label\na,1\na,0\n", `labels line 3: id "a" appears again (first on line 2)`},
		{"id,label\na,2\n", `labels line 2: label "2", expected 0 or 1`},
		{"id,label\na,1\na,1\nb,7\n", `labels line 3: id "a" appears again (first on line 2)`},
		{"id,label\nb,7\na,1\na,1\n", `labels line 2: label "7", expected 0 or 1`},
		{"id,label\na,1\n\"b,0\n", `labels line 3: extraneous or missing " in quoted-field`},
		{"id,label\na,1,3\n", "labels line 2: 3 fields, expected 2 (id,label)"},
	} {
		if _, _, err := ReadLabels(strings.NewReader(tc.in)); err == nil || err.Error() != tc.want {
			t.Errorf("ReadLabels(%q) = %v, want %s", tc.in, err, tc.want)
		}
	}
}
