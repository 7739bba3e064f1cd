package tabular

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"

	"takehome/exercises"
)

// Step names besides the two phases.
const (
	probePublic = "probe-public" // final runs: predict the public block too
	probePrefix = "probe-"       // probe-<leaky column>: that column permuted
)

// ProbeStep names the ablation probe of a leaky column.
func ProbeStep(column string) string { return probePrefix + column }

// Steps implements exercises.Exercise. Check runs train and predict. Final
// runs (the hidden set) then predict the public block, for the
// public-to-hidden gap, and the hidden block once more per leaky column with
// that column permuted, for the ablation probes.
func (Exercise) Steps(spec exercises.Spec, assets []exercises.File, set exercises.EvalSet) ([]exercises.Step, error) {
	train, ok := exercises.FindFile(assets, TrainFile)
	if !ok {
		return nil, fmt.Errorf("%s: asset %s missing", Slug, TrainFile)
	}
	rows, err := setRows(set)
	if err != nil {
		return nil, err
	}
	steps := []exercises.Step{
		{Name: "train", Phase: "train", Inputs: []exercises.File{train}},
		{Name: "predict", Phase: "predict", Inputs: []exercises.File{testFile(rows)}},
	}
	monitor, err := setMonitorSteps(spec, set)
	if err != nil {
		return nil, err
	}
	if set.Name != exercises.SetHidden {
		return append(steps, monitor...), nil
	}
	public, ok := exercises.FindFile(assets, PublicFile)
	if !ok {
		return nil, fmt.Errorf("%s: asset %s missing", Slug, PublicFile)
	}
	steps = append(steps, exercises.Step{Name: probePublic, Phase: "predict",
		Inputs: []exercises.File{{Name: TestFile, Data: public.Data}}})
	for _, col := range LeakyColumns {
		steps = append(steps, exercises.Step{Name: ProbeStep(col), Phase: "predict",
			Inputs: []exercises.File{testFile(permuteColumn(rows, col))}})
	}
	return append(steps, monitor...), nil
}

// setMonitorSteps are the monitor's steps on the set's streams, none for
// a version without the monitor phase.
func setMonitorSteps(spec exercises.Spec, set exercises.EvalSet) ([]exercises.Step, error) {
	if !hasMonitor(spec) {
		return nil, nil
	}
	streams, err := setStreams(set)
	if err != nil {
		return nil, err
	}
	return monitorSteps(streams), nil
}

// setStreams decodes the monitoring streams stored with a set.
func setStreams(set exercises.EvalSet) ([]Stream, error) {
	var meta setMeta
	if err := json.Unmarshal(set.Meta, &meta); err != nil {
		return nil, fmt.Errorf("%s: %s set meta: %w", Slug, set.Name, err)
	}
	return meta.streams(set.Name)
}

// setRows decodes the items' cells, sorted by id.
func setRows(set exercises.EvalSet) ([][]string, error) {
	items := slices.Clone(set.Items)
	slices.SortFunc(items, func(a, b exercises.Item) int { return strings.Compare(a.Key, b.Key) })
	rows := make([][]string, len(items))
	for i, it := range items {
		if err := json.Unmarshal(it.Input, &rows[i]); err != nil {
			return nil, fmt.Errorf("%s: item %s: input is not an array of cells: %w", Slug, it.Key, err)
		}
		if len(rows[i]) != len(Columns)-1 || rows[i][0] != it.Key {
			return nil, fmt.Errorf("%s: item %s: want %d cells starting with its id", Slug, it.Key, len(Columns)-1)
		}
	}
	return rows, nil
}

// testFile renders rows as test.csv: every column but the label.
func testFile(rows [][]string) exercises.File {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(Columns[:len(Columns)-1]) // a bytes.Buffer does not fail
	_ = w.WriteAll(rows)
	return exercises.File{Name: TestFile, Data: buf.Bytes()}
}

// permuteColumn returns a copy of rows with one column's cells shuffled, the
// same way every time.
func permuteColumn(rows [][]string, column string) [][]string {
	col := slices.Index(Columns, column)
	h := fnv.New64a()
	h.Write([]byte(column))
	r := rand.New(rand.NewPCG(h.Sum64(), 0x9e0be))
	out := make([][]string, len(rows))
	for i := range rows {
		out[i] = slices.Clone(rows[i])
	}
	r.Shuffle(len(out), func(i, j int) { out[i][col], out[j][col] = out[j][col], out[i][col] })
	return out
}
