package docker

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/mount"

	"takehome/exercises"
	"takehome/grader"
)

// Case 16: cancelling a step kills its container at once; after Close
// nothing of the run is left.
func TestCancel(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		ses := openRun(t, sb, []string{"main"})
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(time.Second, cancel)
		start := time.Now()
		res, err := ses.RunStep(ctx, grader.StepRun{Name: "main", Command: []string{"sleep", "3600"}, Limits: testLimits()})
		if err != nil {
			t.Fatal(err)
		}
		wantVerdict(t, res, grader.VerdictCanceled)
		if took := time.Since(start); took > 6*time.Second {
			t.Errorf("RunStep returned %s after start, 1s after which it was cancelled", took)
		}
		if n := countContainers(t, ses.runID, roleStep); n != 0 {
			t.Errorf("%d step containers left after RunStep returned", n)
		}
	})
}

// A context cancelled before the step starts also ends in canceled.
func TestCancelBeforeStart(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		ses := openRun(t, sb, []string{"main"})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		res, err := ses.RunStep(ctx, grader.StepRun{Name: "main", Command: []string{"true"}, Limits: testLimits()})
		if err != nil {
			t.Fatal(err)
		}
		wantVerdict(t, res, grader.VerdictCanceled)
	})
}

func countContainers(t *testing.T, runID, role string) int {
	t.Helper()
	args := filters.NewArgs(filters.Arg("label", LabelRun+"="+runID), filters.Arg("label", LabelRole+"="+role))
	cs, err := sb.cli.ContainerList(context.Background(), container.ListOptions{All: true, Filters: args})
	if err != nil {
		t.Fatal(err)
	}
	return len(cs)
}

// The workspace holds the submission, is writable and persists from one
// step to the next; each step sees only its own /data and /output.
func TestWorkspacePersists(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		ses := openRun(t, sb, []string{"train", "predict"},
			exercises.File{Name: "src/train.py", Data: []byte("open('/workspace/model.txt', 'w').write(open('/data/x.csv').read())")})
		res := runIn(t, ses, "train", []string{"python3", "src/train.py"}, nil, exercises.File{Name: "x.csv", Data: []byte("42")})
		wantVerdict(t, res, grader.VerdictOK)
		// Python, not ls: coreutils' statx gets EINVAL from gVisor 20221219.
		res = runIn(t, ses, "predict", py(`import os, shutil
shutil.copy("/workspace/model.txt", "/output/pred.txt")
st = os.stat("/workspace/src/train.py")
print("data", len(os.listdir("/data")), "owner", st.st_uid, st.st_gid)`), nil)
		wantVerdict(t, res, grader.VerdictOK)
		if len(res.Outputs) != 1 || string(res.Outputs[0].Data) != "42" {
			t.Errorf("outputs = %+v", res.Outputs)
		}
		wantLog(t, res, "data 0 owner 65534 65534") // predict's /data is empty; files belong to the step user
	})
}

// A frozen step sees the workspace as the steps before it left it and cannot
// change it; what it writes to /tmp and /dev/shm is gone for the next step.
func TestFrozenWorkspace(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		ses := openRun(t, sb, []string{"train", "predict-1", "predict-2"})
		res := runIn(t, ses, "train", sh(`echo model > /workspace/model.txt`), nil)
		wantVerdict(t, res, grader.VerdictOK)
		const remember = `cat /workspace/model.txt; echo /workspace/* /tmp/* /dev/shm/*;
for f in /workspace/cache /workspace/model.txt /tmp/cache /dev/shm/cache; do (echo x > $f) 2>/dev/null && echo "wrote $f"; done;
rm /workspace/model.txt 2>/dev/null || echo "kept model"`
		for _, step := range []string{"predict-1", "predict-2"} {
			res, err := ses.RunStep(context.Background(), grader.StepRun{Name: step, Command: sh(remember), Limits: testLimits(), FrozenWorkspace: true})
			if err != nil {
				t.Fatal(err)
			}
			wantVerdict(t, res, grader.VerdictOK)
			// The listing shows the model and nothing an earlier step left.
			wantLog(t, res, "model\n/workspace/model.txt /tmp/* /dev/shm/*\n", "wrote /tmp/cache", "wrote /dev/shm/cache", "kept model")
			log := res.Log.String()
			if strings.Contains(log, "wrote /workspace") {
				t.Errorf("%s changed the workspace or found an earlier step's cache:\n%s", step, log)
			}
		}
	})
}

// A state volume carries what one step wrote to /state to the next step
// of the same state, and to no other step: a step of another state and a
// step without one start from nothing. What is in /state cannot be run
// (noexec).
func TestStateVolumes(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		ses := openSpec(t, sb, grader.RunSpec{Steps: []string{"a-1", "a-2", "b-1", "plain"}, States: []string{"a", "b"}})
		const week = `import os, shutil, subprocess
if not os.path.isdir("/state"):
    print("no state"); raise SystemExit
print("seen", sorted(os.listdir("/state")))
n = int(open("/state/n").read()) if os.path.exists("/state/n") else 0
open("/state/n", "w").write(str(n + 1))
print("now", n + 1)
shutil.copy("/bin/true", "/state/t"); os.chmod("/state/t", 0o755)
try:
    print("EXECUTED" if subprocess.run(["/state/t"]).returncode == 0 else "refused")
except PermissionError:
    print("refused")`
		run := func(name, state string) string {
			res, err := ses.RunStep(context.Background(), grader.StepRun{Name: name, Command: py(week), Limits: testLimits(), FrozenWorkspace: true, State: state})
			if err != nil {
				t.Fatal(err)
			}
			wantVerdict(t, res, grader.VerdictOK)
			if log := res.Log.String(); strings.Contains(log, "EXECUTED") {
				t.Errorf("%s ran a program from /state:\n%s", name, log)
			}
			return res.Log.String()
		}
		for _, c := range []struct{ step, state, want string }{
			{"a-1", "a", "seen []\nnow 1\n"},
			{"a-2", "a", "seen ['n', 't']\nnow 2\n"},
			{"b-1", "b", "seen []\nnow 1\n"},
			{"plain", "", "no state\n"},
		} {
			if log := run(c.step, c.state); !strings.Contains(log, c.want) {
				t.Errorf("%s: log lacks %q:\n%s", c.step, c.want, log)
			}
		}
	})
}

// A state volume is capped at the run's Limits.StateBytes: a step cannot
// fill the machine through /state.
func TestStateCapped(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		l := testLimits()
		l.StateBytes = 1 << 20
		ses := openSpec(t, sb, grader.RunSpec{Steps: []string{"fill"}, States: []string{"s"}, Limits: l})
		res, err := ses.RunStep(context.Background(), grader.StepRun{Name: "fill", Limits: l, State: "s",
			Command: py(`import os
try:
    with open("/state/big", "wb") as f:
        for _ in range(64):
            f.write(bytes(64 << 10)); f.flush()
except OSError as e:
    print("refused", e.strerror)
print("size", os.path.getsize("/state/big"))`)})
		if err != nil {
			t.Fatal(err)
		}
		wantLog(t, res, "refused No space left on device")
		if log := res.Log.String(); strings.Contains(log, "size 4194304") {
			t.Errorf("/state held 4 MiB past its 1 MiB cap:\n%s", log)
		}
	})
}

// /data holds the step's inputs, read-only. The input belongs to the step's
// user, so only the mount refuses it (EROFS under both runtimes); a new
// file in /data is refused too (EACCES first under gVisor).
func TestDataReadOnly(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		in := exercises.File{Name: "eval/items.jsonl", Data: []byte(`{"id": 1}`)}
		res := runOne(t, sb, py(`import errno
print(open("/data/eval/items.jsonl").read())
for path in ["/data/eval/items.jsonl", "/data/new"]:
    try:
        open(path, "w").write("y"); print(path, "WRITABLE")
    except OSError as e:
        print(path, errno.errorcode[e.errno])`), nil, in)
		wantVerdict(t, res, grader.VerdictOK)
		wantLog(t, res, `{"id": 1}`, "/data/eval/items.jsonl EROFS\n")
		if log := res.Log.String(); strings.Contains(log, "WRITABLE") || !strings.Contains(log, "/data/new E") {
			t.Errorf("a write to /data was not refused:\n%s", log)
		}
	})
}

// No more step containers run at once than Config.MaxContainers.
func TestConcurrencyBound(t *testing.T) {
	t.Parallel()
	s, err := newTestSandbox(2)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	group := randomID()
	peak := watchRunning(t, group)
	var wg sync.WaitGroup
	start := time.Now()
	for range 4 {
		ses := openSpec(t, s, grader.RunSpec{Steps: []string{"main"}, Labels: map[string]string{"takehome.group": group}})
		wg.Go(func() {
			res, err := ses.RunStep(context.Background(), grader.StepRun{Name: "main", Command: []string{"sleep", "2"}, Limits: testLimits()})
			if err != nil || res.Verdict != grader.VerdictOK {
				t.Errorf("step: %v %s", err, res.Verdict)
			}
		})
	}
	wg.Wait()
	if n := peak(); n > 2 || n == 0 {
		t.Errorf("%d step containers ran at once, bound 2", n)
	}
	if took := time.Since(start); took < 4*time.Second {
		t.Errorf("4 steps of 2s under a bound of 2 took only %s", took)
	}
}

// watchRunning polls the engine for running step containers of a group and
// returns a function giving the largest count seen.
func watchRunning(t *testing.T, group string) func() int {
	ctx, cancel := context.WithCancel(context.Background())
	var peak int
	done := make(chan struct{})
	args := filters.NewArgs(filters.Arg("label", "takehome.group="+group), filters.Arg("label", LabelRole+"="+roleStep))
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			cs, err := sb.cli.ContainerList(ctx, container.ListOptions{Filters: args}) // running only
			if err == nil {
				peak = max(peak, len(cs))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	return func() int { cancel(); <-done; return peak }
}

// Reap removes expired objects and those of dead owners of its fleet, and
// keeps live ones and other fleets' unexpired ones.
func TestReap(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	run := "reap-" + randomID()
	past, future := time.Now().Add(-time.Minute), time.Now().Add(time.Hour)
	dead := "dead-" + randomID()
	expired := makeObjects(t, run, Config{Owner: testOwner, Fleet: testOwner}, past)
	orphan := makeObjects(t, run, Config{Owner: dead, Fleet: testOwner}, future)
	live := makeObjects(t, run, Config{Owner: testOwner, Fleet: testOwner}, future)
	otherFleet := makeObjects(t, run, Config{Owner: dead, Fleet: "other-" + randomID()}, future)
	t.Cleanup(func() { _, _ = sb.removeMatching(context.WithoutCancel(ctx), LabelRun+"="+run, nil) })

	n, err := sb.Reap(ctx, func(owner string) bool { return owner != dead })
	if err != nil {
		t.Fatal(err)
	}
	if n < 4 {
		t.Errorf("reaped %d objects, want at least 4", n)
	}
	for name, o := range map[string]objects{"expired": expired, "orphan": orphan} {
		if o.exist(t) {
			t.Errorf("%s objects survived", name)
		}
	}
	for name, o := range map[string]objects{"live": live, "other fleet": otherFleet} {
		if !o.exist(t) {
			t.Errorf("%s objects were reaped", name)
		}
	}
}

// objects are one container and one volume made as a session would.
type objects struct{ container, volume string }

func makeObjects(t *testing.T, run string, cfg Config, expires time.Time) objects {
	t.Helper()
	ctx := context.Background()
	labels := runLabels(nil, run, randomID(), cfg, expires)
	vol, err := sb.createVolume(ctx, labels, 1<<20, false)
	if err != nil {
		t.Fatal(err)
	}
	b := box{image: exercises.PythonImage, cmd: []string{"true"}, limits: withDefaults(testLimits()), env: sandboxEnv(withDefaults(testLimits())), labels: labels, seccomp: sb.seccomp,
		mounts: stepMountsFor(vol)}
	id, err := sb.create(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	return objects{id, vol}
}

func stepMountsFor(vol string) []mount.Mount {
	return []mount.Mount{volumeMount(vol, "/output", false)}
}

func (o objects) exist(t *testing.T) bool {
	t.Helper()
	ctx := context.Background()
	_, cerr := sb.cli.ContainerInspect(ctx, o.container)
	_, verr := sb.cli.VolumeInspect(ctx, o.volume)
	if (cerr == nil) != (verr == nil) {
		t.Errorf("container and volume disagree: %v / %v", cerr, verr)
	}
	return cerr == nil
}

// A dropped wait stream is followed by a new wait (Drone's lesson).
func TestRewaitAfterDroppedStream(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		ses := openRun(t, sb, []string{"main"})
		ctx := context.Background()
		id, err := sb.create(ctx, ses.box([]string{"sleep", "1"}, withDefaults(testLimits()), nil, roleStep))
		if err != nil {
			t.Fatal(err)
		}
		defer sb.remove(ctx, id)
		if err := sb.cli.ContainerStart(ctx, id, container.StartOptions{}); err != nil {
			t.Fatal(err)
		}
		dropped := make(chan error, 1)
		dropped <- errors.New("unexpected EOF")
		select {
		case err := <-sb.waitExit(ctx, id, nil, dropped):
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("no exit seen after the wait stream dropped")
		}
		c, err := sb.cli.ContainerInspect(ctx, id)
		if err != nil || c.State.Running {
			t.Errorf("container still running after waitExit: %v", err)
		}
	})
}

// A missing image is an infrastructure error that says how to fix it.
func TestMissingImage(t *testing.T) {
	t.Parallel()
	runID := newRunID(t)
	_, err := sb.Open(context.Background(), grader.RunSpec{RunID: runID, Image: "takehome/absent:" + randomID(), Steps: []string{"main"}})
	if grader.ErrorCode(err) != grader.CodeUnavailable || !strings.Contains(err.Error(), "runner images build") {
		t.Errorf("err = %v", err)
	}
	assertNoLeftovers(t, runID)
}

// A configured runtime the engine lacks is refused at start-up.
func TestUnknownRuntimeRefused(t *testing.T) {
	t.Parallel()
	_, err := New(Config{Owner: testOwner, Runtime: "no-such-runtime-" + strconv.Itoa(1)})
	if err == nil || !strings.Contains(err.Error(), "no-such-runtime-1") {
		t.Errorf("err = %v", err)
	}
}

// A step name runs once per session, and only if declared.
func TestStepMisuse(t *testing.T) {
	t.Parallel()
	ses := openRun(t, sb, []string{"main"})
	ctx := context.Background()
	run := func(name string) error {
		_, err := ses.RunStep(ctx, grader.StepRun{Name: name, Command: []string{"true"}, Limits: testLimits()})
		return err
	}
	if err := run("main"); err != nil {
		t.Fatal(err)
	}
	if run("main") == nil || run("other") == nil {
		t.Error("a repeated or undeclared step ran")
	}
}
