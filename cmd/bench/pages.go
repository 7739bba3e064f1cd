package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"takehome/exercises"
	"takehome/internal/archive"
)

// Page benchmark settings: wrk with 200 connections against the staff's
// submission list and a report page, with 1,000 graded submissions stored.
const (
	pageSubmissions = 1000
	pageConnections = 200
	pageDuration    = 15 * time.Second
)

// benchPages measures p99 latency and requests per second of the staff
// pages with wrk (Debian's package) against a `runner serve` without
// workers.
func benchPages(ctx context.Context, runner, server string) ([]row, error) {
	if _, err := exec.LookPath("wrk"); err != nil {
		return nil, fmt.Errorf("wrk is not installed (apt-get install wrk): %w", err)
	}
	in, err := start(ctx, runner, server, "--workers", "0")
	defer in.stop(context.WithoutCancel(ctx))
	if err != nil {
		return nil, err
	}
	target, err := seedPages(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	cookie, err := in.staffSession(ctx, runner)
	if err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	var rows []row
	for _, p := range []struct {
		name, path, target string
		conns              int
	}{
		{"submission list (1,000 stored, 50 a page)", "/staff/submissions?sort=score", "p99 < 50 ms, ≥ 2,000 req/s", pageConnections},
		{"report page", fmt.Sprintf("/staff/submissions/%d", target), "p99 < 50 ms", pageConnections},
		// The same list at 20 connections: the latency of one request when
		// it does not queue behind 199 others.
		{"submission list at 20 connections", "/staff/submissions?sort=score", "(reference)", 20},
	} {
		res, err := runWrk(ctx, in.base+p.path, cookie, p.conns)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.name, err)
		}
		note := fmt.Sprintf("wrk -c%d -d%s; %d requests, %d errors", p.conns, pageDuration, res.requests, res.errors)
		rows = append(rows,
			row{p.name + ": p99 latency", fmt.Sprintf("%.1f ms", res.p99ms), p.target, note},
			row{p.name + ": throughput", fmt.Sprintf("%.0f req/s", res.rps), p.target, fmt.Sprintf("p50 %.1f ms, p90 %.1f ms", res.p50ms, res.p90ms)})
	}
	return rows, nil
}

// seedPages stores pageSubmissions graded submissions, each of its own
// invite, with a realistic report; it returns the id of one to open.
func seedPages(ctx context.Context, in *instance) (int64, error) {
	u, _ := url.Parse(in.server)
	u.Path = "/" + in.dbName
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		return 0, err
	}
	defer db.Close()
	body, err := json.Marshal(benchReport())
	if err != nil {
		return 0, err
	}
	stmts := []string{
		`INSERT INTO invites (token_hash, version_id, email, expires_at, attempts)
			SELECT sha256(('bench' || g)::bytea), v.id, 'cand' || g || '@example.com', now() + interval '7 days', 5
			FROM generate_series(1, $1) g, (SELECT id FROM exercise_versions WHERE slug = 'smoke-sum' ORDER BY number LIMIT 1) v`,
		`INSERT INTO submissions (invite_id, version_id, mode, status, archive_sha256, archive_size, score, created_at, graded_at)
			SELECT i.id, i.version_id, CASE WHEN i.id % 3 = 0 THEN 'final' ELSE 'check' END, 'graded', 'x', 0,
				round((random() * 100)::numeric, 1), now() - (i.id || ' minutes')::interval, now()
			FROM invites i WHERE i.email LIKE 'cand%@example.com' ORDER BY i.id LIMIT $1`,
		`INSERT INTO runs (submission_id, attempt, status, started_at, finished_at)
			SELECT id, 1, 'done', now(), now() FROM submissions`,
		`INSERT INTO reports (submission_id, run_id, body)
			SELECT s.id, r.id, jsonb_set($1::jsonb, '{submission_id}', to_jsonb(s.id)) FROM submissions s JOIN runs r ON r.submission_id = s.id`,
	}
	args := [][]any{{pageSubmissions}, {pageSubmissions}, nil, {string(body)}}
	for i, q := range stmts {
		if _, err := db.ExecContext(ctx, q, args[i]...); err != nil {
			return 0, fmt.Errorf("%.60s: %w", q, err)
		}
	}
	var id int64
	if err := db.QueryRowContext(ctx, "SELECT max(id) FROM submissions").Scan(&id); err != nil {
		return 0, err
	}
	archive, err := benchArchive()
	if err != nil {
		return 0, err
	}
	_, err = db.ExecContext(ctx, `INSERT INTO submission_archive_chunks (submission_id, seq, data) VALUES ($1, 0, $2)`, id, archive)
	if err == nil {
		_, err = db.ExecContext(ctx, `UPDATE submissions SET archive_size = $2, archive_sha256 = encode(sha256($3), 'hex') WHERE id = $1`, id, len(archive), archive)
	}
	return id, err
}

// benchReport is a report like a tabular exercise's: metrics with
// intervals, findings, a 200-point curve and two phases with logs.
func benchReport() map[string]any {
	var points []map[string]float64
	for i := range 200 {
		x := float64(i) / 199
		points = append(points, map[string]float64{"x": x, "y": 1 - (1-x)*(1-x)})
	}
	metric := func(name string, v float64) map[string]any {
		return map[string]any{"name": name, "value": v, "low": v - 0.03, "high": v + 0.03, "convention": "higher is better"}
	}
	log := map[string]any{"head": strings.Repeat("epoch 1 loss 0.42\n", 200), "tail": "done\n"}
	return map[string]any{
		"submission_id": 0, "run_id": 0, "exercise": "smoke-sum", "version": 1, "mode": "check",
		"phases": []map[string]any{
			{"step": "learn", "phase": "learn", "verdict": "ok", "wall_ns": 1.5e9, "peak_memory_bytes": 50 << 20, "log": log},
			{"step": "solve", "phase": "solve", "verdict": "ok", "wall_ns": 2e9, "peak_memory_bytes": 80 << 20, "log": log},
		},
		"result": map[string]any{
			"valid": true, "score": 81.5, "headline": metric("auc", 0.86),
			"metrics":  []any{metric("auc", 0.86), metric("average precision", 0.41), metric("brier", 0.08)},
			"findings": []string{"No leaking feature changed the predictions.", "The public and hidden scores differ by 0.01."},
			"charts": []any{map[string]any{"id": "roc", "title": "ROC", "kind": "line", "x_label": "FPR", "y_label": "TPR",
				"series": []any{map[string]any{"name": "model", "points": points}}}},
		},
		"graded_at": time.Now().UTC(),
	}
}

// benchArchive is a small submission archive for the code tree.
func benchArchive() ([]byte, error) {
	var files []exercises.File
	for _, name := range []string{"takehome.yaml", "learn.py", "solve.py", "NOTES.md", "src/features.py", "src/model.py"} {
		files = append(files, exercises.File{Name: name, Data: []byte(strings.Repeat("# "+name+"\n", 40))})
	}
	return archive.Zip(files)
}

// staffSession creates an interviewer, signs in through the login form and
// returns the session cookie as a Cookie header value.
func (in *instance) staffSession(ctx context.Context, runner string) (string, error) {
	out, err := in.runner(ctx, runner, "user", "create", "--role", "interviewer", "--email", "ivy@example.com")
	if err != nil {
		return "", err
	}
	password := regexp.MustCompile(`password:\s+(\S+)`).FindStringSubmatch(out)[1]
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(in.base + "/login")
	if err != nil {
		return "", err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		return "", fmt.Errorf("no CSRF token on the login page")
	}
	resp, err = client.PostForm(in.base+"/login", url.Values{"csrf_token": {string(m[1])}, "email": {"ivy@example.com"}, "password": {password}})
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "takehome_session" {
			return c.Name + "=" + c.Value, nil
		}
	}
	return "", fmt.Errorf("sign-in answered %d without a session", resp.StatusCode)
}

// wrkResult is what runWrk reads from wrk's report.
type wrkResult struct {
	rps                 float64
	p50ms, p90ms, p99ms float64
	requests, errors    int
}

// runWrk runs wrk against url with the session cookie.
func runWrk(ctx context.Context, url, cookie string, conns int) (wrkResult, error) {
	cmd := exec.CommandContext(ctx, "wrk", "-t", "2", "-c", strconv.Itoa(conns), "-d", pageDuration.String(),
		"--latency", "-H", "Cookie: "+cookie, url)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk: %w\n%s", err, out)
	}
	return parseWrk(string(out))
}

// parseWrk reads requests per second, latency percentiles, the request
// count and the errors (socket errors and non-2xx/3xx answers).
func parseWrk(out string) (wrkResult, error) {
	var r wrkResult
	find := func(re string) string {
		if m := regexp.MustCompile(re).FindStringSubmatch(out); m != nil {
			return m[1]
		}
		return ""
	}
	rps, err := strconv.ParseFloat(find(`Requests/sec:\s+([\d.]+)`), 64)
	if err != nil {
		return r, fmt.Errorf("no Requests/sec in wrk output:\n%s", out)
	}
	r.rps = rps
	for _, p := range []struct {
		pct string
		dst *float64
	}{{"50", &r.p50ms}, {"90", &r.p90ms}, {"99", &r.p99ms}} {
		if *p.dst, err = wrkDuration(find(`(?m)^\s+` + p.pct + `%\s+(\S+)`)); err != nil {
			return r, fmt.Errorf("p%s: %w", p.pct, err)
		}
	}
	r.requests, _ = strconv.Atoi(find(`(\d+) requests in`))
	non2xx, _ := strconv.Atoi(find(`Non-2xx or 3xx responses: (\d+)`))
	r.errors = non2xx
	if m := regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`).FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.Atoi(s)
			r.errors += n
		}
	}
	return r, nil
}

// wrkDuration parses wrk's "12.34ms", "1.2s" or "850.00us" in milliseconds.
func wrkDuration(s string) (float64, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("duration %q: %w", s, err)
	}
	return float64(d) / float64(time.Millisecond), nil
}
