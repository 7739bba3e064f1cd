package main

import (
	"context"
	"fmt"
	"os/exec"
	"time"

	"takehome/exercises"
	"takehome/grader"
)

// benchOverhead times a phase whose command is `true` through the sandbox
// (create, attach, start, wait, inspect, copy-out, remove) against
// `docker run --rm IMAGE true` through the CLI on the same image.
func benchOverhead(ctx context.Context, reps int) ([]row, error) {
	steps := make([]string, reps)
	for i := range steps {
		steps[i] = fmt.Sprintf("s%d", i)
	}
	lim := exercises.DefaultLimits()
	ses, closeAll, err := openBenchSession(ctx, "", steps)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	var ours, cli []time.Duration
	for _, name := range steps {
		start := time.Now()
		res, err := ses.RunStep(ctx, grader.StepRun{Name: name, Command: []string{"true"}, Limits: lim})
		if err != nil || res.Verdict != grader.VerdictOK {
			return nil, fmt.Errorf("step %s: %w %+v", name, err, res)
		}
		ours = append(ours, time.Since(start))

		start = time.Now()
		if out, err := exec.CommandContext(ctx, "docker", "run", "--rm", "--network", "none", exercises.PythonImage, "true").CombinedOutput(); err != nil {
			return nil, fmt.Errorf("docker run: %w %s", err, out)
		}
		cli = append(cli, time.Since(start))
	}
	mo, mc := median(ours), median(cli)
	return []row{
		{"phase `true`, runner sandbox (median)", mo.Round(time.Millisecond).String(), "", fmt.Sprintf("n=%d, hardened, with copy-out", reps)},
		{"phase `true`, docker run --rm CLI (median)", mc.Round(time.Millisecond).String(), "", fmt.Sprintf("n=%d", reps)},
		{"sandbox overhead ratio (runner / CLI)", fmt.Sprintf("%.2f", float64(mo)/float64(mc)), "<= 1.0", ""},
	}, nil
}
