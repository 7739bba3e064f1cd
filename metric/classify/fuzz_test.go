package classify

import (
	"errors"
	"strings"
	"testing"
)

// FuzzReadPredictions feeds arbitrary bytes: the reader must return either
// a *PredictionError or one probability in [0, 1] per id, never panic.
func FuzzReadPredictions(f *testing.F) {
	for _, s := range []string{"id,probability\na,0.5\nb,1\n", "id,probability\n\"a\",1e-3\nb,0\n", "", "id,probability\na,NaN\n", "\ufeffid,probability\r\nb,0.2\r\na,.3\r\n"} {
		f.Add(s)
	}
	ids := []string{"a", "b"}
	f.Fuzz(func(t *testing.T, in string) {
		p, err := ReadPredictions(strings.NewReader(in), ids, 256)
		if err != nil {
			var pe *PredictionError
			if !errors.As(err, &pe) || pe.Message == "" {
				t.Fatalf("error %v is not a PredictionError", err)
			}
			return
		}
		if len(p) != len(ids) {
			t.Fatalf("%d probabilities for %d ids", len(p), len(ids))
		}
		for _, v := range p {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("probability %v accepted", v)
			}
		}
	})
}
