package tabular

import (
	"bytes"
	"fmt"
	"slices"
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
	for _, want := range []string{"README.md", "DATA_DICTIONARY.md", TrainFile, "takehome.yaml", "train.py", "predict.py", "monitor.py",
		"practice/week-01/week.csv", "practice/week-01/labels.csv", "practice/week-10/meta.json", "practice/all_labels.csv", "practice/events.json"} {
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
	// The practice week files are the check run's monitor inputs, byte for byte.
	public, _ := v.Set(exercises.SetPublic)
	plan, err := New().Steps(v.Spec, v.Assets, public)
	if err != nil {
		t.Fatal(err)
	}
	practice := PracticeStream(1)
	for _, st := range plan {
		if st.Phase != MonitorPhase {
			continue
		}
		for _, in := range st.Inputs {
			var k int
			fmt.Sscanf(strings.TrimPrefix(st.Name, "monitor-"+practice.ID+"-w"), "%d", &k)
			kit, ok := exercises.FindFile(v.StarterKit, fmt.Sprintf("practice/week-%02d/%s", k, in.Name))
			if !ok || !bytes.Equal(kit.Data, in.Data) {
				t.Errorf("%s: the kit's %s differs from the step's", st.Name, in.Name)
			}
		}
	}
	for _, want := range []string{"score = 60 × clamp", "expected_score", "## Self-check", "id,probability", "/data/labels.csv", "expected_false_alarms_per_year",
		"monitor score = 100 × clamp", "0.6 × that prediction score + 0.4 × the monitor"} {
		if !strings.Contains(v.Spec.Brief, want) {
			t.Errorf("the brief does not mention %q", want)
		}
	}
}

// A version built before the monitor phase gets references that parse on
// its two phases: no monitor command or block, no monitor-only references.
func TestReferencesForOldVersions(t *testing.T) {
	old := Spec()
	old.Phases = old.Phases[:2]
	refs, err := New().ReferencesFor(old)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range refs {
		names = append(names, r.Name)
		m, err := grader.ParseManifest(r.Files, old.PhaseNames())
		if err != nil || m.ExpectedScore == nil || m.Monitor != nil {
			t.Errorf("reference %s on an old version: manifest %+v, err %v", r.Name, m, err)
		}
	}
	if want := []string{"leaky", "baseline", "careful"}; !slices.Equal(names, want) {
		t.Errorf("references %v, want %v", names, want)
	}
	if now, err := New().ReferencesFor(Spec()); err != nil || len(now) != 5 {
		t.Errorf("today's version: %d references, %v", len(now), err)
	}
}

func TestReferencesParse(t *testing.T) {
	refs, err := New().References()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range refs {
		m, err := grader.ParseManifest(r.Files, Spec().PhaseNames())
		if err != nil || m.ExpectedScore == nil || m.Monitor == nil {
			t.Errorf("reference %s: manifest %+v, err %v", r.Name, m, err)
		}
	}
	var names []string
	for _, r := range refs {
		names = append(names, r.Name)
	}
	if want := []string{"leaky", "baseline", "careful", "monitor-naive", "monitor-silent"}; !slices.Equal(names, want) {
		t.Errorf("references %v, want %v", names, want)
	}
	// The monitor-only references are careful's model with their own monitor.
	byName := map[string][]exercises.File{}
	for _, r := range refs {
		byName[r.Name] = r.Files
	}
	for _, name := range []string{"monitor-naive", "monitor-silent"} {
		for _, f := range byName["careful"] {
			g, ok := exercises.FindFile(byName[name], f.Name)
			same := ok && string(g.Data) == string(f.Data)
			if mine := f.Name == "monitor.py" || f.Name == "takehome.yaml"; same == mine {
				t.Errorf("%s: %s same as careful's: %v", name, f.Name, same)
			}
		}
	}
}
