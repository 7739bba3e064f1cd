package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"takehome/deploy"
	"takehome/internal/archive"
)

// composeRun is one worker configuration of the compose deployment and
// what it measured.
type composeRun struct {
	containers, slots int           // worker containers, --workers of each
	took              time.Duration // first run's start to last report, database clock
	cores             float64       // host CPU in use meanwhile, in cores
}

// benchCompose brings docker-compose.yml up (scripts/compose.sh, offline
// images) and times 40 queued submissions of the same archive with one
// worker container, then two, each working one job at a time, and for
// reference one container working two at once.
func benchCompose(ctx context.Context) (rows []row, err error) {
	const n = 40
	p, err := deploy.NewProject(".", "takehome-bench")
	if err != nil {
		return nil, err
	}
	defer func() {
		if derr := p.Down(context.WithoutCancel(ctx), 30*time.Second); derr != nil && err == nil {
			err = derr
		}
	}()
	begin := time.Now()
	if err := p.Up(ctx, 0, 1); err != nil {
		return nil, err
	}
	up := time.Since(begin)
	web, invite, data, err := composeClient(ctx, p)
	if err != nil {
		return nil, err
	}
	runs := []*composeRun{{containers: 1, slots: 1}, {containers: 2, slots: 1}, {containers: 1, slots: 2}}
	for _, r := range runs {
		if err := r.measure(ctx, p, web, invite, data, n); err != nil {
			return nil, err
		}
	}
	one, two, ref := runs[0], runs[1], runs[2]
	return []row{
		one.row(n, "compose: 40 submissions, 1 worker container", "", "--workers 1: 1 job slot"),
		two.row(n, "compose: 40 submissions, 2 worker containers", "", "--workers 1 each: 2 job slots"),
		{"compose: scaling, 2 containers / 1", fmt.Sprintf("%.2f", one.took.Seconds()/two.took.Seconds()), ">= 1.6",
			fmt.Sprintf("ideal 2.0 on %d cores; web, PostgreSQL and dockerd share them", runtime.NumCPU())},
		ref.row(n, "compose: 40 submissions, 1 container, 2 slots", "(reference)", "--workers 2 in one container"),
		{"compose: build and up (cached images)", up.Round(100 * time.Millisecond).String(), "", "scripts/compose.sh up -d --build: binary, images, db, migrate"},
	}, nil
}

func (r *composeRun) row(n int, name, target, config string) row {
	return row{name, fmt.Sprintf("%.0f /min", float64(n)/r.took.Minutes()), target,
		fmt.Sprintf("%s; %d in %s (first run start to last report); host CPU busy %.2f of %d cores",
			config, n, r.took.Round(100*time.Millisecond), r.cores, runtime.NumCPU())}
}

// composeClient waits for the web server and returns its URL, an invite
// with attempts to spare and the archive every submission uploads.
func composeClient(ctx context.Context, p *deploy.Project) (web, invite string, data []byte, err error) {
	id, err := p.Container(ctx, "web")
	if err != nil {
		return "", "", nil, err
	}
	addr, err := deploy.HostAddr(ctx, id, 8080)
	if err != nil {
		return "", "", nil, err
	}
	web = "http://" + addr
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := deploy.WaitOK(wctx, web+"/readyz"); err != nil {
		return "", "", nil, err
	}
	inv, err := p.CreateInvite(ctx, "smoke-sum", "bench@example.com", 500)
	if err != nil {
		return "", "", nil, err
	}
	files, err := archive.ReadDir("exercises/smoke/testdata/good", archive.DefaultLimits())
	if err != nil {
		return "", "", nil, err
	}
	data, err = archive.TarGz(files)
	return web, inv.Token, data, err
}

// measure queues n submissions with no worker running, starts r's workers,
// waits for all to be graded and stops the workers again.
func (r *composeRun) measure(ctx context.Context, p *deploy.Project, web, invite string, data []byte, n int) error {
	var ids []string
	for range n {
		id, err := deploy.Submit(ctx, web, invite, data)
		if err != nil {
			return err
		}
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	list := strings.Join(ids, ",")
	if err := p.Scale(ctx, r.containers, r.slots); err != nil {
		return err
	}
	cpu := readCPU()
	deadline := time.Now().Add(10 * time.Minute)
	for {
		out, err := p.SQL(ctx, "SELECT count(*) FROM submissions WHERE status = 'graded' AND id IN ("+list+")")
		if err != nil {
			return err
		}
		if out == strconv.Itoa(n) {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d containers x %d slots: %s of %d graded after 10 minutes", r.containers, r.slots, out, n)
		}
		time.Sleep(time.Second)
	}
	r.cores = readCPU().coresSince(cpu)
	if err := p.Scale(ctx, 0, r.slots); err != nil {
		return err
	}
	out, err := p.SQL(ctx, "SELECT extract(epoch FROM max(s.graded_at) - min(r.started_at)) FROM submissions s JOIN runs r ON r.submission_id = s.id WHERE s.id IN ("+list+")")
	if err != nil {
		return err
	}
	secs, err := strconv.ParseFloat(out, 64)
	if err != nil {
		return fmt.Errorf("graded span %q: %w", out, err)
	}
	r.took = time.Duration(secs * float64(time.Second))
	return nil
}

// cpuTimes is the host's CPU time from /proc/stat, in ticks.
type cpuTimes struct{ busy, total uint64 }

// readCPU reads the aggregate line of /proc/stat; zero where unreadable.
func readCPU() cpuTimes {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return cpuTimes{}
	}
	line, _, _ := strings.Cut(string(data), "\n")
	var t cpuTimes
	for i, f := range strings.Fields(line)[1:] {
		v, _ := strconv.ParseUint(f, 10, 64)
		t.total += v
		if i != 3 && i != 4 { // idle, iowait
			t.busy += v
		}
	}
	return t
}

// coresSince returns the cores busy on average since t0.
func (t cpuTimes) coresSince(t0 cpuTimes) float64 {
	if t.total <= t0.total {
		return 0
	}
	return float64(t.busy-t0.busy) / float64(t.total-t0.total) * float64(runtime.NumCPU())
}
