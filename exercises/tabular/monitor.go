package tabular

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"takehome/exercises"
)

// The monitor phase and the files it reads and writes.
const (
	MonitorPhase = "monitor"
	WeekFile     = "week.csv"   // /data: this week's rows, test.csv's schema
	LabelsFile   = "labels.csv" // /data: id,label of the rows of LabelDelay weeks ago
	MetaFile     = "meta.json"  // /data: week, weeks, label delay, stream id
	WeekReport   = "week.json"  // /output: the week's alerts and estimate
	frozenStep   = "monitor-frozen"
	monitorStep  = "monitor-%s-w%02d"
	weekTimeout  = time.Minute
	stateBytes   = 64 << 20
	maxWeekJSON  = 64 << 10
	maxNoteRunes = 2000
)

// hasMonitor says whether a version's spec has the monitor phase: versions
// built before it have train and predict only.
func hasMonitor(spec exercises.Spec) bool {
	return slices.ContainsFunc(spec.Phases, func(p exercises.Phase) bool { return p.Name == MonitorPhase })
}

// monitorPhaseSpec is the monitor phase: one fresh container a week, a
// minute each, /state kept across the weeks of one stream.
func monitorPhaseSpec() exercises.Phase {
	l := exercises.DefaultLimits()
	l.Timeout = weekTimeout
	l.StateBytes = stateBytes
	l.OutputBytes = 4 << 20
	l.OutputFiles = 10
	return exercises.Phase{Name: MonitorPhase, Inputs: []string{WeekFile, LabelsFile, MetaFile},
		Outputs: []string{PredictionsFile, WeekReport}, Limits: l}
}

// monitorMeta is the streams of an eval set, stored with its hidden meta:
// the practice stream in the public set, the hidden streams in the hidden
// set.
type monitorMeta struct {
	Streams []storedStream `json:"streams"`
}

// storedStream is one stream as the version stores it: its schedule and
// its rows, labels included, as gzipped CSV (week, test.csv's columns,
// churned).
type storedStream struct {
	ID     string        `json:"id"`
	Events []StreamEvent `json:"events"`
	Weeks  int           `json:"weeks"`
	Rows   []byte        `json:"rows_csv_gz"`
}

func storeStreams(streams []Stream) (*monitorMeta, error) {
	m := &monitorMeta{}
	for _, s := range streams {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed) // a valid level cannot fail
		w := csv.NewWriter(zw)
		_ = w.Write(append([]string{"week"}, Columns...))
		for k, rows := range s.Weeks {
			for _, r := range rows {
				_ = w.Write(append(append([]string{strconv.Itoa(k + 1)}, r.Cells...), label(r.Churned)))
			}
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return nil, fmt.Errorf("stream %s: %w", s.ID, err)
		}
		if err := zw.Close(); err != nil {
			return nil, fmt.Errorf("stream %s: %w", s.ID, err)
		}
		m.Streams = append(m.Streams, storedStream{ID: s.ID, Events: s.Events, Weeks: len(s.Weeks), Rows: buf.Bytes()})
	}
	return m, nil
}

// stream decodes a stored stream.
func (st storedStream) stream() (Stream, error) {
	s := Stream{ID: st.ID, Events: st.Events, Weeks: make([][]WeekRow, st.Weeks)}
	zr, err := gzip.NewReader(bytes.NewReader(st.Rows))
	if err != nil {
		return s, fmt.Errorf("%s: stream %s: %w", Slug, st.ID, err)
	}
	r := csv.NewReader(zr)
	r.FieldsPerRecord = len(Columns) + 1
	if _, err := r.Read(); err != nil {
		return s, fmt.Errorf("%s: stream %s header: %w", Slug, st.ID, err)
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return s, fmt.Errorf("%s: stream %s: %w", Slug, st.ID, err)
		}
		k, err := strconv.Atoi(rec[0])
		if err != nil || k < 1 || k > st.Weeks {
			return s, fmt.Errorf("%s: stream %s: week %q out of range", Slug, st.ID, rec[0])
		}
		cells := rec[1 : len(rec)-1]
		s.Weeks[k-1] = append(s.Weeks[k-1], WeekRow{ID: cells[0], Cells: cells, Churned: rec[len(rec)-1] == "1"})
	}
	return s, nil
}

// streams decodes the monitoring streams stored with the named set.
func (meta setMeta) streams(set string) ([]Stream, error) {
	if meta.Monitor == nil || len(meta.Monitor.Streams) == 0 {
		return nil, fmt.Errorf("%s: the %s set has no monitoring streams", Slug, set)
	}
	out := make([]Stream, len(meta.Monitor.Streams))
	for i, st := range meta.Monitor.Streams {
		var err error
		if out[i], err = st.stream(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// MonitorStep names the step of a stream's week.
func MonitorStep(stream string, week int) string { return fmt.Sprintf(monitorStep, stream, week) }

// monitorSteps are the monitor's steps: first the frozen model (predict,
// as train left it) on every week's rows of every stream at once, the
// counterfactual of the served predictions; then each stream's weeks in
// order, each in a fresh container with the stream's own /state, seeing
// that week's rows and the labels of LabelDelay weeks before it, never a
// later week.
func monitorSteps(streams []Stream) []exercises.Step {
	var all []WeekRow
	for _, s := range streams {
		for _, rows := range s.Weeks {
			all = append(all, rows...)
		}
	}
	steps := []exercises.Step{{Name: frozenStep, Phase: "predict", Inputs: []exercises.File{{Name: TestFile, Data: WeekCSV(all)}}}}
	for _, s := range streams {
		for k := 1; k <= len(s.Weeks); k++ {
			var labelled []WeekRow
			if k > LabelDelay {
				labelled = s.Weeks[k-1-LabelDelay]
			}
			steps = append(steps, exercises.Step{Name: MonitorStep(s.ID, k), Phase: MonitorPhase, State: s.ID, Inputs: []exercises.File{
				{Name: WeekFile, Data: WeekCSV(s.Weeks[k-1])},
				{Name: LabelsFile, Data: LabelsCSV(labelled)},
				{Name: MetaFile, Data: WeekMeta(s, k)},
			}})
		}
	}
	return steps
}
