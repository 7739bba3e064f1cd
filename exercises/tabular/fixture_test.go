package tabular

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"testing"

	"takehome/exercises"
)

var update = flag.Bool("update", false, "rewrite testdata/predictions.csv and testdata/labels.csv")

// fixturePredictions are made-up predictions for the hidden set of seed 1,
// written in reverse id order, with ties: testdata/sklearn.json holds what
// scikit-learn 1.2.1 computes from them (testdata/reference.py).
func fixturePredictions(set exercises.EvalSet) (preds, labels []byte) {
	var p, l bytes.Buffer
	p.WriteString("id,probability\n")
	l.WriteString("id,churned\n")
	for i := len(set.Items) - 1; i >= 0; i-- {
		it := set.Items[i]
		h := fnv.New64a()
		h.Write([]byte(it.Key))
		u := float64(h.Sum64()%10000) / 10000
		v := 0.02 + 0.6*u*u
		if string(it.Label) == "1" {
			v += 0.25 * u
		}
		fmt.Fprintf(&p, "%s,%s\n", it.Key, num(math.Round(v*100)/100, 2))
		fmt.Fprintf(&l, "%s,%s\n", it.Key, it.Label)
	}
	return p.Bytes(), l.Bytes()
}

func TestFixtureFilesAreCurrent(t *testing.T) {
	hidden, _ := build(t, 1).Set(exercises.SetHidden)
	preds, labels := fixturePredictions(hidden)
	if *update {
		if err := os.WriteFile("testdata/predictions.csv", preds, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("testdata/labels.csv", labels, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, want := range map[string][]byte{"testdata/predictions.csv": preds, "testdata/labels.csv": labels} {
		got, err := os.ReadFile(name)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is stale (err %v): run go test -run TestFixtureFilesAreCurrent -update, then testdata/reference.py", name, err)
		}
	}
}

// sklearnFixture is testdata/sklearn.json.
type sklearnFixture struct {
	ROCAUC, AP, LogLoss, Brier, ECE float64
	ProbTrue, ProbPred              []float64
}

func loadSklearn(t *testing.T) sklearnFixture {
	t.Helper()
	b, err := os.ReadFile("testdata/sklearn.json")
	if err != nil {
		t.Fatal(err)
	}
	var f sklearnFixture
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}
