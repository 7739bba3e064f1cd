package tabular

import (
	"bytes"
	"encoding/json"
	"fmt"
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

// monitorPlan is the monitor's steps of a set: the frozen model on every
// row, then each stream's weeks in order, with the stream's state.
func monitorPlan(streams []Stream) []string {
	plan := []string{"monitor-frozen/predict"}
	for _, s := range streams {
		for k := 1; k <= len(s.Weeks); k++ {
			plan = append(plan, fmt.Sprintf("monitor-%s-w%02d/monitor@%s", s.ID, k, s.ID))
		}
	}
	return plan
}

func stepPlan(st []exercises.Step) []string {
	var names []string
	for _, s := range st {
		name := s.Name + "/" + s.Phase
		if s.State != "" {
			name += "@" + s.State
		}
		names = append(names, name)
	}
	return names
}

func TestStepsPlan(t *testing.T) {
	v := build(t, 1)
	want := append([]string{"train/train", "predict/predict"}, monitorPlan([]Stream{PracticeStream(1)})...)
	if got := stepPlan(steps(t, v, exercises.SetPublic)); !slices.Equal(got, want) {
		t.Errorf("check steps %v, want %v", got, want)
	}
	want = append([]string{"train/train", "predict/predict", "probe-public/predict",
		"probe-retention_offer_sent/predict", "probe-segment_churn_rate/predict", "probe-account_number/predict"}, monitorPlan(HiddenStreamSet(1))...)
	if got := stepPlan(steps(t, v, exercises.SetHidden)); !slices.Equal(got, want) {
		t.Errorf("final steps %v, want %v", got, want)
	}
	if n := len(want) - 7; n != HiddenStreams*HiddenWeeks {
		t.Errorf("%d monitor weeks, want %d", n, HiddenStreams*HiddenWeeks)
	}
}

// A version built before the monitor phase (its spec has train and
// predict only) is planned as it always was.
func TestStepsPlanOldVersions(t *testing.T) {
	v := build(t, 1)
	old := v.Spec
	old.Phases = old.Phases[:2]
	set, _ := v.Set(exercises.SetHidden)
	st, err := New().Steps(old, v.Assets, set)
	if err != nil {
		t.Fatal(err)
	}
	if got := stepNames(st); len(got) != 6 || slices.ContainsFunc(got, func(n string) bool { return strings.HasPrefix(n, "monitor") }) {
		t.Errorf("old version's final steps %v", got)
	}
}

// Week k of a stream sees week k's rows without labels, the labels of
// week k − LabelDelay and of no other week, and its own meta; no row of a
// later week reaches it.
func TestMonitorStepsSeeOnlyTheirWeek(t *testing.T) {
	v := build(t, 1)
	streams := HiddenStreamSet(1)
	byName := map[string]exercises.Step{}
	for _, st := range steps(t, v, exercises.SetHidden) {
		byName[st.Name] = st
	}
	for _, s := range streams {
		weekOf := map[string]int{}
		for k, rows := range s.Weeks {
			for _, r := range rows {
				weekOf[r.ID] = k + 1
			}
		}
		for k := 1; k <= len(s.Weeks); k++ {
			st := byName[MonitorStep(s.ID, k)]
			if names := inputNames(st); !slices.Equal(names, []string{WeekFile, LabelsFile, MetaFile}) {
				t.Fatalf("%s: inputs %v", st.Name, names)
			}
			header, rows := readCSV(t, st.Inputs[0].Data)
			if !slices.Equal(header, Columns[:len(Columns)-1]) || len(rows) != WeekRows {
				t.Errorf("%s: week.csv header %v, %d rows", st.Name, header, len(rows))
			}
			for _, r := range rows {
				if weekOf[r[0]] != k {
					t.Fatalf("%s: row %s of week %d", st.Name, r[0], weekOf[r[0]])
				}
			}
			header, labels := readCSV(t, st.Inputs[1].Data)
			want := 0
			if k > LabelDelay {
				want = WeekRows
			}
			if !slices.Equal(header, []string{"id", "label"}) || len(labels) != want {
				t.Errorf("%s: labels.csv header %v, %d rows, want %d", st.Name, header, len(labels), want)
			}
			for _, r := range labels {
				if weekOf[r[0]] != k-LabelDelay {
					t.Fatalf("%s: the label of %s, a row of week %d", st.Name, r[0], weekOf[r[0]])
				}
			}
			var meta struct {
				Week, Weeks, LabelDelay int
				Stream                  string
			}
			if err := json.Unmarshal(st.Inputs[2].Data, &meta); err != nil || meta.Week != k || meta.Stream != s.ID {
				t.Errorf("%s: meta %s", st.Name, st.Inputs[2].Data)
			}
		}
	}
}

func inputNames(st exercises.Step) []string {
	var names []string
	for _, f := range st.Inputs {
		names = append(names, f.Name)
	}
	return names
}

func TestStepInputsNeverCarryLabels(t *testing.T) {
	v := build(t, 1)
	for _, st := range steps(t, v, exercises.SetHidden)[1:] {
		if st.Phase == MonitorPhase {
			continue // TestMonitorStepsSeeOnlyTheirWeek: lagged labels by design, nothing else
		}
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
