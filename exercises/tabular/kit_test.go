package tabular

import (
	"bytes"
	"strings"
	"testing"

	"takehome/exercises"
	"takehome/grader"
)

func TestStarterKit(t *testing.T) {
	v := build(t, 1)
	var names []string
	for _, f := range v.StarterKit {
		names = append(names, f.Name)
	}
	for _, want := range []string{"README.md", "DATA_DICTIONARY.md", TrainFile, "takehome.yaml", "train.py", "predict.py"} {
		if _, ok := exercises.FindFile(v.StarterKit, want); !ok {
			t.Errorf("kit lacks %s (has %v)", want, names)
		}
	}
	kitTrain, _ := exercises.FindFile(v.StarterKit, TrainFile)
	asset, _ := exercises.FindFile(v.Assets, TrainFile)
	if !bytes.Equal(kitTrain.Data, asset.Data) {
		t.Error("the kit's train.csv is not the one the train phase gets")
	}
	if _, err := grader.ParseManifest(v.StarterKit, v.Spec.PhaseNames()); err != nil {
		t.Errorf("the kit's takehome.yaml: %v", err)
	}
	dict, _ := exercises.FindFile(v.StarterKit, "DATA_DICTIONARY.md")
	for _, col := range Columns {
		if !strings.Contains(string(dict.Data), "`"+col+"`") {
			t.Errorf("the data dictionary does not describe %s", col)
		}
	}
	for _, want := range []string{"score = 60 × clamp", "expected_score", "## Self-check", "id,probability"} {
		if !strings.Contains(v.Spec.Brief, want) {
			t.Errorf("the brief does not mention %q", want)
		}
	}
}

func TestReferencesParse(t *testing.T) {
	refs, err := New().References()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range refs {
		m, err := grader.ParseManifest(r.Files, Spec().PhaseNames())
		if err != nil || m.ExpectedScore == nil {
			t.Errorf("reference %s: manifest %+v, err %v", r.Name, m, err)
		}
	}
	if len(refs) != 3 {
		t.Errorf("%d references, want leaky, baseline and careful", len(refs))
	}
}
