package docker

import (
	"context"
	"errors"
	"fmt"

	"github.com/docker/docker/api/types/mount"

	"takehome/exercises"
	"takehome/grader"
)

// RunStep runs one step in its own container: its inputs go to /data, its
// command runs in /workspace, and /output is read back and checked after
// it exits. The error is non-nil only for infrastructure failures.
func (ss *session) RunStep(ctx context.Context, step grader.StepRun) (grader.StepResult, error) {
	if len(step.Command) == 0 {
		return infraResult(fmt.Errorf("step %q has no command", step.Name))
	}
	v, err := ss.claim(step.Name)
	if err != nil {
		return infraResult(err)
	}
	l := withDefaults(step.Limits)
	if err := ss.copyIn(ctx, v.dataDir, step.Inputs); err != nil {
		return ss.failed(ctx, fmt.Errorf("copy inputs: %w", err))
	}
	if err := ss.sb.acquire(ctx); err != nil {
		return grader.StepResult{Verdict: grader.VerdictCanceled}, nil
	}
	defer ss.sb.release()
	mounts := ss.stepMounts(v, step.FrozenWorkspace)
	if step.State != "" {
		state, ok := ss.states[step.State]
		if !ok {
			return infraResult(fmt.Errorf("step %q names state %q, which the run spec did not declare", step.Name, step.State))
		}
		mounts = append(mounts, volumeMount(state, stateDir, false))
	}
	b := ss.box(step.Command, l, mounts, roleStep)
	if step.Gateway != nil {
		if ss.tools == "" {
			return infraResult(fmt.Errorf("step %q asks for model access in a run opened without it", step.Name))
		}
		var env []string
		b.cmd, env = withGateway(step.Command, step.Gateway)
		b.env, b.mounts = append(b.env, env...), append(b.mounts, ss.gatewayMounts()...)
	}
	id, err := ss.sb.create(ctx, b)
	if err != nil {
		return ss.failed(ctx, err)
	}
	defer ss.sb.remove(ctx, id)
	ss.log.Debug("step start", "step", step.Name, "container", id)
	res, err := ss.sb.execute(ctx, id, l)
	if err != nil {
		return ss.failed(ctx, err)
	}
	if res.Verdict == grader.VerdictOK || res.Verdict == grader.VerdictExitNonzero {
		if err := ss.collect(ctx, v, l, &res); err != nil {
			return ss.failed(ctx, err)
		}
	}
	return res, nil
}

// stepMounts: the shared workspace (read-only when frozen), the step's data
// read-only, its output. A frozen step's writable places are its own /tmp,
// /dev/shm and /output, all fresh: nothing it writes reaches another step.
func (ss *session) stepMounts(v *stepVolumes, frozen bool) []mount.Mount {
	return []mount.Mount{
		volumeMount(ss.workspace, workDir, frozen),
		volumeMount(v.data, "/data", true),
		volumeMount(v.out, "/output", false),
	}
}

// collect reads the step's outputs into res. A broken output contract
// (links, specials, caps) overrides ok and exit_nonzero: a step that died
// because /output was full ended on the cap, not on its own bug.
func (ss *session) collect(ctx context.Context, v *stepVolumes, l exercises.Limits, res *grader.StepResult) error {
	files, err := ss.copyOut(ctx, v, l)
	var oe *outputError
	switch {
	case errors.As(err, &oe):
		res.Verdict, res.Reason = oe.verdict, oe.reason
	case err != nil:
		return err
	default:
		res.Outputs = files
	}
	return nil
}

// failed turns an error into a result: canceled when the caller's context
// ended (the error is then a consequence, not a fault), infra otherwise.
func (ss *session) failed(ctx context.Context, err error) (grader.StepResult, error) {
	if ctx.Err() != nil {
		return grader.StepResult{Verdict: grader.VerdictCanceled}, nil
	}
	ss.log.Warn("step infrastructure error", "err", err)
	return infraResult(err)
}

func infraResult(err error) (grader.StepResult, error) {
	return grader.StepResult{Verdict: grader.VerdictInfraError, Reason: err.Error()}, err
}
