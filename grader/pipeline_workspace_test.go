package grader

import (
	"context"
	"log/slog"
	"maps"
	"strings"
	"testing"
	"time"

	"takehome/exercises"
)

// probeExercise has one phase and adds a probe built from the submission.
type probeExercise struct {
	scored map[string][]exercises.File
	usage  map[string]exercises.StepUsage
}

func (probeExercise) Slug() string                             { return "probe" }
func (probeExercise) Build(uint64) (*exercises.Version, error) { return nil, nil }
func (probeExercise) Steps(exercises.Spec, []exercises.File, exercises.EvalSet) ([]exercises.Step, error) {
	return []exercises.Step{{Name: "run", Phase: "run"}}, nil
}
func (probeExercise) WorkspaceSteps(_ exercises.Spec, files []exercises.File) ([]exercises.Step, error) {
	f, ok := exercises.FindFile(files, "mine.txt")
	if !ok {
		return nil, nil
	}
	return []exercises.Step{{Name: "own", Phase: "run", Inputs: []exercises.File{f}}}, nil
}
func (e probeExercise) Score(in exercises.ScoreInput) (exercises.Result, error) {
	for k, v := range in.Outputs {
		e.scored[k] = v
	}
	for k, v := range in.Usage {
		e.usage[k] = v
	}
	return exercises.Result{Valid: true}, nil
}

// probeSandbox records the run spec and steps; the probe "own" fails when
// failOwn is set.
type probeSandbox struct {
	spec    RunSpec
	steps   []StepRun
	failOwn bool
}

func (s *probeSandbox) Open(_ context.Context, spec RunSpec) (Session, error) {
	s.spec = spec
	return s, nil
}
func (s *probeSandbox) ImageID() string             { return "img" }
func (s *probeSandbox) Runtime() string             { return "fake" }
func (s *probeSandbox) Close(context.Context) error { return nil }
func (s *probeSandbox) RunStep(_ context.Context, st StepRun) (StepResult, error) {
	s.steps = append(s.steps, st)
	if st.Name == "own" && s.failOwn {
		return StepResult{Verdict: VerdictExitNonzero, ExitCode: 2}, nil
	}
	return StepResult{Verdict: VerdictOK, Wall: time.Second, PeakMemory: 5 << 20, Outputs: []exercises.File{{Name: "out.txt", Data: []byte(st.Name)}}}, nil
}

func TestPipelineRunsWorkspaceSteps(t *testing.T) {
	spec := exercises.Spec{Slug: "probe", Phases: []exercises.Phase{{Name: "run", Limits: exercises.DefaultLimits()}}}
	manifest := exercises.File{Name: ManifestName, Data: []byte("phases:\n  run: python3 run.py\n")}
	run := exercises.File{Name: "run.py", Data: []byte("print(1)")}
	tests := []struct {
		name      string
		files     []exercises.File
		failOwn   bool
		wantSteps int
		wantOwn   bool
	}{
		{"no own file", []exercises.File{manifest, run}, false, 1, false},
		{"own file", []exercises.File{manifest, run, {Name: "mine.txt", Data: []byte("q")}}, false, 2, true},
		{"failing probe keeps the run valid", []exercises.File{manifest, run, {Name: "mine.txt"}}, true, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := &probeSandbox{failOwn: tt.failOwn}
			ex := probeExercise{scored: map[string][]exercises.File{}, usage: map[string]exercises.StepUsage{}}
			p := &Pipeline{Sandbox: sb, Logger: slog.New(slog.DiscardHandler)}
			out, err := p.Run(context.Background(), Job{Exercise: ex, Spec: spec, Files: tt.files})
			if err != nil || !out.Result.Valid {
				t.Fatalf("run: %v %+v", err, out.Result)
			}
			if len(sb.steps) != tt.wantSteps {
				t.Fatalf("%d steps, want %d", len(sb.steps), tt.wantSteps)
			}
			if u := ex.usage["run"]; u.Wall != time.Second || u.PeakMemory != 5<<20 {
				t.Errorf("the scorer got usage %+v for step run", u)
			}
			if _, ok := ex.scored["own"]; ok != tt.wantOwn {
				t.Errorf("probe outputs scored: %v, want %v", ok, tt.wantOwn)
			}
			if tt.wantSteps == 2 && (sb.steps[1].Inputs[0].Name != "mine.txt" || sb.steps[1].Command[len(sb.steps[1].Command)-1] != "python3 run.py") {
				t.Errorf("probe step %+v", sb.steps[1])
			}
		})
	}
}

// phaseSandbox records steps and fails every step of phase "b" on a write
// to the read-only workspace.
type phaseSandbox struct{ probeSandbox }

func (s *phaseSandbox) Open(context.Context, RunSpec) (Session, error) { return s, nil }
func (s *phaseSandbox) RunStep(ctx context.Context, st StepRun) (StepResult, error) {
	if st.Name == "b-probe" {
		s.steps = append(s.steps, st)
		return StepResult{Verdict: VerdictExitNonzero, ExitCode: 1, Log: Log{Tail: "OSError: [Errno 30] Read-only file system: 'cache'"}}, nil
	}
	return s.probeSandbox.RunStep(ctx, st)
}

type twoPhases struct{ probeExercise }

func (twoPhases) Steps(exercises.Spec, []exercises.File, exercises.EvalSet) ([]exercises.Step, error) {
	return []exercises.Step{{Name: "a", Phase: "a"}, {Name: "b", Phase: "b"}, {Name: "b-probe", Phase: "b"}}, nil
}

// Only the first phase writes the workspace; a frozen step that fails on a
// read-only write gets the hint in its reason.
func TestLaterPhasesSeeAFrozenWorkspace(t *testing.T) {
	lim := exercises.DefaultLimits()
	spec := exercises.Spec{Slug: "two", Phases: []exercises.Phase{{Name: "a", Limits: lim}, {Name: "b", Limits: lim}}}
	manifest := exercises.File{Name: ManifestName, Data: []byte("phases:\n  a: python3 a.py\n  b: python3 b.py\n")}
	sb := &phaseSandbox{}
	ex := twoPhases{probeExercise{scored: map[string][]exercises.File{}, usage: map[string]exercises.StepUsage{}}}
	p := &Pipeline{Sandbox: sb, Logger: slog.New(slog.DiscardHandler)}
	out, err := p.Run(context.Background(), Job{Exercise: ex, Spec: spec, Files: []exercises.File{manifest}})
	if err != nil || !out.Result.Valid {
		t.Fatalf("run: %v %+v", err, out.Result)
	}
	frozen := map[string]bool{}
	for _, st := range sb.steps {
		frozen[st.Name] = st.FrozenWorkspace
	}
	if want := map[string]bool{"a": false, "b": true, "b-probe": true}; !maps.Equal(frozen, want) {
		t.Errorf("frozen workspace by step %v, want %v", frozen, want)
	}
	if r := out.Phases[2].Reason; !strings.Contains(r, readOnlyHint) {
		t.Errorf("the probe's reason %q lacks the read-only hint", r)
	}
	if r := out.Phases[1].Reason; r != "" {
		t.Errorf("a step that succeeded got the reason %q", r)
	}
}

// A phase's failure says its exit code once, and what the sandbox or the
// pipeline added to it.
func TestDescribeExitNonzero(t *testing.T) {
	tests := []struct{ reason, want string }{
		{"exit code 3", "phase solve exited with code 3"},
		{"", "phase solve exited with code 3"},
		{"exit code 3; the process limit of 48 was reached", "phase solve exited with code 3 (the process limit of 48 was reached)"},
		{"exit code 3; " + readOnlyHint, "phase solve exited with code 3 (" + readOnlyHint + ")"},
	}
	for _, tt := range tests {
		if got := describe("solve", StepResult{Verdict: VerdictExitNonzero, ExitCode: 3, Reason: tt.reason}); got != tt.want {
			t.Errorf("reason %q: %q, want %q", tt.reason, got, tt.want)
		}
	}
}

// stateExercise has two phases; its later steps keep two states.
type stateExercise struct{ probeExercise }

func (stateExercise) Steps(exercises.Spec, []exercises.File, exercises.EvalSet) ([]exercises.Step, error) {
	return []exercises.Step{{Name: "fit", Phase: "fit"}, {Name: "a-1", Phase: "week", State: "a"}, {Name: "b-1", Phase: "week", State: "b"},
		{Name: "a-2", Phase: "week", State: "a"}, {Name: "probe", Phase: "week"}}, nil
}

// The run declares each state its steps name, once, in order, and each
// step runs with its own state (or none), frozen after the first phase.
func TestPipelinePassesStates(t *testing.T) {
	spec := exercises.Spec{Slug: "state", Phases: []exercises.Phase{{Name: "fit"}, {Name: "week", Limits: exercises.Limits{StateBytes: 128 << 20}}}}
	files := []exercises.File{{Name: ManifestName, Data: []byte("phases:\n  fit: a\n  week: b\n")}}
	sb := &probeSandbox{}
	ex := stateExercise{probeExercise{scored: map[string][]exercises.File{}, usage: map[string]exercises.StepUsage{}}}
	p := &Pipeline{Sandbox: sb, Logger: slog.New(slog.DiscardHandler)}
	if _, err := p.Run(context.Background(), Job{Exercise: ex, Spec: spec, Files: files}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(sb.spec.States, ","); got != "a,b" {
		t.Errorf("run states %q, want a,b", got)
	}
	if sb.spec.Limits.StateBytes != 128<<20 {
		t.Errorf("run limits size states at %d bytes, want the phase's 128 MiB", sb.spec.Limits.StateBytes)
	}
	var got []string
	for _, st := range sb.steps {
		got = append(got, st.Name+":"+st.State+":"+map[bool]string{true: "frozen", false: "rw"}[st.FrozenWorkspace])
	}
	if want := "fit::rw a-1:a:frozen b-1:b:frozen a-2:a:frozen probe::frozen"; strings.Join(got, " ") != want {
		t.Errorf("steps %q, want %q", strings.Join(got, " "), want)
	}
}
