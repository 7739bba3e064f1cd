package retrieval

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
)

// writeSynthetic writes a TREC qrels and run: queries × results ranked
// documents with distinct scores and judged labeled documents per query,
// about half of them retrieved. The benchmark command writes the same shape.
func writeSynthetic(qrels, run io.Writer, queries, results, judged int) {
	rng := rand.New(rand.NewPCG(1, 2))
	for q := range queries {
		base := rng.IntN(9_000_000)
		for j := range judged {
			fmt.Fprintf(qrels, "q%d 0 D%08d %d\n", q, base+2*j, rng.IntN(4))
		}
		for r := range results {
			fmt.Fprintf(run, "q%d Q0 D%08d %d %.6f bench\n", q, base+r, r+1, 100-float64(r)*0.5)
		}
	}
}

func syntheticInput(b *testing.B, queries int) (qrels, run []byte) {
	b.Helper()
	var q, r bytes.Buffer
	writeSynthetic(&q, &r, queries, 100, 10)
	return q.Bytes(), r.Bytes()
}

func BenchmarkReadRun(b *testing.B) {
	_, run := syntheticInput(b, 1000)
	b.SetBytes(int64(len(run)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadRun(bytes.NewReader(run)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*100_000/b.Elapsed().Seconds(), "results/s")
}

func BenchmarkMeasure(b *testing.B) {
	qb, rb := syntheticInput(b, 1000)
	q, err := ReadQrels(bytes.NewReader(qb))
	if err != nil {
		b.Fatal(err)
	}
	run, err := ReadRun(bytes.NewReader(rb))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Measure(q, run)
	}
	b.ReportMetric(float64(b.N)*100_000/b.Elapsed().Seconds(), "results/s")
}

func BenchmarkMeasureFile(b *testing.B) {
	qb, rb := syntheticInput(b, 1000)
	q, err := ReadQrels(bytes.NewReader(qb))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(rb)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := MeasureFile(q, bytes.NewReader(rb)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*100_000/b.Elapsed().Seconds(), "results/s")
}
