package main

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"takehome/exercises"
	"takehome/exercises/tabular"
	"takehome/grader"
	"takehome/grader/docker"
)

// monitorTarget is issue 12's bound on the monitor part of a final run of
// the careful reference on this machine.
const monitorTarget = 3 * time.Minute

// benchMonitor grades the careful reference on the hidden set of the
// default version through real containers and times its monitor part:
// from the end of the last step before the weeks to the end of the last
// week. It also times a phase `true` in the same kind of session, the
// container floor of each week, and the scorer on the weeks' outputs.
func benchMonitor(ctx context.Context) ([]row, error) {
	v, err := tabular.New().Build(1)
	if err != nil {
		return nil, err
	}
	refs, err := tabular.New().References()
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(refs, func(r exercises.Reference) bool { return r.Name == "careful" })
	set, err := v.Set(exercises.SetHidden)
	if err != nil {
		return nil, err
	}
	sb, err := docker.New(docker.Config{Owner: "bench-monitor", Fleet: "bench", MaxContainers: 1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, err
	}
	defer func() { _ = sb.Close() }()
	rec := &recordingSandbox{Sandbox: sb, outputs: map[string][]exercises.File{}}
	var done []time.Time
	var names []string
	p := &grader.Pipeline{Sandbox: rec, Logger: slog.New(slog.DiscardHandler),
		Progress: func(_ context.Context, _ int64, _ int, r grader.PhaseRecord) {
			done, names = append(done, time.Now()), append(names, r.Step)
		}}
	job := grader.Job{RunID: time.Now().UnixNano(), Exercise: tabular.New(), Spec: v.Spec, Assets: v.Assets, Set: set,
		Mode: exercises.ModeFinal, Files: refs[i].Files}
	out, err := p.Run(ctx, job)
	if err != nil {
		return nil, err
	}
	if out.Result == nil || !out.Result.Valid {
		return nil, fmt.Errorf("careful's final run is not valid: %+v", out.Result)
	}
	first := slices.IndexFunc(names, func(n string) bool { return strings.HasPrefix(n, "monitor-") && n != "monitor-frozen" })
	if first < 1 {
		return nil, fmt.Errorf("no monitor weeks among the steps %v", names)
	}
	weeks := len(names) - first
	wall := done[len(done)-1].Sub(done[first-1])
	var gaps []time.Duration
	for k := first; k < len(done); k++ {
		gaps = append(gaps, done[k].Sub(done[k-1]))
	}
	floor, err := trueFloor(ctx)
	if err != nil {
		return nil, err
	}
	scoring, err := timeScoring(v, set, job, rec.outputs)
	if err != nil {
		return nil, err
	}
	streams := weeks / tabular.HiddenWeeks
	verdict := "met"
	if wall > monitorTarget {
		verdict = "missed"
	}
	perWeek := median(gaps)
	return []row{
		{"monitor: careful reference, final run's weeks", fmt.Sprintf("%s for %d weeks", wall.Round(100*time.Millisecond), weeks), "≤ 3 min",
			fmt.Sprintf("%s; %d hidden streams × %d weeks, one container a week, runc, one step at a time", verdict, streams, tabular.HiddenWeeks)},
		{"monitor: weeks per minute", fmt.Sprintf("%.1f", float64(weeks)/wall.Minutes()), "", fmt.Sprintf("median week %s from one week's end to the next's", perWeek.Round(time.Millisecond))},
		{"monitor: sandbox share of a week", fmt.Sprintf("%.0f %%", 100*float64(floor)/float64(perWeek)), "",
			fmt.Sprintf("phase `true` in the same sandbox, median %s, over the median week: the rest is the candidate's Python (imports, model, tests)", floor.Round(time.Millisecond))},
		{"monitor: scoring one stream", scoring.Round(100 * time.Microsecond).String(), "",
			fmt.Sprintf("the whole final-run score (predictions, probes, %d streams with their bootstrap) over %d, median of 5", streams, streams)},
	}, nil
}

// trueFloor is the median time of a phase `true` in a session like a
// grading run's.
func trueFloor(ctx context.Context) (time.Duration, error) {
	const reps = 9
	steps := make([]string, reps)
	for i := range steps {
		steps[i] = fmt.Sprintf("w%d", i)
	}
	ses, closeAll, err := openBenchSession(ctx, "", steps)
	if err != nil {
		return 0, err
	}
	defer closeAll()
	var ds []time.Duration
	for _, name := range steps {
		start := time.Now()
		res, err := ses.RunStep(ctx, grader.StepRun{Name: name, Command: []string{"true"}, Limits: exercises.DefaultLimits(), FrozenWorkspace: true})
		if err != nil || res.Verdict != grader.VerdictOK {
			return 0, fmt.Errorf("step %s: %w %+v", name, err, res)
		}
		ds = append(ds, time.Since(start))
	}
	return median(ds), nil
}

// timeScoring times the exercise's scorer on the run's outputs, per
// stream.
func timeScoring(v *exercises.Version, set exercises.EvalSet, job grader.Job, outputs map[string][]exercises.File) (time.Duration, error) {
	m, err := grader.ParseManifest(job.Files, v.Spec.PhaseNames())
	if err != nil {
		return 0, err
	}
	in := exercises.ScoreInput{Spec: v.Spec, Mode: job.Mode, Set: set, Outputs: outputs, Workspace: job.Files, Assets: v.Assets,
		ExpectedScore: m.ExpectedScore}
	if m.Monitor != nil {
		in.ExpectedFalseAlarms = m.Monitor.ExpectedFalseAlarmsPerYear
	}
	var ds []time.Duration
	for range 5 {
		start := time.Now()
		if _, err := tabular.New().Score(in); err != nil {
			return 0, err
		}
		ds = append(ds, time.Since(start))
	}
	return median(ds) / tabular.HiddenStreams, nil
}

// recordingSandbox keeps the outputs of every step that finished, so the
// scorer can be timed on them after the run.
type recordingSandbox struct {
	*docker.Sandbox
	mu      sync.Mutex
	outputs map[string][]exercises.File
}

func (r *recordingSandbox) Open(ctx context.Context, spec grader.RunSpec) (grader.Session, error) {
	s, err := r.Sandbox.Open(ctx, spec)
	if err != nil {
		return nil, err
	}
	return &recordingSession{Session: s, r: r}, nil
}

type recordingSession struct {
	grader.Session
	r *recordingSandbox
}

func (s *recordingSession) RunStep(ctx context.Context, step grader.StepRun) (grader.StepResult, error) {
	res, err := s.Session.RunStep(ctx, step)
	if err == nil && res.Verdict == grader.VerdictOK {
		s.r.mu.Lock()
		s.r.outputs[step.Name] = res.Outputs
		s.r.mu.Unlock()
	}
	return res, err
}
