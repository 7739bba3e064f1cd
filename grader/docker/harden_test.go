package docker

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/google/go-cmp/cmp"

	"takehome/exercises"
)

// TestHardening pins every setting of SANDBOX.md's container list.
func TestHardening(t *testing.T) {
	t.Parallel()
	profile, err := seccompProfile(false)
	if err != nil {
		t.Fatal(err)
	}
	l := withDefaults(exercises.Limits{MemoryBytes: 128 << 20, NanoCPUs: 1_500_000_000, Pids: 99, TmpBytes: 5 << 20,
		WorkspaceBytes: 7 << 20, OutputBytes: 3 << 20})
	mounts := []mount.Mount{volumeMount("ws", "/workspace", false), volumeMount("in", "/data", true)}
	b := box{image: "sha256:abc", cmd: []string{"python3", "x.py"}, limits: l, mounts: mounts, env: sandboxEnv(l),
		labels: map[string]string{LabelRun: "r1"}, runtime: runtimeInfo{name: "runc"}, seccomp: profile}
	hc, cc := hostConfig(b), containerConfig(b)

	tests := []struct {
		name      string
		got, want any
	}{
		{"network none", string(hc.NetworkMode), "none"},
		{"network disabled", cc.NetworkDisabled, true},
		{"cap drop all", []string(hc.CapDrop), []string{"ALL"}},
		{"no cap add", len(hc.CapAdd), 0},
		{"no-new-privileges", hc.SecurityOpt[0], "no-new-privileges:true"},
		{"seccomp is JSON content", strings.HasPrefix(hc.SecurityOpt[1], "seccomp={"), true},
		{"not privileged", hc.Privileged, false},
		{"no devices", len(hc.Devices) + len(hc.DeviceRequests) + len(hc.DeviceCgroupRules), 0},
		{"no ports", len(hc.PortBindings) + len(cc.ExposedPorts), 0},
		{"no publish all", hc.PublishAllPorts, false},
		{"no host namespaces", []string{string(hc.PidMode), string(hc.UTSMode), string(hc.UsernsMode), string(hc.CgroupnsMode)}, []string{"", "", "", ""}},
		{"private ipc", string(hc.IpcMode), "private"},
		{"no binds", len(hc.Binds) + len(hc.VolumesFrom), 0},
		{"only named volumes", mountTypes(hc.Mounts), []string{"volume"}},
		{"data read-only", hc.Mounts[1].ReadOnly, true},
		{"read-only root", hc.ReadonlyRootfs, true},
		{"user", cc.User, "65534:65534"},
		{"memory", hc.Memory, int64(128 << 20)},
		{"no swap", hc.MemorySwap, hc.Memory},
		{"nano cpus", hc.NanoCPUs, int64(1_500_000_000)},
		{"pids", *hc.PidsLimit, int64(99)},
		{"ulimits", ulimitMap(hc), map[string]int64{"nofile": openFiles, "core": 0, "fsize": shmBytes + outputSlack}},
		{"init", *hc.Init, true},
		{"no auto remove", hc.AutoRemove, false},
		{"no restart", hc.RestartPolicy.Name, container.RestartPolicyDisabled},
		{"no daemon-side log", hc.LogConfig, container.LogConfig{Type: "none"}},
		{"tmp tmpfs", hc.Tmpfs, map[string]string{"/tmp": "rw,nosuid,nodev,noexec,size=5242880,mode=1777"}},
		{"shm", hc.ShmSize, int64(shmBytes)},
		{"runtime: the engine's default", hc.Runtime, ""},
		{"masked paths left to docker", hc.MaskedPaths == nil && hc.ReadonlyPaths == nil, true},
		{"env", cc.Env, []string{"OMP_NUM_THREADS=2", "OPENBLAS_NUM_THREADS=2", "MKL_NUM_THREADS=2", "NUMEXPR_NUM_THREADS=2",
			"PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1", "HOME=/tmp"}},
		{"workdir", cc.WorkingDir, "/workspace"},
		{"argv is the entrypoint", append(slices.Clone([]string(cc.Entrypoint)), cc.Cmd...), []string{"python3", "x.py"}},
		{"no stdin", cc.OpenStdin || cc.AttachStdin || cc.Tty, false},
		{"labels", cc.Labels, map[string]string{LabelRun: "r1"}},
		{"image pinned by id", cc.Image, "sha256:abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Under gVisor the step's tasks are capped by RLIMIT_NPROC inside the
// sandbox and the pids cgroup leaves room for gVisor's own threads; every
// other setting is the same as under runc.
func TestHardeningUnderGVisor(t *testing.T) {
	t.Parallel()
	l := withDefaults(exercises.Limits{Pids: 99})
	runc := box{image: "sha256:abc", cmd: []string{"true"}, limits: l, runtime: runtimeInfo{name: "runc", configured: true}}
	gvisor := runc
	gvisor.runtime = runtimeInfo{name: "gvisor-ptrace", configured: true, gvisor: true}
	rc, gv := hostConfig(runc), hostConfig(gvisor)
	if rc.Runtime != "runc" || gv.Runtime != "gvisor-ptrace" {
		t.Errorf("runtimes %q and %q, want the configured names", rc.Runtime, gv.Runtime)
	}
	if *rc.PidsLimit != 99 || *gv.PidsLimit != gvisorPidsBase+gvisorPidsPerTask*99 {
		t.Errorf("pids limits runc %d, gVisor %d", *rc.PidsLimit, *gv.PidsLimit)
	}
	// A holder mounting many volumes needs room for their gofer threads.
	runc.mounts, gvisor.mounts = make([]mount.Mount, 45), make([]mount.Mount, 45)
	if rc, gv := hostConfig(runc), hostConfig(gvisor); *rc.PidsLimit != 99 || *gv.PidsLimit != gvisorPidsBase+gvisorPidsPerTask*99+gvisorPidsPerMount*45 {
		t.Errorf("pids limits runc %d, gVisor %d", *rc.PidsLimit, *gv.PidsLimit)
	}
	if _, ok := ulimitMap(rc)["nproc"]; ok {
		t.Error("runc containers get RLIMIT_NPROC, which counts the whole host's uid 65534")
	}
	if n := ulimitMap(gv)["nproc"]; n != 99 {
		t.Errorf("gVisor nproc = %d, want 99", n)
	}
	rc.PidsLimit, gv.PidsLimit, rc.Ulimits, gv.Ulimits, rc.Runtime, gv.Runtime = nil, nil, nil, nil, "", ""
	if diff := cmp.Diff(rc, gv); diff != "" {
		t.Errorf("other settings differ under gVisor (-runc +gvisor):\n%s", diff)
	}
}

func mountTypes(ms []mount.Mount) []string {
	var types []string
	for _, m := range ms {
		if !slices.Contains(types, string(m.Type)) {
			types = append(types, string(m.Type))
		}
	}
	return types
}

func ulimitMap(hc *container.HostConfig) map[string]int64 {
	m := map[string]int64{}
	for _, u := range hc.Ulimits {
		if u.Soft != u.Hard {
			m[u.Name] = -1
			continue
		}
		m[u.Name] = u.Hard
	}
	return m
}

// TestSeccompProfile checks the pinned profile denies by default and knows
// the syscalls it must refuse to unprivileged code.
func TestSeccompProfile(t *testing.T) {
	t.Parallel()
	type rule struct {
		Names    []string `json:"names"`
		Action   string   `json:"action"`
		ErrnoRet *uint    `json:"errnoRet"`
	}
	var profiles [2]struct {
		DefaultAction string `json:"defaultAction"`
		Syscalls      []rule `json:"syscalls"`
	}
	for i, gvisor := range []bool{false, true} {
		profile, err := seccompProfile(gvisor)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(profile), &profiles[i]); err != nil {
			t.Fatal(err)
		}
		if profiles[i].DefaultAction != "SCMP_ACT_ERRNO" {
			t.Errorf("gvisor=%v: default action %q, want SCMP_ACT_ERRNO", gvisor, profiles[i].DefaultAction)
		}
	}
	// The gVisor variant differs in one rule: clone3 goes through to
	// gVisor's kernel instead of getting ENOSYS from the filter.
	runc, gvisor := profiles[0].Syscalls, profiles[1].Syscalls
	var differ []string
	for i := range runc {
		if !cmp.Equal(runc[i], gvisor[i]) {
			differ = append(differ, fmt.Sprintf("%v %s -> %s", runc[i].Names, runc[i].Action, gvisor[i].Action))
		}
	}
	if want := []string{"[clone3] SCMP_ACT_ERRNO -> SCMP_ACT_ALLOW"}; len(runc) != len(gvisor) || !slices.Equal(differ, want) {
		t.Errorf("profiles differ in %q, want %q", differ, want)
	}
}

func TestWithDefaults(t *testing.T) {
	t.Parallel()
	got := withDefaults(exercises.Limits{Timeout: time.Second, Pids: -1})
	want := exercises.DefaultLimits()
	want.Timeout, want.StateBytes = time.Second, defaultStateBytes
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
