package docker

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"takehome/exercises"
	"takehome/grader"
)

// testOwner labels everything these tests create, as owner and as fleet:
// other runners' reapers on the same daemon leave it alone until expiry.
var testOwner = fmt.Sprintf("test-%d", os.Getpid())

// A sentinel secret in the runner's environment (see TestMain).
const (
	secretEnv   = "TAKEHOME_TEST_SECRET"
	secretValue = "s3cr3t-sentinel-5b1d"
)

// sb is the sandbox shared by the tests (runc); tests that need other
// settings build their own.
var sb *Sandbox

// runtimes are the OCI runtimes every hostile case of SANDBOX.md runs under,
// with one sandbox each: the engine's runc and gVisor's runsc (registered
// by scripts/gvisor.sh). A runtime the engine lacks fails the package.
var (
	runtimes  = []string{"runc", "runsc"}
	sandboxes = map[string]*Sandbox{}
)

// eachRuntime runs f once per runtime, as parallel subtests.
func eachRuntime(t *testing.T, f func(t *testing.T, s *Sandbox)) {
	for _, rt := range runtimes {
		t.Run(rt, func(t *testing.T) {
			t.Parallel()
			f(t, sandboxes[rt])
		})
	}
}

// eachRuntimeInTurn runs f once per runtime, one after the other, for the
// cases that measure the host (heap, CPU) while they run.
func eachRuntimeInTurn(t *testing.T, f func(t *testing.T, s *Sandbox)) {
	for _, rt := range runtimes {
		t.Run(rt, func(t *testing.T) { f(t, sandboxes[rt]) })
	}
}

// TestMain fails the package (never skips) without a daemon or an image; it
// builds the image from the offline base when only that is present.
func TestMain(m *testing.M) {
	// A secret in the runner's environment that must never reach a step.
	os.Setenv(secretEnv, secretValue)
	if err := ensureImage(); err != nil {
		fmt.Fprintln(os.Stderr, "sandbox tests:", err)
		os.Exit(1)
	}
	gw, err := startTestGateway()
	if err != nil {
		fmt.Fprintln(os.Stderr, "sandbox tests: the stand-in gateway:", err)
		os.Exit(1)
	}
	testGW, testGWDir = &Gateway{Volume: gw.volume, Shim: gw.shim}, gw.dir
	for _, rt := range runtimes {
		s, err := newRuntimeSandbox(4, rt)
		if err != nil {
			fmt.Fprintln(os.Stderr, "sandbox tests:", err)
			os.Exit(1)
		}
		sandboxes[rt] = s
	}
	sb = sandboxes["runc"]
	code := m.Run()
	for _, s := range sandboxes {
		_ = s.Close()
	}
	gw.close()
	os.Exit(code)
}

func newTestSandbox(maxContainers int) (*Sandbox, error) {
	return newRuntimeSandbox(maxContainers, "")
}

// testGW gives the tests' sandboxes a stand-in model gateway (gateway_test.go),
// listening in testGWDir.
var (
	testGW    *Gateway
	testGWDir string
)

func newRuntimeSandbox(maxContainers int, runtime string) (*Sandbox, error) {
	return newGatewaySandbox(maxContainers, runtime, testGW)
}

func newGatewaySandbox(maxContainers int, runtime string, gw *Gateway) (*Sandbox, error) {
	level := slog.LevelWarn
	if os.Getenv("SANDBOX_DEBUG") != "" {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	return New(Config{MaxContainers: maxContainers, Owner: testOwner, Fleet: testOwner, Runtime: runtime, Logger: log, RunTTL: time.Hour, Gateway: gw})
}

func ensureImage() error {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	if _, ok, err := ImagePresent(ctx, exercises.PythonImage); err != nil || ok {
		return err
	}
	const base = "takehome/base-offline:bookworm"
	if _, ok, err := ImagePresent(ctx, base); err != nil || !ok {
		return fmt.Errorf("image %s and its offline base %s are missing: run scripts/offline-base.sh (err: %w)", exercises.PythonImage, base, err)
	}
	fmt.Fprintf(os.Stderr, "building %s from %s\n", exercises.PythonImage, base)
	b, offline := base, "1"
	_, err := BuildImage(ctx, "../../images/python", exercises.PythonImage, map[string]*string{"BASE": &b, "OFFLINE": &offline})
	return err
}

// testLimits are small limits that keep the tests fast on two cores.
func testLimits() exercises.Limits {
	return exercises.Limits{
		MemoryBytes:    256 << 20,
		NanoCPUs:       1_000_000_000,
		Pids:           64,
		Timeout:        30 * time.Second,
		LogBytes:       64 << 10,
		StdoutBytes:    8 << 20,
		OutputBytes:    4 << 20,
		OutputFiles:    20,
		TmpBytes:       8 << 20,
		WorkspaceBytes: 16 << 20,
	}
}

func sh(script string) []string { return []string{"sh", "-c", script} }

func newRunID(t *testing.T) string {
	return fmt.Sprintf("%s-%s", strings.ReplaceAll(t.Name(), "/", "-"), randomID())
}

// openRun opens a session with the given steps and closes it (then checks
// for leftovers) when the test ends.
func openRun(t *testing.T, s *Sandbox, steps []string, workspace ...exercises.File) *session {
	t.Helper()
	return openSpec(t, s, grader.RunSpec{Workspace: workspace, Steps: steps})
}

// openSpec fills in the run id, image, limits and a test label.
func openSpec(t *testing.T, s *Sandbox, spec grader.RunSpec) *session {
	t.Helper()
	runID := newRunID(t)
	ctx := context.Background()
	spec.RunID, spec.Image = runID, exercises.PythonImage
	if spec.Limits == (exercises.Limits{}) {
		spec.Limits = testLimits()
	}
	if spec.Labels == nil {
		spec.Labels = map[string]string{"takehome.test": "1"}
	}
	ses, err := s.Open(ctx, spec)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		if err := ses.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
		}
		assertNoLeftovers(t, runID)
	})
	return ses.(*session)
}

// runOne runs one step in a fresh session with testLimits changed by edit.
func runOne(t *testing.T, s *Sandbox, cmd []string, edit func(*exercises.Limits), inputs ...exercises.File) grader.StepResult {
	t.Helper()
	return runIn(t, openRun(t, s, []string{"main"}), "main", cmd, edit, inputs...)
}

// runIn runs one step of an open session.
func runIn(t *testing.T, ses *session, name string, cmd []string, edit func(*exercises.Limits), inputs ...exercises.File) grader.StepResult {
	t.Helper()
	l := testLimits()
	if edit != nil {
		edit(&l)
	}
	res, err := ses.RunStep(context.Background(), grader.StepRun{Name: name, Command: cmd, Inputs: inputs, Limits: l})
	if err != nil {
		t.Fatalf("run step: %v", err)
	}
	t.Logf("verdict=%s reason=%q exit=%d wall=%s peak=%d\n%s", res.Verdict, res.Reason, res.ExitCode, res.Wall, res.PeakMemory, res.Log)
	return res
}

func assertNoLeftovers(t *testing.T, runID string) {
	t.Helper()
	c, v, err := sb.Leftovers(context.Background(), runID)
	if err != nil {
		t.Fatalf("leftovers: %v", err)
	}
	if c != 0 || v != 0 {
		t.Errorf("run %s left %d containers and %d volumes", runID, c, v)
	}
}

// wantLog fails unless the step's kept log contains every s.
func wantLog(t *testing.T, res grader.StepResult, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(res.Log.String(), w) {
			t.Errorf("log lacks %q:\n%s", w, res.Log)
		}
	}
}

func wantVerdict(t *testing.T, res grader.StepResult, want grader.Verdict) {
	t.Helper()
	if res.Verdict != want {
		t.Fatalf("verdict = %s (%s), want %s; log:\n%s", res.Verdict, res.Reason, want, res.Log)
	}
}
