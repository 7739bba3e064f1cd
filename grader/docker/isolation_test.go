package docker

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"takehome/exercises"
	"takehome/grader"
)

// Case 4: the root filesystem, site-packages and the inputs are read-only.
func TestReadOnlyPlaces(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		const write = `import errno, os, numpy
site = os.path.dirname(os.path.dirname(numpy.__file__))
for path in ["/evil", "/usr/bin/evil", site + "/evil.py", "/data/evil", "/var/tmp/evil", "/data/in.csv"]:
    try:
        open(path, "a").write("x"); print(path, "WRITABLE")
    except OSError as e:
        print(path, errno.errorcode[e.errno])`
		res := runOne(t, sb, py(write), nil, exercises.File{Name: "in.csv", Data: []byte("a,b\n")})
		wantVerdict(t, res, grader.VerdictOK)
		// /var/tmp (world-writable in the image) and /data/in.csv (the step
		// user's) are protected by the read-only mounts alone: EROFS under
		// every runtime. The other paths are root's; gVisor checks the
		// permission first and says EACCES, Linux checks the mount first.
		refused := map[bool]string{false: " EROFS\n", true: " EACCES\n"}[sb.runtime.gvisor]
		wantLog(t, res, "/var/tmp/evil EROFS\n", "/data/in.csv EROFS\n")
		if got := strings.Count(res.Log.String(), refused); got != 4+map[bool]int{false: 2, true: 0}[sb.runtime.gvisor] {
			t.Errorf("writes to root's paths were not all refused with%s", refused)
		}
		if strings.Contains(res.Log.String(), "WRITABLE") {
			t.Error("a read-only place was written")
		}
	})
}

// Case 8: a daemonised grandchild dies with the container: it stops writing
// to the shared workspace, and no such process is left on the host.
func TestDaemonisedGrandchild(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		ses := openRun(t, sb, []string{"spawn", "check"})
		spawn := sh(`setsid sh -c 'while :; do echo beat >> /workspace/beat; sleep 0.1; done; sleep 31337' </dev/null >/dev/null 2>&1 &
sleep 0.5; echo spawned`)
		res := runIn(t, ses, "spawn", spawn, nil)
		wantVerdict(t, res, grader.VerdictOK)
		if res.Wall > 5*time.Second {
			t.Errorf("step took %s: the grandchild kept it alive", res.Wall)
		}
		res = runIn(t, ses, "check", sh(`a=$(wc -l < /workspace/beat); sleep 1; b=$(wc -l < /workspace/beat); echo beats $a $b`), nil)
		wantVerdict(t, res, grader.VerdictOK)
		if f := strings.Fields(res.Log.String()); len(f) != 3 || f[1] != f[2] || f[1] == "0" {
			t.Errorf("the grandchild outlived its container: %q", res.Log.String())
		}
		if hostHasProcess(t, "31337") {
			t.Error("a process of the step is still running on the host")
		}
	})
}

// hostHasProcess looks for a process whose command line mentions s; the
// tests run beside the daemon, so the host's /proc shows containers' ones.
func hostHasProcess(t *testing.T, s string) bool {
	t.Helper()
	cmdlines, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range cmdlines {
		b, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(b), s) && !strings.Contains(string(b), "go") {
			return true
		}
	}
	return false
}

// Case 9: DNS, TCP, UDP and IPv6 all fail; the only interface is loopback.
func TestNoNetwork(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		res := runOne(t, sb, py(netProbe), nil)
		wantVerdict(t, res, grader.VerdictOK)
		wantLog(t, res, "dns blocked", "tcp blocked", "udp blocked", "tcp6 blocked", "interfaces=[lo]")
		if strings.Contains(res.Log.String(), "OPEN") {
			t.Error("a connection went through")
		}
	})
}

// Case 10: no Docker socket, no host files, only the expected mounts.
func TestNoHostAccess(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		hostFile := filepath.Join(t.TempDir(), "host-only")
		if err := os.WriteFile(hostFile, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		const look = `import os, sys
for p in ["/var/run/docker.sock", "/run/docker.sock", "/run/containerd", "/var/lib/docker", sys.argv[1]]:
    print("path", p, "present" if os.path.exists(p) else "absent")
for line in open("/proc/self/mountinfo"):
    print("mount", line.split()[4])`
		res := runOne(t, sb, append(py(look), hostFile), nil)
		wantVerdict(t, res, grader.VerdictOK)
		if strings.Contains(res.Log.String(), "present") {
			t.Errorf("host paths visible:\n%s", res.Log)
		}
		for _, line := range strings.Split(res.Log.String(), "\n") {
			if m, ok := strings.CutPrefix(line, "mount "); ok && !expectedMount(m) {
				t.Errorf("unexpected mount %s", m)
			}
		}
	})
}

// expectedMount lists what Docker itself mounts plus our three volumes.
func expectedMount(m string) bool {
	fixed := []string{"/", "/tmp", "/workspace", "/data", "/output", "/etc/resolv.conf", "/etc/hostname",
		"/etc/hosts", "/sbin/docker-init", "/usr/sbin/docker-init", "/dev", "/proc", "/sys"}
	return slices.Contains(fixed, m) || strings.HasPrefix(m, "/proc/") ||
		strings.HasPrefix(m, "/sys/") || strings.HasPrefix(m, "/dev/")
}

// The environment is the allowlist plus the image's own ENV and HOSTNAME:
// nothing of the runner's environment leaks in.
func TestEnvAllowlist(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		img, err := sb.cli.ImageInspect(context.Background(), exercises.PythonImage)
		if err != nil {
			t.Fatal(err)
		}
		allowed := map[string]bool{"HOSTNAME": true}
		for _, kv := range append(sandboxEnv(testLimits()), img.Config.Env...) {
			allowed[strings.SplitN(kv, "=", 2)[0]] = true
		}
		res := runOne(t, sb, py(`import os; [print("env", k) for k in os.environ]`), nil)
		wantVerdict(t, res, grader.VerdictOK)
		for _, line := range strings.Split(res.Log.String(), "\n") {
			if k, ok := strings.CutPrefix(line, "env "); ok && !allowed[k] {
				t.Errorf("unexpected variable %s", k)
			}
		}
		wantLog(t, res, "env OMP_NUM_THREADS")
	})
}

// Case 11: a hidden value given to the runner (as a container label and in
// the runner's environment) is nowhere a step can look: env, /proc, mounts,
// and the writable or configuration parts of the filesystem.
func TestHiddenValuesAbsent(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		const hunt = `import os, sys
needles = [sys.argv[1] + sys.argv[2], sys.argv[3] + sys.argv[4]]
def check(path):
    try:
        data = open(path, "rb").read(1 << 20).decode("latin-1")
    except OSError:
        return
    for n in needles:
        if n in data:
            print("FOUND", n, "in", path)
for pid in [d for d in os.listdir("/proc") if d.isdigit()]:
    for f in ["environ", "cmdline", "mountinfo", "cgroup"]:
        check("/proc/%s/%s" % (pid, f))
for top in ["/etc", "/workspace", "/data", "/output", "/tmp", "/run", "/var", "/home", "/root", "/opt", "/srv"]:
    for root, dirs, files in os.walk(top):
        for f in files:
            check(os.path.join(root, f))
print("hunt done")`
		label := "label-" + randomID()
		ses := openSpec(t, sb, grader.RunSpec{Steps: []string{"main"}, Labels: map[string]string{"takehome.answer": label}})
		// Each needle is passed in two halves, so the step's own argv does not
		// contain it.
		cmd := append(py(hunt), label[:4], label[4:], secretValue[:4], secretValue[4:])
		res := runIn(t, ses, "main", cmd, nil)
		wantVerdict(t, res, grader.VerdictOK)
		wantLog(t, res, "hunt done")
		if strings.Contains(res.Log.String(), "FOUND") {
			t.Errorf("hidden value visible:\n%s", res.Log)
		}
	})
}

// Case 12: privilege escalation is denied: no capabilities, no new
// privileges, no setuid binaries, su, unshare and mount fail, and no
// device can be reached through mknod (runc refuses the mknod; gVisor makes
// the node in its own kernel, where opening it finds no device).
func TestNoPrivilegeEscalation(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		const try = `grep -E '^(CapEff|CapBnd|Seccomp):' /proc/self/status
python3 -c 'import ctypes; print("NoNewPrivs=%d" % ctypes.CDLL(None).prctl(39, 0, 0, 0, 0))'

su -c id root </dev/null >/dev/null 2>&1; echo "su rc=$?"
unshare -r id >/dev/null 2>&1; echo "unshare rc=$?"
mount -t tmpfs none /tmp >/dev/null 2>&1; echo "mount rc=$?"
(mknod /tmp/mem c 1 1 && head -c 1 /tmp/mem) >/dev/null 2>&1; echo "device rc=$?"
python3 -c 'import os; os.setuid(0)' >/dev/null 2>&1; echo "setuid rc=$?"
echo "setuid files $(find / -xdev -perm /6000 -type f 2>/dev/null | wc -l)"`
		res := runOne(t, sb, sh(try), nil)
		wantVerdict(t, res, grader.VerdictOK)
		wantLog(t, res, "CapEff:\t0000000000000000", "CapBnd:\t0000000000000000", "NoNewPrivs=1", "Seccomp:\t2",
			"su rc=1", "unshare rc=1", "mount rc=", "device rc=1", "setuid rc=1", "setuid files 0")
		if strings.Contains(res.Log.String(), "mount rc=0") {
			t.Error("mount succeeded")
		}
	})
}
