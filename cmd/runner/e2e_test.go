package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"log/slog"

	"takehome/grader"
	"takehome/internal/archive"
	"takehome/internal/pgtest"
	"takehome/internal/postgres"
)

// testEnv is a getenv over a fixed map; workers find the llm shim
// TestMain built unless the map says otherwise.
func testEnv(vars map[string]string) func(string) string {
	return func(k string) string {
		if v, ok := vars[k]; ok || k != "RUNNER_LLM_SHIM" {
			return v
		}
		return testShim
	}
}

// runCmd runs a runner command in process and returns its stdout.
func runCmd(t *testing.T, getenv func(string) string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), args, getenv, &stdout, &stderr); err != nil {
		t.Fatalf("runner %s: %v\nstderr:\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// setup seeds a fresh database and returns its env, an admin API token and
// a candidate invite token.
func setup(t *testing.T, extra map[string]string) (getenv func(string) string, staff, invite string) {
	t.Helper()
	vars := map[string]string{"DATABASE_URL": pgtest.URL(t), "RUNNER_REAP_EVERY": "3s"}
	for k, v := range extra {
		vars[k] = v
	}
	getenv = testEnv(vars)
	runCmd(t, getenv, "seed")
	out := runCmd(t, getenv, "user", "create", "--role", "admin", "--email", "admin@example.com")
	m := regexp.MustCompile(`api token: (\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no api token in %q", out)
	}
	var inv struct{ Token, URL string }
	if err := json.Unmarshal([]byte(runCmd(t, getenv, "invite", "create", "--exercise", "smoke-sum", "--email", "cand@example.com", "--attempts", "5")), &inv); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(inv.URL, inv.Token) {
		t.Fatalf("invite url %q does not carry the token", inv.URL)
	}
	return getenv, m[1], inv.Token
}

// startServe runs `runner serve` in process on a free port until the test
// ends, and returns its base URL.
func startServe(t *testing.T, getenv func(string) string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), getenv, pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(90 * time.Second):
			t.Error("serve did not stop within 90s of cancellation")
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("serve did not start: %v", err)
	}
	go io.Copy(io.Discard, pr)
	return strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
}

// submissionArchive packs a testdata submission as tar.gz.
func submissionArchive(t *testing.T, name string) []byte {
	t.Helper()
	files, err := archive.ReadDir("../../exercises/smoke/testdata/"+name, archive.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	data, err := archive.TarGz(files)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// api sends a request with a bearer token and decodes the JSON answer.
func api(t *testing.T, method, url, token string, body io.Reader, contentType string, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, url, err, raw)
		}
	}
	return resp.StatusCode
}

// submit uploads an archive and returns the new submission's id.
func submit(t *testing.T, base, invite, mode string, data []byte) int64 {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("mode", mode)
	fw, _ := mw.CreateFormFile("archive", "submission.tar.gz")
	fw.Write(data)
	mw.Close()
	var sub struct{ ID int64 }
	if code := api(t, "POST", base+"/api/v1/submissions", invite, &body, mw.FormDataContentType(), &sub); code != http.StatusAccepted {
		t.Fatalf("POST submission: status %d", code)
	}
	return sub.ID
}

// waitStatus polls a submission until it reaches want.
func waitStatus(t *testing.T, base, token string, id int64, want string, within time.Duration) map[string]any {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		var got map[string]any
		api(t, "GET", fmt.Sprintf("%s/api/v1/submissions/%d", base, id), token, nil, "", &got)
		if got["status"] == want {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("submission %d: status %v after %s, want %s", id, got["status"], within, want)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// assertNoLeftovers fails if any container or volume of the submission remains.
func assertNoLeftovers(t *testing.T, submissionID int64) {
	t.Helper()
	for _, l := range leftovers(t, submissionID) {
		t.Errorf("leftover %s", l)
	}
}

// leftovers lists the containers (running or not) and volumes of a
// submission.
func leftovers(t *testing.T, submissionID int64) []string {
	t.Helper()
	filter := fmt.Sprintf("label=takehome.submission=%d", submissionID)
	var found []string
	for _, args := range [][]string{{"ps", "-aq", "--filter", filter}, {"volume", "ls", "-q", "--filter", filter}} {
		out, err := exec.Command("docker", args...).CombinedOutput()
		if err != nil {
			t.Fatalf("docker %v: %v %s", args, err, out)
		}
		for _, id := range strings.Fields(string(out)) {
			found = append(found, args[0]+" "+id)
		}
	}
	return found
}

func TestEndToEndOverHTTP(t *testing.T) {
	getenv, staff, invite := setup(t, nil)
	base := startServe(t, getenv, "--workers", "2")

	// A self-check: the candidate sees the report of a run on public data.
	check := submit(t, base, invite, "check", submissionArchive(t, "good"))
	got := waitStatus(t, base, invite, check, "graded", 2*time.Minute)
	if !strings.Contains(fmt.Sprint(got), "accuracy") {
		t.Errorf("check-mode status lacks the report: %v", got)
	}

	// A final submission: the candidate sees its status only.
	final := submit(t, base, invite, "final", submissionArchive(t, "wrong"))
	got = waitStatus(t, base, invite, final, "graded", 2*time.Minute)
	for _, hidden := range []string{"result", "score", "phases", "report"} {
		if _, ok := got[hidden]; ok {
			t.Errorf("final-mode status shows %q to the candidate: %v", hidden, got)
		}
	}

	// Staff read the reports.
	var rep struct {
		ImageID string `json:"image_id"`
		Result  struct {
			Valid bool
			Score float64
		}
		Phases []struct{ Step, Verdict string }
	}
	if code := api(t, "GET", fmt.Sprintf("%s/api/v1/submissions/%d/report", base, final), staff, nil, "", &rep); code != 200 {
		t.Fatalf("GET report: status %d", code)
	}
	if !rep.Result.Valid || rep.Result.Score != 50 || len(rep.Phases) != 2 || !strings.HasPrefix(rep.ImageID, "sha256:") {
		t.Errorf("final report = %+v, want valid, score 50 (half the sums off by one), 2 phases, an image id", rep)
	}
	if code := api(t, "GET", fmt.Sprintf("%s/api/v1/submissions/%d/report", base, check), staff, nil, "", &rep); code != 200 || rep.Result.Score != 100 {
		t.Errorf("check report: status %d, %+v; want score 100", code, rep)
	}
	for _, id := range []int64{check, final} {
		assertNoLeftovers(t, id)
	}

	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`takehome_runs_total{outcome="graded"} 2`, "takehome_queue_depth", "takehome_phase_duration_seconds_count"} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// testShim is the llm shim built for this package's workers, in process
// (testEnv) and as processes (the environment).
var testShim string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "llm-shim")
	if err == nil {
		testShim = filepath.Join(dir, "llm-shim")
		err = buildShim(testShim)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "build the llm shim:", err)
		os.Exit(1)
	}
	os.Setenv("RUNNER_LLM_SHIM", testShim)
	pgtest.Main(m)
}

// buildShim builds the static llm shim to path.
func buildShim(path string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-o", path, "takehome/cmd/llm-shim")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%w\n%s", err, out)
	}
	return nil
}

// listRuns reads a submission's runs straight from the database.
func listRuns(t *testing.T, getenv func(string) string, submissionID int64) []grader.Run {
	t.Helper()
	runs, err := postgres.NewStore(openTestDB(t, getenv), nil).ListRuns(context.Background(), submissionID)
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

// openTestDB opens the test database through the store's own Open.
func openTestDB(t *testing.T, getenv func(string) string) *gorm.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), getenv("DATABASE_URL"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	return db
}
