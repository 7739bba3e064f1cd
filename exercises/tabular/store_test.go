package tabular_test

import (
	"bytes"
	"context"
	"testing"

	"takehome/exercises"
	"takehome/exercises/tabular"
	"takehome/internal/pgtest"
	"takehome/internal/postgres"
)

// TestVersionSurvivesTheStore stores the version in PostgreSQL (eval items
// as jsonb) and checks that what comes back plans byte-identical steps and
// scores the same as the version in memory.
func TestVersionSurvivesTheStore(t *testing.T) {
	ctx := context.Background()
	store := postgres.NewStore(pgtest.Tx(t), nil)
	ev, err := store.CreateVersion(ctx, version)
	if err != nil {
		t.Fatal(err)
	}
	assets, err := store.VersionFiles(ctx, ev.ID, postgres.FileAsset)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{exercises.SetPublic, exercises.SetHidden} {
		stored, err := store.EvalSet(ctx, ev.ID, name)
		if err != nil {
			t.Fatal(err)
		}
		mem, _ := version.Set(name)
		want, err := tabular.New().Steps(version.Spec, version.Assets, mem)
		if err != nil {
			t.Fatal(err)
		}
		got, err := tabular.New().Steps(ev.Spec, assets, stored)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d steps from the store, %d in memory", name, len(got), len(want))
		}
		for i := range want {
			for k := range want[i].Inputs {
				if !bytes.Equal(got[i].Inputs[k].Data, want[i].Inputs[k].Data) {
					t.Errorf("%s: step %s input %s differs after the store", name, want[i].Name, want[i].Inputs[k].Name)
				}
			}
		}
		// The stored labels and metadata score like the originals.
		out := map[string][]exercises.File{"predict": {{Name: tabular.PredictionsFile, Data: constant(mem)}}}
		a, err := tabular.New().Score(exercises.ScoreInput{Spec: version.Spec, Set: mem, Outputs: out})
		if err != nil {
			t.Fatal(err)
		}
		b, err := tabular.New().Score(exercises.ScoreInput{Spec: ev.Spec, Set: stored, Outputs: out})
		if err != nil {
			t.Fatal(err)
		}
		if *a.Score != *b.Score || !bytes.Equal(a.Details, b.Details) {
			t.Errorf("%s: score %v in memory, %v from the store", name, *a.Score, *b.Score)
		}
	}
}

// constant predicts 0.1 for every row of the set.
func constant(set exercises.EvalSet) []byte {
	var b bytes.Buffer
	b.WriteString("id,probability\n")
	for _, it := range set.Items {
		b.WriteString(it.Key + ",0.1\n")
	}
	return b.Bytes()
}
