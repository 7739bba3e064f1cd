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
