package docker

import (
	"context"
	"fmt"
	"time"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"

	"takehome/exercises"
	"takehome/grader"
)

const (
	killGrace   = 30 * time.Second // from SIGKILL to the engine reporting the exit
	drainGrace  = 5 * time.Second  // from the exit to the end of the log stream
	maxRewaits  = 5
	rewaitPause = 500 * time.Millisecond
)

// execute runs a created container to its end and classifies the ending.
// Attach and wait are registered before start so no output and no exit is
// missed; both run on a context that outlives ctx, because after a
// cancellation they are still needed to see the kill through.
func (s *Sandbox) execute(ctx context.Context, id string, l exercises.Limits) (grader.StepResult, error) {
	bg, stop := context.WithCancel(context.WithoutCancel(ctx))
	defer stop()
	out, err := s.attach(bg, id, l)
	if err != nil {
		return grader.StepResult{}, err
	}
	defer out.hj.Close()
	waitC, errC := s.cli.ContainerWait(bg, id, container.WaitConditionNextExit)
	if err := s.cli.ContainerStart(ctx, id, container.StartOptions{}); err != nil {
		return grader.StepResult{}, fmt.Errorf("start container: %w", err)
	}
	start := time.Now()
	took := s.watchUsage(bg, id)
	stopped, err := s.supervise(ctx, id, l.Timeout, s.waitExit(bg, id, waitC, errC), out.logs.exceeded)
	wall := time.Since(start)
	if err != nil {
		return grader.StepResult{}, err
	}
	log := out.finish()
	c, err := s.cli.ContainerInspect(bg, id)
	if err != nil {
		return grader.StepResult{}, fmt.Errorf("inspect container: %w", err)
	}
	if c.State.Status == "removing" || c.State.Dead {
		// Reaped or removed under us: the infrastructure's fault, not the
		// candidate's exit code 137.
		return grader.StepResult{}, fmt.Errorf("container %.12s was removed while it ran", id)
	}
	u := took()
	verdict, reason := classify(stopped, c.State, l, u)
	return grader.StepResult{Verdict: verdict, Reason: reason, ExitCode: c.State.ExitCode,
		Wall: wall, CPU: time.Duration(u.cpuNanos), PeakMemory: u.peakMemory, Log: log}, nil
}

// output is the attached stdout and stderr of a container being copied
// into a logCap.
type output struct {
	hj   types.HijackedResponse
	logs *logCap
	done chan struct{}
}

func (s *Sandbox) attach(ctx context.Context, id string, l exercises.Limits) (*output, error) {
	hj, err := s.cli.ContainerAttach(ctx, id, container.AttachOptions{Stream: true, Stdout: true, Stderr: true})
	if err != nil {
		return nil, fmt.Errorf("attach container: %w", err)
	}
	o := &output{hj: hj, logs: newLogCap(l.LogBytes, l.StdoutBytes), done: make(chan struct{})}
	go func() {
		defer close(o.done)
		_, _ = stdcopy.StdCopy(o.logs, o.logs, hj.Reader) // ends when the container exits
	}()
	return o, nil
}

// finish waits briefly for the stream to end after the exit, then cuts it.
func (o *output) finish() grader.Log {
	select {
	case <-o.done:
	case <-time.After(drainGrace):
	}
	o.hj.Close()
	<-o.done
	return o.logs.Log()
}

// supervise waits for the container to exit. It kills it at the deadline,
// on cancellation and when the log limit is hit, and returns that verdict;
// "" when the container ended by itself.
func (s *Sandbox) supervise(ctx context.Context, id string, timeout time.Duration, exited <-chan error, flood <-chan struct{}) (grader.Verdict, error) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var why grader.Verdict
	select {
	case err := <-exited:
		return "", err
	case <-timer.C:
		why = grader.VerdictTimeout
	case <-flood:
		why = grader.VerdictOutputLimit
	case <-ctx.Done():
		why = grader.VerdictCanceled
	}
	s.kill(ctx, id)
	select {
	case err := <-exited:
		return why, err
	case <-time.After(killGrace):
		return why, fmt.Errorf("container %.12s still running %s after kill", id, killGrace)
	}
}

func (s *Sandbox) kill(ctx context.Context, id string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	// A conflict means it is not running any more: the race is harmless.
	if err := s.cli.ContainerKill(ctx, id, "KILL"); err != nil && !errdefs.IsConflict(err) {
		s.log.Warn("kill container", "container", id, "err", err)
	}
}

// waitExit reports on the returned channel once the container has exited.
// When the daemon drops the wait stream it waits again (Drone's lesson),
// now for "not running" so an exit that happened meanwhile is not missed.
func (s *Sandbox) waitExit(ctx context.Context, id string, waitC <-chan container.WaitResponse, errC <-chan error) <-chan error {
	exited := make(chan error, 1)
	go func() {
		for attempt := 1; ; attempt++ {
			select {
			case <-waitC:
				exited <- nil
				return
			case err := <-errC:
				if ctx.Err() != nil || attempt > maxRewaits {
					exited <- fmt.Errorf("wait for container %.12s: %w", id, err)
					return
				}
				s.log.Warn("wait stream dropped, waiting again", "container", id, "err", err)
				time.Sleep(rewaitPause)
				waitC, errC = s.cli.ContainerWait(ctx, id, container.WaitConditionNotRunning)
			}
		}
	}()
	return exited
}

// classify names how a step ended and why, adding to a failure that the
// process limit refused forks or threads: under runc the step saw them
// fail; under gVisor the sandbox's own kernel, whose threads count too, may
// have stopped for it (scripts/gvisor.sh, runtime.go).
func classify(stopped grader.Verdict, st *container.State, l exercises.Limits, u usage) (grader.Verdict, string) {
	v, reason := classifyExit(stopped, st, l, u.oomKills > 0)
	if v != grader.VerdictOK && u.pidsHits > 0 {
		reason += fmt.Sprintf("; the process limit of %d was reached", l.Pids)
	}
	return v, reason
}

// classifyExit names how a step ended. Exit code 137 alone is not an OOM
// kill: only the engine's OOMKilled flag or the kernel's count of OOM kills
// in the step's cgroup is.
func classifyExit(stopped grader.Verdict, st *container.State, l exercises.Limits, kernelOOM bool) (grader.Verdict, string) {
	oom := st.OOMKilled || kernelOOM
	switch {
	case stopped == grader.VerdictTimeout:
		return stopped, fmt.Sprintf("killed at the time limit of %s", l.Timeout)
	case stopped == grader.VerdictOutputLimit:
		return stopped, fmt.Sprintf("stdout and stderr went past %d bytes", l.StdoutBytes)
	case stopped != "":
		return stopped, ""
	case oom && st.ExitCode != 0:
		return grader.VerdictOOMKilled, fmt.Sprintf("killed at the memory limit of %d bytes", l.MemoryBytes)
	case st.ExitCode != 0:
		return grader.VerdictExitNonzero, fmt.Sprintf("exit code %d", st.ExitCode)
	case oom:
		return grader.VerdictOK, "a child process was killed at the memory limit; the step still exited 0"
	}
	return grader.VerdictOK, ""
}
