package docker

import (
	"strings"
	"time"

	"takehome/exercises"
	"takehome/grader"
)

// Probe scripts. Network probes aim at documentation addresses (RFC 5737,
// RFC 3849): with no network nothing leaves, and if something did it would
// reach no one.
const (
	netProbe = `import socket, os
def t(name, f):
    try:
        f(); print(name, "OPEN")
    except OSError as e:
        print(name, "blocked")
t("dns", lambda: socket.getaddrinfo("example.com", 80))
t("tcp", lambda: socket.create_connection(("192.0.2.1", 80), timeout=3))
t("udp", lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("192.0.2.1", 53)))
t("tcp6", lambda: socket.create_connection(("2001:db8::1", 80), timeout=3))
print("interfaces=[%s]" % ",".join(sorted(os.listdir("/sys/class/net"))))
`
	// rootProbe writes into /var/tmp, which the image leaves world-writable:
	// only the read-only root can refuse it, so the errno is EROFS under
	// any runtime (a root-owned directory gives EACCES first under gVisor).
	rootProbe = `import errno
try:
    open("/var/tmp/probe", "w"); print("writable")
except OSError as e:
    print(errno.errorcode[e.errno])`
	// privProbe asks prctl for no_new_privs: gVisor's /proc/self/status has
	// no NoNewPrivs line.
	privProbe = `import ctypes
s = dict(l.split(":\t", 1) for l in open("/proc/self/status").read().splitlines() if ":\t" in l)
nnp = ctypes.CDLL(None, use_errno=True).prctl(39, 0, 0, 0, 0)  # PR_GET_NO_NEW_PRIVS
print("CapEff=%s NoNewPrivs=%d Seccomp=%s" % (s["CapEff"].strip(), nnp, s["Seccomp"].strip()))`
	memProbe = `keep = []
while True:
    keep.append(b"x" * (8 << 20))`
	pidsProbe = `import threading, time
n = 0
try:
    while True:
        threading.Thread(target=time.sleep, args=(30,), daemon=True).start(); n += 1
except RuntimeError:
    print("threads capped at", n)`
)

func doctorProbes(rt runtimeInfo) []probe {
	return []probe{
		{name: "runtime", cmd: kernelProbe, judge: rt.judgeKernel},
		{name: "network", cmd: py(netProbe), judge: func(r grader.StepResult) (bool, string) {
			ok, detail := okWith("interfaces=[lo]")(r)
			return ok && !contains(r, "OPEN"), detail
		}},
		{name: "read-only root", cmd: py(rootProbe), judge: okWith("EROFS")},
		{name: "non-root user", cmd: py(`import os; print("uid=%d gid=%d" % (os.getuid(), os.getgid()))`), judge: okWith("uid=65534 gid=65534")},
		{name: "no privileges", cmd: py(privProbe), judge: okWith("CapEff=0000000000000000 NoNewPrivs=1 Seccomp=2")},
		{name: "memory limit", cmd: py(memProbe), edit: func(l *exercises.Limits) { l.MemoryBytes = 64 << 20 }, judge: endsWith(grader.VerdictOOMKilled)},
		{name: "pids limit", cmd: py(pidsProbe), edit: func(l *exercises.Limits) { l.Pids = 32 }, judge: okWith("threads capped at")},
		{name: "time limit", cmd: []string{"sleep", "3600"}, edit: func(l *exercises.Limits) { l.Timeout = 2 * time.Second }, judge: endsWith(grader.VerdictTimeout)},
		{name: "log limit", cmd: []string{"yes"}, edit: func(l *exercises.Limits) { l.StdoutBytes = 256 << 10 }, judge: func(r grader.StepResult) (bool, string) {
			ok, detail := endsWith(grader.VerdictOutputLimit)(r)
			return ok && r.Log.Dropped > 0, detail
		}},
	}
}

// py runs a Python script as argv, no shell involved.
func py(script string) []string { return []string{"python3", "-c", script} }

func contains(r grader.StepResult, s string) bool {
	return strings.Contains(r.Log.Head, s) || strings.Contains(r.Log.Tail, s)
}
