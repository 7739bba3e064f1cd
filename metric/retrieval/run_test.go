package retrieval

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadRun(t *testing.T) {
	in := "# a comment, with more than eight words in it, is skipped\n" +
		"q2 Q0 d1 1 0.5 sys\r\n\n  q1\tQ0\td9\t7\t-1e3\tsys\n  # another\nq2 Q0 d2 2 0x1p-2 sys\nq1 Q0 d8#x x 3 other\n"
	got, err := ReadRun(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := Run{
		"q1": {{"d9", -1000}, {"d8#x", 3}}, // '#' inside a line is data
		"q2": {{"d1", 0.5}, {"d2", 0.25}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if run, err := ReadRun(strings.NewReader("\n \n")); err != nil || len(run) != 0 {
		t.Errorf("blank run = %v, %v; want empty", run, err)
	}
}

func TestReadRunErrors(t *testing.T) {
	ok := "q1 Q0 d1 1 1.0 r\n"
	for _, c := range []struct{ in, want string }{
		{ok + "q1 Q0 d2 2 1.0\n", `line 2: want 6 fields "qid Q0 docno rank score run_id", got 5`},
		{ok + "q1 Q0 d2 2 1.0 r extra\n", "line 2: want 6 fields"},
		{"a b c d e f g h i\n", "line 1: more than 8 fields"},
		{ok + ok, `run: query "q1" lists document "d1" twice`},
		{ok + "q2 Q0 d1 1 2 r\nq1 Q0 d1 9 0.1 r\n", `query "q1" lists document "d1" twice`},
		{"q1 Q0 d1 1 high r\n", `line 1: score "high" is not a number`},
		{"q1 Q0 d1 1 NaN r\n", `line 1: score "NaN" is not finite`},
		{"q1 Q0 d1 1 -Inf r\n", `line 1: score "-Inf" is not finite`},
		{"q1 Q0 d1 1 1e999 r\n", `line 1: score "1e999" is out of range`},
		{"q1 Q0 d\x001 1 1 r\n", "line 1: control byte 0x00"},
		{ok + ok[:len(ok)-1] + strings.Repeat("x", maxLine) + "\n", "line 2: longer than 4096 bytes"},
	} {
		_, err := ReadRun(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadRun(%.40q) = %v, want %q", c.in, err, c.want)
		}
	}
	_, err := ReadRun(strings.NewReader("x\n"))
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 1 {
		t.Errorf("error %v is not a *ParseError for line 1", err)
	}
}

func TestReadQrels(t *testing.T) {
	got, err := ReadQrels(strings.NewReader("# judged by hand\nq1 0 d1 2\nq1 0 d2 0\n\nq2 Q0 d1 -1\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Qrels{"q1": {"d1": 2, "d2": 0}, "q2": {"d1": -1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, c := range []struct{ in, want string }{
		{"", "qrels: no judgments"},
		{"q1 0 d1\n", `line 1: want 4 fields "qid iter docno rel", got 3`},
		{"q1 0 d1 1.5\n", `line 1: relevance "1.5" is not an integer`},
		{"q1 0 d1 99999999999999999999\n", "line 1: relevance"},
		{"q1 0 d1 1\nq1 0 d1 0\n", `line 2: query "q1" judges document "d1" twice`},
		{"q1 0 d1 1\x1b\n", "line 1: control byte 0x1b"},
	} {
		_, err := ReadQrels(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadQrels(%q) = %v, want %q", c.in, err, c.want)
		}
	}
}

// FuzzReadRun feeds arbitrary bytes: ReadRun must not panic, and what it
// accepts must be finite, unique per query, and survive a write-read trip.
func FuzzReadRun(f *testing.F) {
	f.Add([]byte("q1 Q0 d1 1 0.5 r\nq1 Q0 d2 2 0.5 r\n"))
	f.Add([]byte("q1 Q0 d1 1 1e999 r\n"))
	f.Add([]byte("q Q0 d 1 nan r\nq Q0 d 1 1 r"))
	f.Add([]byte("\xff\xfe Q0 \xc3 1 -0 r\r\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		run, err := ReadRun(strings.NewReader(string(data)))
		if err != nil {
			return
		}
		var b strings.Builder
		for qid, docs := range run {
			seen := map[string]bool{}
			for _, d := range docs {
				if math.IsNaN(d.Score) || math.IsInf(d.Score, 0) || seen[d.DocNo] {
					t.Fatalf("accepted %q %+v", qid, d)
				}
				seen[d.DocNo] = true
				fmt.Fprintf(&b, "%s Q0 %s 0 %v r\n", qid, d.DocNo, d.Score)
			}
		}
		again, err := ReadRun(strings.NewReader(b.String()))
		if err != nil || len(again) != len(run) {
			t.Fatalf("round trip: %v, %d queries want %d", err, len(again), len(run))
		}
		for qid, docs := range run {
			if diff := cmp.Diff(docs, again[qid]); diff != "" {
				t.Fatalf("round trip of %q (-first +second):\n%s", qid, diff)
			}
		}
	})
}
