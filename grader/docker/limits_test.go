package docker

import (
	"bufio"
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"takehome/exercises"
	"takehome/grader"
)

// Case 1: a fork bomb is held at the pids limit and ends at the deadline;
// the run's holder and other runs are unaffected.
func TestForkBomb(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		const bomb = `import os, time
if os.fork() == 0:
    while True:
        try:
            os.fork()
        except OSError:
            time.sleep(0.01)
time.sleep(3)
print("pids", sum(1 for d in os.listdir("/proc") if d.isdigit()), flush=True)
time.sleep(3600)`
		ses := openRun(t, sb, []string{"bomb", "after"})
		res := runIn(t, ses, "bomb", py(bomb), func(l *exercises.Limits) { l.Pids = 48; l.Timeout = 6 * time.Second; l.MemoryBytes = 1 << 30 })
		if sb.runtime.gvisor {
			// gVisor holds the bomb at 48 tasks (RLIMIT_NPROC), but its ptrace
			// platform leaks host threads on every refused fork (measured:
			// about 500 a second on an idle machine) until the cgroup's
			// backstop stops the whole sandbox: an early exit that says so,
			// or the deadline when the machine is too busy to leak that fast.
			if res.Verdict != grader.VerdictExitNonzero && res.Verdict != grader.VerdictTimeout {
				t.Fatalf("verdict %s (%s), want exit_nonzero or timeout", res.Verdict, res.Reason)
			}
		} else {
			wantVerdict(t, res, grader.VerdictTimeout)
			if n := logInt(t, res, "pids"); n > 48 {
				t.Errorf("%d processes seen, pids limit 48", n)
			}
		}
		if !strings.Contains(res.Reason, "the process limit of 48 was reached") {
			t.Errorf("reason %q does not name the process limit", res.Reason)
		}
		wantVerdict(t, runIn(t, ses, "after", sh("echo alive"), nil), grader.VerdictOK)
	})
}

// Case 1: a thread bomb hits the pids limit (threads count) and fails.
func TestThreadBomb(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		const bomb = `import threading, time
while True:
    threading.Thread(target=time.sleep, args=(60,), daemon=True).start()`
		res := runOne(t, sb, py(bomb), func(l *exercises.Limits) { l.Pids = 32 })
		wantVerdict(t, res, grader.VerdictExitNonzero)
		wantLog(t, res, "can't start new thread")
	})
}

// Case 2: a memory bomb is OOM-killed inside its container only: the run's
// holder survives and the next step works.
func TestMemoryBomb(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		ses := openRun(t, sb, []string{"bomb", "after"})
		res := runIn(t, ses, "bomb", py(memProbe), func(l *exercises.Limits) { l.MemoryBytes = 128 << 20 })
		wantVerdict(t, res, grader.VerdictOOMKilled)
		if res.PeakMemory > 128<<20+64<<10 { // the kernel may charge a page past the limit before the kill
			t.Errorf("peak memory %d above the 128 MiB limit", res.PeakMemory)
		}
		wantVerdict(t, runIn(t, ses, "after", sh("echo alive"), nil), grader.VerdictOK)
	})
}

// Exit code 137 by itself is exit_nonzero, not oom_killed (Drone's lesson).
func TestExit137IsNotOOM(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		res := runOne(t, sb, sh("exit 137"), nil)
		wantVerdict(t, res, grader.VerdictExitNonzero)
		if res.ExitCode != 137 {
			t.Errorf("exit code %d, want 137", res.ExitCode)
		}
	})
}

// Case 3: filling /tmp, /dev/shm, the workspace and the output stops at
// each cap; a full output ends the step with output_limit.
func TestFillCaps(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		const fill = `import os, errno
for path in ["/tmp/fill", "/dev/shm/fill", "/workspace/fill", "/output/fill"]:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    what = "NOLIMIT"
    try:
        for _ in range(1024):
            os.write(fd, b"x" * (1 << 20))
    except OSError as e:
        what = errno.errorcode[e.errno]
    print(path, os.fstat(fd).st_size, what, flush=True)
    os.close(fd)
    if path != "/output/fill":
        os.remove(path)`
		res := runOne(t, sb, py(fill), nil)
		wantVerdict(t, res, grader.VerdictOutputLimit)
		l := testLimits()
		caps := map[string]int64{"/tmp/fill": l.TmpBytes, "/dev/shm/fill": shmBytes,
			"/workspace/fill": l.WorkspaceBytes, "/output/fill": l.OutputBytes + outputSlack}
		for path, limit := range caps {
			if n := logInt(t, res, path); n > limit || n < limit/2 {
				t.Errorf("%s: wrote %d bytes, cap %d", path, n, limit)
			}
			wantLog(t, res, path+" ") // and every line says ENOSPC:
		}
		if got := strings.Count(res.Log.String(), "ENOSPC"); got != 4 {
			t.Errorf("%d of 4 writes stopped with ENOSPC", got)
		}
	})
}

// Case 5: 10 GB on stdout stops at the stdout cap; the runner keeps head and
// tail only and its heap stays flat.
func TestStdoutFlood(t *testing.T) {
	eachRuntimeInTurn(t, func(t *testing.T, sb *Sandbox) {
		limit := int64(512 << 20)
		if sb.runtime.gvisor {
			limit = 128 << 20 // gVisor's ptrace platform moves a pipe about 10x slower
		}
		heap := watchHeap(t)
		res := runOne(t, sb, sh("yes | head -c 10000000000"), func(l *exercises.Limits) { l.StdoutBytes = limit })
		wantVerdict(t, res, grader.VerdictOutputLimit)
		if res.Log.Dropped < limit-(12<<20) || len(res.Log.Head)+len(res.Log.Tail) > int(testLimits().LogBytes) {
			t.Errorf("log kept %d+%d bytes, dropped %d", len(res.Log.Head), len(res.Log.Tail), res.Log.Dropped)
		}
		heap.check(64 << 20)
	})
}

// Case 5: one 1 GiB line without a newline passes through with flat memory
// and is cut to head and tail with a marker.
func TestHugeLine(t *testing.T) {
	eachRuntimeInTurn(t, func(t *testing.T, sb *Sandbox) {
		size := int64(1 << 30)
		if sb.runtime.gvisor {
			size = 256 << 20 // gVisor's ptrace platform moves a pipe about 10x slower
		}
		heap := watchHeap(t)
		res := runOne(t, sb, sh(fmt.Sprintf("head -c %d /dev/zero | tr '\\0' x", size)), func(l *exercises.Limits) { l.StdoutBytes = 2 << 30 })
		wantVerdict(t, res, grader.VerdictOK)
		kept := int64(len(res.Log.Head) + len(res.Log.Tail))
		if res.Log.Dropped != size-kept || !strings.Contains(res.Log.String(), "bytes dropped ...]") {
			t.Errorf("kept %d, dropped %d", kept, res.Log.Dropped)
		}
		heap.check(64 << 20)
	})
}

// Case 6: a busy loop on every core is throttled to its CPU quota, and a
// concurrent run still finishes well within its deadline. The CPU time is
// the container cgroup's, as the host counts it (gVisor's own clock inside
// the sandbox counts time a task waits for the host as running).
func TestBusyLoop(t *testing.T) {
	eachRuntimeInTurn(t, func(t *testing.T, sb *Sandbox) {
		const spin = `import os, time, multiprocessing as mp
def spin(end):
    while time.time() < end:
        pass
end = time.time() + 6
ps = [mp.Process(target=spin, args=(end,)) for _ in range(os.cpu_count())]
[p.start() for p in ps]
[p.join() for p in ps]
print("cores", os.cpu_count())`
		var wg sync.WaitGroup
		var busy grader.StepResult
		wg.Go(func() { busy = runOne(t, sb, py(spin), nil) })
		time.Sleep(2 * time.Second)
		other := runOne(t, sb, py("print(sum(range(10**7)))"), func(l *exercises.Limits) { l.Timeout = 10 * time.Second })
		wg.Wait()
		wantVerdict(t, other, grader.VerdictOK)
		wantVerdict(t, busy, grader.VerdictOK)
		cpus := busy.CPU.Seconds() / busy.Wall.Seconds()
		t.Logf("%d spinning processes used %s of CPU in %s: %.2f CPUs", runtime.NumCPU(), busy.CPU, busy.Wall, cpus)
		if busy.CPU == 0 || cpus > 1.25 {
			t.Errorf("busy loop used %s of CPU in %s on a 1-CPU quota", busy.CPU, busy.Wall)
		}
	})
}

// Case 7: a process ignoring SIGTERM and sleeping forever is killed at the
// deadline.
func TestSleepForever(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		const sleeper = `import signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
time.sleep(3600)`
		res := runOne(t, sb, py(sleeper), func(l *exercises.Limits) { l.Timeout = 2 * time.Second })
		wantVerdict(t, res, grader.VerdictTimeout)
		if res.Wall > 7*time.Second {
			t.Errorf("killed after %s, deadline 2s", res.Wall)
		}
	})
}

// logInt reads the integer after key on the log line starting with key.
func logInt(t *testing.T, res grader.StepResult, key string) int64 {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(res.Log.String()))
	for sc.Scan() {
		var k string
		var n int64
		if _, err := fmt.Sscan(sc.Text(), &k, &n); err == nil && k == key {
			return n
		}
	}
	t.Fatalf("no %q line in log:\n%s", key, res.Log)
	return 0
}

// heapWatch samples the test process's heap while a step runs.
type heapWatch struct {
	t    *testing.T
	base uint64
	peak uint64
	stop context.CancelFunc
	done chan struct{}
}

func watchHeap(t *testing.T) *heapWatch {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	ctx, cancel := context.WithCancel(context.Background())
	h := &heapWatch{t: t, base: m.HeapInuse, peak: m.HeapInuse, stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(h.done)
		for ctx.Err() == nil {
			runtime.ReadMemStats(&m)
			h.peak = max(h.peak, m.HeapInuse)
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return h
}

// check fails when the heap grew by more than limit while watched.
func (h *heapWatch) check(limit uint64) {
	h.t.Helper()
	h.stop()
	<-h.done
	h.t.Logf("heap in use: base %d MiB, peak %d MiB", h.base>>20, h.peak>>20)
	if h.peak-h.base > limit {
		h.t.Errorf("heap grew by %d MiB, limit %d MiB", (h.peak-h.base)>>20, limit>>20)
	}
}

// A phase shorter than the engine's one-second stats interval still reports
// its peak: 200 MB held for a moment, then a quick exit.
func TestPeakMemoryOfShortPhase(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		const hold = `import time
b = bytearray(200 << 20)
for i in range(0, len(b), 4096):
    b[i] = 1
time.sleep(0.2)`
		res := runOne(t, sb, py(hold), nil)
		wantVerdict(t, res, grader.VerdictOK)
		if res.PeakMemory < 200<<20 {
			t.Errorf("peak memory %d, want at least 200 MiB", res.PeakMemory)
		}
	})
}
