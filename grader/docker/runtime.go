package docker

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/docker/go-units"

	"takehome/exercises"
	"takehome/grader"
)

// runtimeInfo is the OCI runtime the sandbox's containers run under, as the
// engine reported it at New.
type runtimeInfo struct {
	name       string // the configured name, or the engine's default
	configured bool   // the name was configured: containers ask for it
	gvisor     bool   // the runtime's binary is gVisor's runsc
	hostKernel string // the engine host's kernel release
}

// inspectEngine pings the engine and finds the runtime: a configured one
// must be registered (a sandbox asked for gVisor must not fall back to
// runc).
func (s *Sandbox) inspectEngine(ctx context.Context) (runtimeInfo, error) {
	if _, err := s.cli.Ping(ctx); err != nil {
		return runtimeInfo{}, grader.Errorf(grader.CodeUnavailable, "docker engine unreachable: %v", err)
	}
	info, err := s.cli.Info(ctx)
	if err != nil {
		return runtimeInfo{}, fmt.Errorf("docker info: %w", err)
	}
	rt := runtimeInfo{name: info.DefaultRuntime, hostKernel: info.KernelVersion}
	if s.cfg.Runtime != "" {
		rt.name, rt.configured = s.cfg.Runtime, true
	}
	r, ok := info.Runtimes[rt.name]
	if !ok && rt.configured {
		names := make([]string, 0, len(info.Runtimes))
		for n := range info.Runtimes {
			names = append(names, n)
		}
		slices.Sort(names)
		return runtimeInfo{}, fmt.Errorf("docker runtime %q is not registered with the engine (it has %v); for gVisor run scripts/gvisor.sh", rt.name, names)
	}
	rt.gvisor = strings.HasPrefix(filepath.Base(r.Path), "runsc")
	if rt.gvisor && s.cfg.Gateway != nil && !slices.ContainsFunc(r.Args, opensHostSockets) {
		return runtimeInfo{}, fmt.Errorf("docker runtime %q is gVisor without --host-uds=open: steps with model access could not reach the gateway's socket; run scripts/gvisor.sh", rt.name)
	}
	return rt, nil
}

// opensHostSockets is a runsc flag that lets a step connect to a host Unix
// socket it was given (the gateway's).
func opensHostSockets(arg string) bool {
	return arg == "--host-uds=open" || arg == "--host-uds=all"
}

// Runtime names the OCI runtime every container of this sandbox runs under,
// e.g. "runc" or "runsc", for run records and reports.
func (s *Sandbox) Runtime() string { return s.runtime.name }

// requested is the HostConfig.Runtime of a container: empty leaves the
// choice to the engine's default.
func (rt runtimeInfo) requested() string {
	if rt.configured {
		return rt.name
	}
	return ""
}

// gVisor's own processes live in the container's pids cgroup next to the
// step's. Measured here (runsc 20221219, ptrace platform, 2 cores): 38 host
// pids for an idle `sleep`, about 7 more per busy process, next to none per
// sleeping thread, and 4 per mounted volume (its gofer's threads: a run's
// holder mounts two volumes per step). So under gVisor the step's tasks are capped inside the
// sandbox by RLIMIT_NPROC, which gVisor's kernel counts per sandbox, and the
// cgroup is a backstop sized for gVisor's threads as well. (Under runc
// RLIMIT_NPROC would count every process of uid 65534 on the host, other
// runs' included, so the cgroup alone does the job.)
const (
	gvisorPidsBase     = 64
	gvisorPidsPerTask  = 8
	gvisorPidsPerMount = 8
)

// taskLimits returns the pids cgroup limit and any extra ulimits that
// enforce l.Pids under this runtime, for a container with mounts volumes.
func (rt runtimeInfo) taskLimits(l exercises.Limits, mounts int) (int64, []*units.Ulimit) {
	if !rt.gvisor {
		return l.Pids, nil
	}
	backstop := gvisorPidsBase + gvisorPidsPerTask*l.Pids + gvisorPidsPerMount*int64(mounts)
	return backstop, []*units.Ulimit{{Name: "nproc", Soft: l.Pids, Hard: l.Pids}}
}

// kernelProbe prints the kernel release and version the step sees.
var kernelProbe = []string{"sh", "-c", "uname -r; cat /proc/version"}

// judgeKernel checks that the runtime is really in use: gVisor reports a
// kernel of its own, runc the engine host's.
func (rt runtimeInfo) judgeKernel(r grader.StepResult) (bool, string) {
	out := strings.TrimSpace(r.Log.String())
	release, _, _ := strings.Cut(out, "\n")
	own := release != "" && release != rt.hostKernel
	detail := fmt.Sprintf("runtime %s: the step sees kernel %q, the engine host runs %q", rt.name, release, rt.hostKernel)
	if r.Verdict != grader.VerdictOK {
		return false, fmt.Sprintf("%s: %s", r.Verdict, out)
	}
	if rt.gvisor {
		return own, detail + " (gVisor's own kernel expected)"
	}
	return !own, detail
}
