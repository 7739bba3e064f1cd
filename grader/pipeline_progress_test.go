package grader

import (
	"context"
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"

	"takehome/exercises"
)

func TestPipelineReportsEachStepAsItFinishes(t *testing.T) {
	spec := exercises.Spec{Slug: "probe", Phases: []exercises.Phase{{Name: "run", Limits: exercises.DefaultLimits()}}}
	files := []exercises.File{
		{Name: ManifestName, Data: []byte("phases:\n  run: python3 run.py\n")},
		{Name: "run.py", Data: []byte("print(1)")},
		{Name: "mine.txt", Data: []byte("q")},
	}
	sb := &probeSandbox{}
	type call struct {
		RunID int64
		Seq   int
		Steps int // steps the sandbox had run when told
		Rec   PhaseRecord
	}
	var calls []call
	p := &Pipeline{Sandbox: sb, Logger: slog.New(slog.DiscardHandler),
		Progress: func(_ context.Context, runID int64, seq int, rec PhaseRecord) {
			calls = append(calls, call{runID, seq, len(sb.steps), rec})
		}}
	out, err := p.Run(context.Background(), Job{RunID: 7, Exercise: probeExercise{scored: map[string][]exercises.File{}, usage: map[string]exercises.StepUsage{}}, Spec: spec, Files: files})
	if err != nil {
		t.Fatal(err)
	}
	want := []call{{7, 0, 1, out.Phases[0]}, {7, 1, 2, out.Phases[1]}}
	if diff := cmp.Diff(want, calls); diff != "" {
		t.Errorf("progress calls (-want +got):\n%s", diff)
	}
}
