package docker

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/go-units"
	"github.com/moby/profiles/seccomp"
	specs "github.com/opencontainers/runtime-spec/specs-go"

	"takehome/exercises"
)

// The fixed parts of every sandbox container.
const (
	sandboxUser = "65534:65534" // nobody:nogroup, numeric so no passwd lookup is needed
	workDir     = "/workspace"
	stateDir    = "/state" // a step's state volume (grader.StepRun.State)
	shmBytes    = 64 << 20 // /dev/shm; it is charged to the memory limit as well
	openFiles   = 1024
)

// box is everything the hardening of one container depends on.
type box struct {
	image   string
	cmd     []string
	limits  exercises.Limits // complete: see withDefaults
	mounts  []mount.Mount
	env     []string // sandboxEnv, plus the gateway's variables for a step with model access
	labels  map[string]string
	runtime runtimeInfo
	seccomp string // profile JSON
}

// containerConfig is the container half of the hardening. The argv is set as
// the entrypoint so neither the image's ENTRYPOINT nor a shell comes between.
func containerConfig(b box) *container.Config {
	return &container.Config{
		Image:           b.image,
		Entrypoint:      b.cmd[:1],
		Cmd:             b.cmd[1:],
		User:            sandboxUser,
		WorkingDir:      workDir,
		Env:             b.env,
		Labels:          b.labels,
		Hostname:        "sandbox",
		NetworkDisabled: true,
		AttachStdout:    true,
		AttachStderr:    true,
	}
}

// hostConfig is the host half of the hardening (SANDBOX.md, container
// settings). Zero values matter as much as set ones: no Privileged, no
// devices, no port bindings, no host namespaces, default masked paths.
func hostConfig(b box) *container.HostConfig {
	l := b.limits
	pids, taskUlimits := b.runtime.taskLimits(l, len(b.mounts))
	initProcess := true
	return &container.HostConfig{
		NetworkMode:    "none",
		CapDrop:        []string{"ALL"},
		SecurityOpt:    []string{"no-new-privileges:true", "seccomp=" + b.seccomp},
		ReadonlyRootfs: true,
		IpcMode:        "private",
		Runtime:        b.runtime.requested(),
		Init:           &initProcess, // PID 1 reaps zombies and forwards signals
		AutoRemove:     false,        // the exit state is inspected before removal
		RestartPolicy:  container.RestartPolicy{Name: container.RestartPolicyDisabled},
		// The daemon keeps no log: the runner reads the attach stream and keeps
		// head and tail itself. json-file (even with max-size) encodes every
		// line in dockerd, outside the container's CPU quota: measured here,
		// 200 MB of "y\n" took 3m50s through json-file and 2s with none.
		LogConfig: container.LogConfig{Type: "none"},
		Mounts:    b.mounts,
		Tmpfs:     map[string]string{"/tmp": fmt.Sprintf("rw,nosuid,nodev,noexec,size=%d,mode=1777", l.TmpBytes)},
		ShmSize:   shmBytes,
		Resources: container.Resources{
			Memory:     l.MemoryBytes,
			MemorySwap: l.MemoryBytes, // equal: no swap
			NanoCPUs:   l.NanoCPUs,
			PidsLimit:  &pids,
			Ulimits:    append(ulimits(l), taskUlimits...),
		},
	}
}

// ulimits caps open files, forbids core dumps and caps the size of any single
// file a little above the largest writable place, so that ENOSPC, not
// SIGXFSZ, is what a program filling a volume sees.
func ulimits(l exercises.Limits) []*units.Ulimit {
	fsize := max(l.WorkspaceBytes, l.OutputBytes, l.TmpBytes, l.StateBytes, shmBytes) + outputSlack
	return []*units.Ulimit{
		{Name: "nofile", Soft: openFiles, Hard: openFiles},
		{Name: "core", Soft: 0, Hard: 0},
		{Name: "fsize", Soft: fsize, Hard: fsize},
	}
}

// sandboxEnv is the whole environment a step sees besides the image's own
// ENV: thread caps matching the CPU quota (BLAS would otherwise start one
// thread per host core and hit the pids limit) and Python defaults. Nothing
// comes from the runner's environment.
func sandboxEnv(l exercises.Limits) []string {
	n := strconv.FormatInt(cpuCount(l.NanoCPUs), 10)
	return []string{
		"OMP_NUM_THREADS=" + n,
		"OPENBLAS_NUM_THREADS=" + n,
		"MKL_NUM_THREADS=" + n,
		"NUMEXPR_NUM_THREADS=" + n,
		"PYTHONUNBUFFERED=1",
		"PYTHONDONTWRITEBYTECODE=1",
		"HOME=/tmp",
	}
}

// cpuCount rounds a CPU quota up to whole CPUs, at least one.
func cpuCount(nanoCPUs int64) int64 {
	return max(1, (nanoCPUs+999_999_999)/1_000_000_000)
}

// seccompProfile is Docker's default profile, pinned by the module version in
// go.mod rather than by whatever the daemon ships, as JSON content.
//
// Under gVisor one rule changes. Docker answers clone3 with ENOSYS (its
// flags cannot be inspected), so that glibc falls back to clone, whose flags
// the profile checks. gVisor (runsc 20221219) ignores a rule's errno and
// returns EPERM, and glibc then gives up: every pthread_create fails. So
// clone3 is allowed through to gVisor's kernel, which has no clone3 and
// answers ENOSYS itself (measured); namespaces a later gVisor might create
// through it would be gVisor's own, inside the sandbox.
func seccompProfile(gvisor bool) (string, error) {
	p := seccomp.DefaultProfile()
	if gvisor {
		for i, sc := range p.Syscalls {
			if slices.Equal(sc.Names, []string{"clone3"}) && sc.Action == specs.ActErrno {
				p.Syscalls[i].Action, p.Syscalls[i].ErrnoRet = specs.ActAllow, nil
			}
		}
	}
	b, err := json.Marshal(p)
	if err != nil {
		return "", fmt.Errorf("marshal seccomp profile: %w", err)
	}
	return string(b), nil
}
