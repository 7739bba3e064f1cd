package deploy

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// waitGraded waits until every submission is graded, logging progress.
func waitGraded(ctx context.Context, t *testing.T, p *Project, ids []int64) {
	t.Helper()
	q := fmt.Sprintf("SELECT status || ':' || count(*) FROM submissions WHERE id IN (%s) GROUP BY status ORDER BY status", idList(ids))
	last := time.Now()
	for {
		out, err := p.SQL(ctx, q)
		if err == nil && out == fmt.Sprintf("graded:%d", len(ids)) {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("not all graded: %s (%v)", strings.ReplaceAll(out, "\n", " "), err)
		}
		if time.Since(last) > 15*time.Second {
			t.Logf("grading: %s %v", strings.ReplaceAll(out, "\n", " "), err)
			last = time.Now()
		}
		time.Sleep(time.Second)
	}
}

// assertGradedOnce checks the database: each submission has one report, is
// graded with a score, its job completed; no run is left running; and the
// kill made at least one submission run again.
func assertGradedOnce(ctx context.Context, t *testing.T, p *Project, ids []int64) {
	t.Helper()
	out, err := p.SQL(ctx, fmt.Sprintf(`SELECT s.id, s.status, s.score IS NOT NULL,
		(SELECT count(*) FROM reports r WHERE r.submission_id = s.id),
		(SELECT count(*) FROM runs r WHERE r.submission_id = s.id),
		(SELECT count(*) FROM runs r WHERE r.submission_id = s.id AND r.status = 'running'),
		coalesce(j.state::text, 'none')
		FROM submissions s LEFT JOIN river_job j ON j.id = s.job_id
		WHERE s.id IN (%s) ORDER BY s.id`, idList(ids)))
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(out, "\n")
	if len(rows) != len(ids) {
		t.Fatalf("%d rows for %d submissions:\n%s", len(rows), len(ids), out)
	}
	rerun := 0
	for _, r := range rows {
		f := strings.Split(r, "|")
		if len(f) != 7 {
			t.Fatalf("row %q", r)
		}
		if f[1] != "graded" || f[2] != "t" || f[3] != "1" || f[5] != "0" || f[6] != "completed" {
			t.Errorf("submission %s: status %s, scored %s, %s reports, %s runs running, job %s; want graded, scored, 1 report, none running, completed",
				f[0], f[1], f[2], f[3], f[5], f[6])
		}
		if n, _ := strconv.Atoi(f[4]); n > 1 {
			rerun++
		}
	}
	if rerun == 0 {
		t.Error("no submission ran twice: the kill did not land mid-run")
	}
	runs, _ := p.SQL(ctx, fmt.Sprintf("SELECT status || ':' || count(*) FROM runs WHERE submission_id IN (%s) GROUP BY status ORDER BY status", idList(ids)))
	t.Logf("%d submissions graded once each; %d ran more than once; runs by status: %s", len(ids), rerun, strings.ReplaceAll(runs, "\n", " "))
}

// waitNoLeftovers waits for the reapers to remove what the killed worker
// left and checks that no sandbox container or volume of the workers stays
// but one gateway volume per live worker.
func waitNoLeftovers(ctx context.Context, t *testing.T, hostnames []string) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		found, err := Leftovers(ctx, hostnames)
		if err != nil {
			t.Fatal(err)
		}
		var left []string
		gateways := 0
		for _, f := range found {
			if strings.HasPrefix(f, "gateway volume ") {
				gateways++
			} else {
				left = append(left, f)
			}
		}
		if gateways > len(hostnames) {
			left = append(left, fmt.Sprintf("%d gateway volumes for %d workers", gateways, len(hostnames)))
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("left on the engine 90 s after grading: %v", left)
		}
		time.Sleep(time.Second)
	}
}

// assertMetrics scrapes each worker's /metrics (and /healthz) on its port.
func assertMetrics(ctx context.Context, t *testing.T, workers []string) {
	t.Helper()
	for i, w := range workers {
		addr, err := HostAddr(ctx, w, 9090)
		if err != nil {
			t.Fatal(err)
		}
		if code, body, err := Get(ctx, "http://"+addr+"/healthz"); err != nil || code != 200 {
			t.Errorf("worker %d /healthz: %d %s %v", i+1, code, body, err)
		}
		code, body, err := Get(ctx, "http://"+addr+"/metrics")
		if err != nil || code != 200 {
			t.Errorf("worker %d /metrics: %d %v", i+1, code, err)
			continue
		}
		m := Samples(body)
		if m["takehome_runs_total"] < 1 {
			t.Errorf("worker %d: takehome_runs_total %v, want its runs", i+1, m["takehome_runs_total"])
		}
		for _, name := range []string{"takehome_phase_duration_seconds_count", "takehome_queue_depth", "takehome_sandbox_containers"} {
			if _, ok := m[name]; !ok {
				t.Errorf("worker %d: no %s in /metrics", i+1, name)
			}
		}
		t.Logf("worker %d /metrics: takehome_runs_total %v, phases timed %v", i+1, m["takehome_runs_total"], m["takehome_phase_duration_seconds_count"])
	}
}

// diagnose logs the jobs and runs of unfinished submissions.
func diagnose(ctx context.Context, t *testing.T, p *Project) {
	jobs, err := p.SQL(ctx, `SELECT s.id, s.status, j.state, j.attempt, j.max_attempts, j.scheduled_at, j.attempted_by, j.errors::text
		FROM submissions s LEFT JOIN river_job j ON j.id = s.job_id WHERE s.status <> 'graded' ORDER BY s.id`)
	t.Logf("unfinished submissions and their jobs (%v):\n%s", err, jobs)
	runs, err := p.SQL(ctx, `SELECT r.submission_id, r.attempt, r.worker, r.status, r.error FROM runs r
		JOIN submissions s ON s.id = r.submission_id WHERE s.status <> 'graded' ORDER BY r.id`)
	t.Logf("their runs (%v):\n%s", err, runs)
}

// saveLogs writes the services' whole output to a file in dir (default the
// temporary directory).
func saveLogs(ctx context.Context, t *testing.T, p *Project, dir string) {
	logs, _ := p.Compose(ctx, "logs", "--no-color", "--timestamps")
	f, err := os.CreateTemp(dir, p.Name+"-*.log")
	if err != nil {
		t.Log(err)
		return
	}
	defer f.Close()
	_, _ = f.WriteString(logs)
	t.Logf("the services' output: %s", f.Name())
}

func idList(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}
