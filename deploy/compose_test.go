package deploy

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"takehome/exercises"
	"takehome/internal/archive"
)

const submissions = 20

// TestComposeFaults brings the compose deployment up with two worker
// containers, submits 20 submissions through the web API and, while they
// grade, kills a worker mid-phase (and starts it again), cuts the other off
// the database network for 30 s, and restarts the database. Every
// submission must end graded exactly once, nothing of the sandboxes may
// stay on the engine, and each worker's /metrics must show its runs.
func TestComposeFaults(t *testing.T) {
	requireDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	clock := newStopwatch()
	p, err := NewProject("..", "takehome-deploy", "docker-compose.yml", "deploy/testdata/faults.yml")
	if err != nil {
		t.Fatal(err)
	}
	var hostnames []string // of the worker containers, for their sandbox objects
	t.Cleanup(func() { teardown(t, p, &hostnames, clock) })

	if err := p.Up(ctx, 2, 2); err != nil {
		t.Fatal(err)
	}
	clock.lap("build and up: images, database, migrate, sandbox images, web, 2 workers x 2 slots")
	for _, one := range []string{"migrate", "images"} {
		took, err := p.Took(ctx, one)
		t.Logf("one-shot %s ran %s %v", one, took.Round(100*time.Millisecond), err)
	}
	web, workers := ready(ctx, t, p)
	for _, w := range workers {
		h, err := Hostname(ctx, w)
		if err != nil {
			t.Fatal(err)
		}
		hostnames = append(hostnames, h)
	}
	ids := submitAll(ctx, t, p, web)
	clock.lap(fmt.Sprintf("%d submissions accepted", submissions))

	victim, cutOff := workers[0], workers[1]
	killMidPhase(ctx, t, victim, hostnames[0])
	clock.lap("worker 1 killed mid-phase, started again and ready")
	cutOffDatabase(ctx, t, p, cutOff, 30*time.Second)
	clock.lap("worker 2 cut off from the database network for 30 s, reconnected")
	restartDatabase(ctx, t, p)
	clock.lap("database restarted and healthy")

	waitGraded(ctx, t, p, ids)
	clock.lap("all graded")
	assertGradedOnce(ctx, t, p, ids)
	gradeWithModels(ctx, t, p, web)
	clock.lap("a rag-support submission graded with model calls through the gateway")
	waitNoLeftovers(ctx, t, hostnames)
	clock.lap("no sandbox container or volume left")
	assertMetrics(ctx, t, workers)
}

// requireDocker fails the test in CI (CI=true) and skips it elsewhere when
// the engine or compose is missing.
func requireDocker(t *testing.T) {
	t.Helper()
	why := ""
	if out, err := exec.Command("docker", "version", "--format", "{{.Server.Version}}").CombinedOutput(); err != nil {
		why = fmt.Sprintf("the Docker engine does not answer: %v %s", err, out)
	} else if exec.Command("docker", "compose", "version").Run() != nil && exec.Command("docker-compose", "version").Run() != nil {
		why = "neither `docker compose` nor docker-compose is installed"
	}
	if why == "" {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal(why)
	}
	t.Skip(why)
}

// ready waits for the web server and both workers to be ready and returns
// the web server's base URL and the worker containers.
func ready(ctx context.Context, t *testing.T, p *Project) (string, []string) {
	t.Helper()
	webID, err := p.Container(ctx, "web")
	if err != nil {
		t.Fatal(err)
	}
	addr, err := HostAddr(ctx, webID, 8080)
	if err != nil {
		t.Fatal(err)
	}
	web := "http://" + addr
	if err := waitOK(ctx, web+"/readyz", time.Minute); err != nil {
		t.Fatal(err)
	}
	workers, err := p.Containers(ctx, "worker")
	if err != nil || len(workers) != 2 {
		t.Fatalf("worker containers: %v %v", workers, err)
	}
	for _, w := range workers {
		waitWorkerReady(ctx, t, w)
	}
	return web, workers
}

// waitWorkerReady waits for a worker's /readyz on its published port.
func waitWorkerReady(ctx context.Context, t *testing.T, worker string) {
	t.Helper()
	addr, err := HostAddr(ctx, worker, 9090)
	if err != nil {
		t.Fatal(err)
	}
	if err := waitOK(ctx, "http://"+addr+"/readyz", time.Minute); err != nil {
		t.Fatal(err)
	}
}

func waitOK(ctx context.Context, url string, within time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	return WaitOK(ctx, url)
}

// submitAll creates an admin and an invite with the runner CLI in the web
// container and submits the slow submission 20 times as the candidate.
func submitAll(ctx context.Context, t *testing.T, p *Project, web string) []int64 {
	t.Helper()
	if _, err := p.CreateAdmin(ctx, "admin@example.com"); err != nil {
		t.Fatal(err)
	}
	inv, err := p.CreateInvite(ctx, "smoke-sum", "candidate@example.com", 2*submissions)
	if err != nil {
		t.Fatal(err)
	}
	// Other packages' tests on this engine find their sandboxes by
	// submission id alone (label takehome.submission): keep ours apart.
	start := 1_000_000 + time.Now().UnixNano()%8_000_000
	if _, err := p.SQL(ctx, fmt.Sprintf("ALTER TABLE submissions ALTER COLUMN id RESTART WITH %d", start)); err != nil {
		t.Fatal(err)
	}
	data := slowSubmission(t)
	var ids []int64
	for range submissions {
		id, err := Submit(ctx, web, inv.Token, data)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// gradeWithModels submits rag-support's embed-rerank-generate reference
// after the faults (one worker restarted, the other's gateway volume reaped
// while it was cut off) and checks its phases called models through a
// worker's gateway.
func gradeWithModels(ctx context.Context, t *testing.T, p *Project, web string) {
	t.Helper()
	inv, err := p.CreateInvite(ctx, "rag-support", "ai-candidate@example.com", 2)
	if err != nil {
		t.Fatal(err)
	}
	files, err := archive.ReadDir("../exercises/rag/references/embed-rerank-generate", archive.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	data, err := archive.TarGz(files)
	if err != nil {
		t.Fatal(err)
	}
	id, err := Submit(ctx, web, inv.Token, data)
	if err != nil {
		t.Fatal(err)
	}
	waitGraded(ctx, t, p, []int64{id})
	calls, err := p.SQL(ctx, fmt.Sprintf(`SELECT c.phase || ':' || count(*) FROM llm_calls c JOIN runs r ON r.id = c.run_id
		WHERE r.submission_id = %d AND c.status = 'ok' GROUP BY c.phase ORDER BY c.phase`, id))
	t.Logf("model calls of submission %d: %s (%v)", id, strings.ReplaceAll(calls, "\n", " "), err)
	if err != nil || !strings.Contains(calls, "index:") || !strings.Contains(calls, "query:") {
		t.Errorf("submission %d made no model calls in both phases: %q %v", id, calls, err)
	}
}

// slowSubmission is smoke-sum's good submission with a learn phase that
// takes 3 s longer, so that a kill lands mid-phase.
func slowSubmission(t *testing.T) []byte {
	t.Helper()
	files, err := archive.ReadDir("../exercises/smoke/testdata/good", archive.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		if f.Name == "takehome.yaml" {
			files[i] = exercises.File{Name: f.Name, Data: []byte("phases:\n  learn: sleep 3 && python3 learn.py\n  solve: python3 solve.py\n")}
		}
	}
	data, err := archive.TarGz(files)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// teardown logs what went wrong when the test failed, saves the services'
// output then or when DEPLOY_LOGS names a directory, removes what the
// workers left on the engine and brings the project down.
func teardown(t *testing.T, p *Project, hostnames *[]string, clock *stopwatch) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if t.Failed() {
		diagnose(ctx, t, p)
	}
	if dir := os.Getenv("DEPLOY_LOGS"); dir != "" || t.Failed() {
		saveLogs(ctx, t, p, dir)
	}
	if err := RemoveLeftovers(ctx, *hostnames); err != nil {
		t.Errorf("remove leftovers: %v", err)
	}
	if err := p.Down(ctx, 20*time.Second); err != nil {
		t.Errorf("down: %v", err)
	}
	clock.lap("down -v")
	t.Logf("timings:\n%s", clock)
}

// stopwatch records named laps.
type stopwatch struct {
	start, last time.Time
	laps        []string
}

func newStopwatch() *stopwatch {
	now := time.Now()
	return &stopwatch{start: now, last: now}
}

func (s *stopwatch) lap(name string) {
	now := time.Now()
	s.laps = append(s.laps, fmt.Sprintf("  %7s  %7s  %s", now.Sub(s.last).Round(100*time.Millisecond), now.Sub(s.start).Round(100*time.Millisecond), name))
	s.last = now
}

func (s *stopwatch) String() string {
	return "     lap    total\n" + strings.Join(s.laps, "\n")
}
