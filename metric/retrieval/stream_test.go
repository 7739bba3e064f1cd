package retrieval

import (
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMeasureFile checks that streaming gives bit for bit what ReadRun and
// Measure give, on the grouped fixture and on its lines shuffled (which
// forces the read-whole fallback).
func TestMeasureFile(t *testing.T) {
	q, run := readFixture(t)
	mean, per := Measure(q, run)
	results := 0
	for _, docs := range run {
		results += len(docs)
	}
	b, err := os.ReadFile("testdata/random.run")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	rng := rand.New(rand.NewPCG(3, 4))
	rng.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	for _, c := range []struct {
		name     string
		in       string
		streamed bool
	}{{"grouped", string(b), true}, {"interleaved", strings.Join(lines, ""), false}} {
		t.Run(c.name, func(t *testing.T) {
			ev, err := MeasureFile(q, strings.NewReader(c.in))
			if err != nil {
				t.Fatal(err)
			}
			want := Evaluation{Mean: mean, PerQuery: per, Results: results, Missing: 8, Streamed: c.streamed}
			if diff := cmp.Diff(want, ev); diff != "" {
				t.Errorf("(-ReadRun+Measure +MeasureFile):\n%s", diff)
			}
		})
	}
}

func TestMeasureFileErrors(t *testing.T) {
	q := Qrels{"q1": {"d1": 1}}
	for _, c := range []struct{ in, want string }{
		{"q1 Q0 d1 1 1 r\nq1 Q0 d1 2 1 r\n", `run: query "q1" lists document "d1" twice`},
		{"q2 Q0 d1 1 1 r\nq2 Q0 d1 2 1 r\n", `run: query "q2" lists document "d1" twice`}, // unjudged too
		{"q1 Q0 d1 1 1 r\nq2 Q0 d1 1 1 r\nq1 Q0 d1 2 1 r\n", `run: query "q1" lists document "d1" twice`},
		{"q1 Q0 d1 1 1 r\nq2 Q0 d1 1 1 r\nq1 Q0 d2 2 1 r\nq1 Q0 d3 2 x r\n", `line 4: score "x" is not a number`},
	} {
		_, err := MeasureFile(q, strings.NewReader(c.in))
		if err == nil || err.Error() != c.want {
			t.Errorf("MeasureFile(%q) = %v, want %q", c.in, err, c.want)
		}
	}
	ev, err := MeasureFile(q, strings.NewReader(""))
	if err != nil || ev.Missing != 1 || ev.Mean != (Scores{}) || len(ev.PerQuery) != 1 {
		t.Errorf("empty run: %+v, %v", ev, err)
	}
}
