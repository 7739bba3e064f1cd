package tabular

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"takehome/exercises"
)

func steps(t *testing.T, v *exercises.Version, set string) []exercises.Step {
	t.Helper()
	s, err := v.Set(set)
	if err != nil {
		t.Fatal(err)
	}
	st, err := New().Steps(v.Spec, v.Assets, s)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func stepNames(st []exercises.Step) []string {
	var names []string
	for _, s := range st {
		names = append(names, s.Name+"/"+s.Phase)
	}
	return names
}

func TestStepsPlan(t *testing.T) {
	v := build(t, 1)
	if got, want := stepNames(steps(t, v, exercises.SetPublic)), []string{"train/train", "predict/predict"}; !slices.Equal(got, want) {
		t.Errorf("check steps %v, want %v", got, want)
	}
	want := []string{"train/train", "predict/predict", "probe-public/predict",
		"probe-retention_offer_sent/predict", "probe-segment_churn_rate/predict", "probe-account_number/predict"}
	if got := stepNames(steps(t, v, exercises.SetHidden)); !slices.Equal(got, want) {
		t.Errorf("final steps %v, want %v", got, want)
	}
}

func TestStepInputsNeverCarryLabels(t *testing.T) {
	v := build(t, 1)
	for _, st := range steps(t, v, exercises.SetHidden)[1:] {
		for _, f := range st.Inputs {
			header, recs := readCSV(t, f.Data)
			if f.Name != TestFile || slices.Contains(header, LabelColumn) {
				t.Errorf("step %s: input %s has header %v", st.Name, f.Name, header)
			}
			if len(recs) == 0 || len(recs[0]) != len(Columns)-1 {
				t.Errorf("step %s: %d rows", st.Name, len(recs))
			}
		}
	}
}

func TestProbesPermuteOneColumn(t *testing.T) {
	v := build(t, 1)
	st := steps(t, v, exercises.SetHidden)
	header, base := readCSV(t, st[1].Inputs[0].Data)
	for i, col := range LeakyColumns {
		probeHeader, probe := readCSV(t, st[3+i].Inputs[0].Data)
		if !slices.Equal(header, probeHeader) || len(probe) != len(base) {
			t.Fatalf("%s: probe file differs in shape", col)
		}
		c := slices.Index(header, col)
		moved := 0
		var a, b []string
		for r := range base {
			for k := range base[r] {
				if k != c && base[r][k] != probe[r][k] {
					t.Fatalf("%s: row %d column %s changed", col, r, header[k])
				}
			}
			if base[r][c] != probe[r][c] {
				moved++
			}
			a, b = append(a, base[r][c]), append(b, probe[r][c])
		}
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) || moved < len(base)/10 {
			t.Errorf("%s: %d cells moved; values kept: %v", col, moved, slices.Equal(a, b))
		}
	}
	again := steps(t, v, exercises.SetHidden)
	for i := range st {
		if !bytes.Equal(st[i].Inputs[0].Data, again[i].Inputs[0].Data) {
			t.Errorf("step %s: inputs differ between two plans", st[i].Name)
		}
	}
}

// TestRowsSurviveJSONB re-encodes every item the way PostgreSQL's jsonb
// hands it back (keys and whitespace normalised) and checks the test file
// comes out byte for byte the same.
func TestRowsSurviveJSONB(t *testing.T) {
	v := build(t, 1)
	set, _ := v.Set(exercises.SetHidden)
	before := steps(t, v, exercises.SetHidden)[1].Inputs[0].Data
	for i, it := range set.Items {
		var cells any
		if err := json.Unmarshal(it.Input, &cells); err != nil {
			t.Fatal(err)
		}
		b, _ := json.MarshalIndent(cells, "", " ")
		set.Items[i].Input = b
	}
	slices.Reverse(set.Items)
	st, err := New().Steps(v.Spec, v.Assets, set)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, st[1].Inputs[0].Data) {
		t.Error("test.csv changed after a JSON round trip and a reorder")
	}
}

func TestStepsRejectBadItems(t *testing.T) {
	v := build(t, 1)
	tests := []struct{ name, input, want string }{
		{"not an array", `{"id":"x"}`, "not an array of cells"},
		{"too few cells", `["x"]`, "want 21 cells"},
		{"wrong id", `["y","","","","","","","","","","","","","","","","","","","",""]`, "starting with its id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := exercises.EvalSet{Name: exercises.SetPublic, Items: []exercises.Item{{Key: "x", Input: json.RawMessage(tt.input)}}}
			_, err := New().Steps(v.Spec, v.Assets, set)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := New().Steps(v.Spec, nil, exercises.EvalSet{}); err == nil {
		t.Error("no error without assets")
	}
}
