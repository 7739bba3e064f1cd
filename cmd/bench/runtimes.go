package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"takehome/exercises"
	"takehome/grader"
	"takehome/grader/docker"
)

// runtimePhases are the phases timed under each runtime: the bare cost of
// a hardened step, and what a candidate's Python pays before its first line.
var runtimePhases = []struct {
	name string
	cmd  []string
	reps int
}{
	{"`true`", []string{"true"}, 15},
	{"`python3 -c \"import pandas, sklearn\"`", []string{"python3", "-c", "import pandas, sklearn"}, 7},
}

// benchRuntimes times the same phases through the sandbox under runc and
// under gVisor (runsc, registered by scripts/gvisor.sh), side by side in
// one run, interleaved so that a busy moment of the machine hits both.
func benchRuntimes(ctx context.Context) ([]row, error) {
	runtimes := []string{"runc", "runsc"}
	var steps []string
	for i, ph := range runtimePhases {
		for r := range ph.reps {
			steps = append(steps, fmt.Sprintf("p%d-%d", i, r))
		}
	}
	sessions := map[string]grader.Session{}
	for _, rt := range runtimes {
		ses, closeAll, err := openBenchSession(ctx, rt, steps)
		if err != nil {
			return nil, err
		}
		defer closeAll()
		sessions[rt] = ses
	}
	var rows []row
	for i, ph := range runtimePhases {
		took := map[string][]time.Duration{}
		for r := range ph.reps {
			for _, rt := range runtimes {
				start := time.Now()
				res, err := sessions[rt].RunStep(ctx, grader.StepRun{Name: fmt.Sprintf("p%d-%d", i, r), Command: ph.cmd, Limits: exercises.DefaultLimits()})
				if err != nil || res.Verdict != grader.VerdictOK {
					return nil, fmt.Errorf("%s under %s: %w %+v", ph.name, rt, err, res)
				}
				took[rt] = append(took[rt], time.Since(start))
			}
		}
		runc, runsc := median(took["runc"]), median(took["runsc"])
		note := fmt.Sprintf("median of %d, hardened, with copy-out", ph.reps)
		rows = append(rows,
			row{"phase " + ph.name + ", runc", runc.Round(time.Millisecond).String(), "", note},
			row{"phase " + ph.name + ", runsc (gVisor)", runsc.Round(time.Millisecond).String(), "", note},
			row{"phase " + ph.name + ", gVisor / runc", fmt.Sprintf("%.2f", float64(runsc)/float64(runc)), "", "runsc 20221219, ptrace platform"})
	}
	return rows, nil
}

// openBenchSession opens a session with these steps under runtime (""
// for the engine's default); closeAll removes it and its sandbox.
func openBenchSession(ctx context.Context, runtime string, steps []string) (grader.Session, func(), error) {
	sb, err := docker.New(docker.Config{Owner: "bench-" + runtime, Fleet: "bench", Runtime: runtime, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, nil, fmt.Errorf("%w (for runsc run scripts/gvisor.sh)", err)
	}
	ses, err := sb.Open(ctx, grader.RunSpec{RunID: "bench-" + runtime, Image: exercises.PythonImage, Steps: steps, Limits: exercises.DefaultLimits()})
	if err != nil {
		_ = sb.Close()
		return nil, nil, err
	}
	return ses, func() {
		if err := ses.Close(context.WithoutCancel(ctx)); err != nil {
			fmt.Fprintln(os.Stderr, "bench: cleanup:", err)
		}
		_ = sb.Close()
	}, nil
}
