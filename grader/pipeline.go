package grader

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"takehome/exercises"
)

// cleanupTimeout bounds how long removing a run's containers may take once
// the run is over (or its context is gone).
const cleanupTimeout = 30 * time.Second

// Pipeline runs one submission through an exercise's steps in the sandbox and
// scores what they produced.
type Pipeline struct {
	Sandbox Sandbox
	Logger  *slog.Logger
	// Progress, when set, is told of each step as it finishes (seq from 0),
	// so a candidate can watch a run; it must not fail the run.
	Progress func(ctx context.Context, runID int64, seq int, rec PhaseRecord)
	// Gateway gives steps of versions with model access their tokens; a
	// run of such a version fails without it.
	Gateway Gateway
}

// Job is everything the pipeline needs to grade one submission on one set.
type Job struct {
	RunID    int64
	Exercise exercises.Exercise
	Spec     exercises.Spec
	Assets   []exercises.File
	Set      exercises.EvalSet
	Mode     exercises.Mode
	Files    []exercises.File // the submission, takehome.yaml included
	Labels   map[string]string
}

// Outcome is what a grading run produced. Result is never nil when the
// returned error is nil.
type Outcome struct {
	ImageID  string
	Runtime  string // the OCI runtime every phase ran under
	Manifest Manifest
	Phases   []PhaseRecord
	Result   *exercises.Result
}

// ErrCanceled reports that the run was stopped before it finished.
var ErrCanceled = errors.New("run canceled")

// Run grades job. The error is non-nil only when the run could not finish for
// reasons that are not the candidate's: infrastructure (worth retrying) or
// cancellation (ErrCanceled).
func (p *Pipeline) Run(ctx context.Context, job Job) (Outcome, error) {
	manifest, err := ParseManifest(job.Files, job.Spec.PhaseNames())
	if err != nil {
		return Outcome{Result: invalid(ErrorMessage(err))}, nil
	}
	out := Outcome{Manifest: manifest}
	steps, err := job.Exercise.Steps(job.Spec, job.Assets, job.Set)
	if err != nil {
		return out, fmt.Errorf("plan steps: %w", err)
	}
	if ws, ok := job.Exercise.(exercises.WorkspaceStepper); ok {
		extra, err := ws.WorkspaceSteps(job.Spec, job.Files)
		if err != nil {
			return out, fmt.Errorf("plan workspace steps: %w", err)
		}
		steps = append(steps, extra...)
	}
	if err := p.budget(ctx, job); err != nil {
		return out, err
	}
	session, err := p.Sandbox.Open(ctx, RunSpec{
		RunID:     fmt.Sprint(job.RunID),
		Image:     job.Spec.Image,
		Workspace: job.Files,
		Steps:     stepNames(steps),
		States:    stateNames(steps),
		Limits:    workspaceLimits(job.Spec),
		Labels:    job.Labels,
		Models:    job.Spec.Models != nil,
	})
	if err != nil {
		return out, fmt.Errorf("open sandbox: %w", err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		if err := session.Close(cctx); err != nil {
			p.Logger.Error("close sandbox", "run_id", job.RunID, "err", err)
		}
	}()
	out.ImageID, out.Runtime = session.ImageID(), session.Runtime()

	outputs, problem, err := p.runSteps(ctx, session, job, manifest, steps, &out)
	if err != nil {
		return out, err
	}
	if problem != "" {
		out.Result = invalid(problem)
		return out, nil
	}
	result, err := job.Exercise.Score(exercises.ScoreInput{
		Spec:                job.Spec,
		Mode:                job.Mode,
		Set:                 job.Set,
		Outputs:             outputs,
		Workspace:           job.Files,
		Assets:              job.Assets,
		ExpectedScore:       manifest.ExpectedScore,
		ExpectedFalseAlarms: manifest.declaredFalseAlarms(),
		Usage:               usage(out.Phases),
	})
	if err != nil {
		return out, fmt.Errorf("score: %w", err)
	}
	out.Result = &result
	return out, nil
}

// runSteps runs the steps in order. A phase that fails ends the run with a
// problem for the report; a probe (an extra run of a phase) that fails is
// recorded and the run goes on, since probes only feed diagnostics.
func (p *Pipeline) runSteps(ctx context.Context, s Session, job Job, m Manifest, steps []exercises.Step, out *Outcome) (map[string][]exercises.File, string, error) {
	outputs := make(map[string][]exercises.File, len(steps))
	for _, step := range steps {
		phase, ok := findPhase(job.Spec, step.Phase)
		if !ok {
			return nil, "", fmt.Errorf("step %s: unknown phase %q", step.Name, step.Phase)
		}
		frozen := step.Phase != job.Spec.Phases[0].Name
		run := StepRun{Name: step.Name, Command: m.Command(step.Phase), Inputs: step.Inputs, Limits: phase.Limits,
			FrozenWorkspace: frozen, State: step.State}
		res, use, err := p.runStep(ctx, s, job, step, run)
		if err != nil {
			return nil, "", fmt.Errorf("step %s: %w", step.Name, err)
		}
		checkOutputs(phase, &res)
		if frozen {
			explainReadOnly(&res)
		}
		out.Phases = append(out.Phases, record(step, res, out.Runtime))
		out.Phases[len(out.Phases)-1].Models = use
		p.Logger.Info("step done", "run_id", job.RunID, "step", step.Name, "verdict", res.Verdict, "wall_ms", res.Wall.Milliseconds())
		if p.Progress != nil {
			p.Progress(ctx, job.RunID, len(out.Phases)-1, out.Phases[len(out.Phases)-1])
		}
		switch {
		case res.Verdict == VerdictCanceled:
			return nil, "", ErrCanceled
		case res.Verdict == VerdictInfraError:
			return nil, "", fmt.Errorf("step %s: %s", step.Name, res.Reason)
		case res.Verdict != VerdictOK && step.Name == step.Phase:
			return nil, describe(step.Name, res), nil
		case res.Verdict == VerdictOK:
			outputs[step.Name] = res.Outputs
		}
	}
	return outputs, "", nil
}

// checkOutputs turns a clean exit that left a required output unwritten into
// an invalid_output verdict.
func checkOutputs(phase exercises.Phase, res *StepResult) {
	if res.Verdict != VerdictOK {
		return
	}
	for _, name := range phase.Outputs {
		if _, ok := exercises.FindFile(res.Outputs, name); !ok {
			res.Verdict = VerdictInvalidOutput
			res.Reason = fmt.Sprintf("phase %s did not write /output/%s", phase.Name, name)
			return
		}
	}
}

// readOnlyHint is added to a frozen step's failure when its log shows a
// write to the read-only workspace: the likely cause, stated once.
const readOnlyHint = "/workspace is read-only after the first phase; write scratch files to /tmp"

// explainReadOnly adds readOnlyHint to the reason of a failed step whose log
// shows the kernel refusing a write (EROFS).
func explainReadOnly(res *StepResult) {
	if res.Verdict == VerdictOK || !strings.Contains(res.Log.String(), "Read-only file system") {
		return
	}
	res.Reason = strings.TrimPrefix(res.Reason+"; "+readOnlyHint, "; ")
}

func describe(step string, res StepResult) string {
	switch res.Verdict {
	case VerdictExitNonzero:
		// The sandbox's reason starts with the exit code; say what it adds.
		extra := strings.TrimPrefix(strings.TrimPrefix(res.Reason, fmt.Sprintf("exit code %d", res.ExitCode)), "; ")
		if extra != "" {
			return fmt.Sprintf("phase %s exited with code %d (%s)", step, res.ExitCode, extra)
		}
		return fmt.Sprintf("phase %s exited with code %d", step, res.ExitCode)
	case VerdictTimeout:
		return fmt.Sprintf("phase %s ran out of time after %s", step, res.Wall.Round(time.Second))
	case VerdictOOMKilled:
		return fmt.Sprintf("phase %s ran out of memory", step)
	}
	if res.Reason != "" {
		return fmt.Sprintf("phase %s: %s", step, res.Reason)
	}
	return fmt.Sprintf("phase %s ended with %s", step, res.Verdict)
}

func record(step exercises.Step, res StepResult, runtime string) PhaseRecord {
	return PhaseRecord{
		Step: step.Name, Phase: step.Phase, Runtime: runtime, Verdict: res.Verdict, Reason: res.Reason,
		ExitCode: res.ExitCode, Wall: res.Wall, PeakMemory: res.PeakMemory, Log: res.Log,
	}
}

func invalid(problem string) *exercises.Result {
	return &exercises.Result{Valid: false, Problems: []string{problem}}
}

func stepNames(steps []exercises.Step) []string {
	names := make([]string, len(steps))
	for i, s := range steps {
		names[i] = s.Name
	}
	return names
}

// declaredFalseAlarms is the monitor block's rate, nil without one.
func (m Manifest) declaredFalseAlarms() *float64 {
	if m.Monitor == nil {
		return nil
	}
	return m.Monitor.ExpectedFalseAlarmsPerYear
}

// stateNames lists the states the steps name, each once, in order.
func stateNames(steps []exercises.Step) []string {
	var names []string
	for _, s := range steps {
		if s.State != "" && !slices.Contains(names, s.State) {
			names = append(names, s.State)
		}
	}
	return names
}

func findPhase(spec exercises.Spec, name string) (exercises.Phase, bool) {
	for _, p := range spec.Phases {
		if p.Name == name {
			return p, true
		}
	}
	return exercises.Phase{}, false
}

// workspaceLimits sizes the run's shared workspace for its largest phase.
func workspaceLimits(spec exercises.Spec) exercises.Limits {
	lim := exercises.DefaultLimits()
	for _, p := range spec.Phases {
		lim.WorkspaceBytes = max(lim.WorkspaceBytes, p.Limits.WorkspaceBytes)
		lim.StateBytes = max(lim.StateBytes, p.Limits.StateBytes)
	}
	return lim
}

// usage is what each step took, for the scorer.
func usage(phases []PhaseRecord) map[string]exercises.StepUsage {
	u := make(map[string]exercises.StepUsage, len(phases))
	for _, p := range phases {
		s := exercises.StepUsage{Wall: p.Wall, PeakMemory: p.PeakMemory}
		if m := p.Models; m != nil {
			s.ModelCalls, s.ModelTokens, s.ModelCostMicro, s.BudgetExceeded = m.Calls, m.PromptTokens+m.CompletionTokens, m.CostMicro, m.BudgetExceeded
		}
		u[p.Step] = s
	}
	return u
}
