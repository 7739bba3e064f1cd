package classify

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
)

func BenchmarkEvaluate(b *testing.B) {
	y, p := synthetic(1_000_000, 1)
	b.ResetTimer()
	for b.Loop() {
		Evaluate(y, p)
		Calibrate(y, p, 10)
	}
}

func BenchmarkBootstrapAUC(b *testing.B) {
	y, p := synthetic(1_000_000, 1)
	b.ResetTimer()
	for b.Loop() {
		Bootstrap(y, p, ROCAUC, 100, 1)
	}
}

func BenchmarkReadPredictions(b *testing.B) {
	const n = 1_000_000
	ids := make([]string, n)
	var buf bytes.Buffer
	buf.WriteString(PredictionsHeader + "\n")
	for i := range ids {
		ids[i] = "r" + strconv.Itoa(i)
	}
	for _, i := range rand.New(rand.NewPCG(1, 2)).Perm(n) {
		fmt.Fprintf(&buf, "%s,0.%04d\n", ids[i], i%10000)
	}
	b.SetBytes(int64(buf.Len()))
	b.ResetTimer()
	for b.Loop() {
		if _, err := ReadPredictions(bytes.NewReader(buf.Bytes()), ids, 1<<30); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBootstrapPath times one resample of the AUC drawn per row and
// per cell on 10^6 rows, with scores rounded to more and more decimals
// (more cells): where per row wins sets perRowAbove.
func BenchmarkBootstrapPath(b *testing.B) {
	for _, scale := range []float64{1e2, 1e3, 1e4, 2e4, 3e4, 5e4, 1e5, 1e6} {
		y, p := roundedScores(1_000_000, 1, scale)
		c := newCells(sortDesc(y, p))
		for _, how := range []resampling{perRow, perCell} {
			b.Run(fmt.Sprintf("cells=%.3fn/%v", float64(c.nonEmpty)/1e6, how), func(b *testing.B) {
				eval := cellResampler(c, weightedAUC, how)()
				for i := 0; b.Loop(); i++ {
					eval(rand.NewPCG(1, uint64(i)))
				}
			})
		}
	}
}
