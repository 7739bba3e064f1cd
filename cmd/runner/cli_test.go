package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"takehome/grader"
)

func TestEveryCommandHasHelp(t *testing.T) {
	for name := range commands {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append(strings.Fields(name), "--help")
			err := run(context.Background(), args, testEnv(nil), &stdout, &stderr)
			if !errors.Is(err, flag.ErrHelp) {
				t.Fatalf("runner %s --help: %v", name, err)
			}
			if !strings.Contains(stderr.String(), "Usage: runner "+name) {
				t.Errorf("help of %s = %q", name, stderr.String())
			}
		})
	}
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"--help"}, testEnv(nil), &stdout, &stdout); err != nil || !strings.Contains(stdout.String(), "invite create") {
		t.Errorf("runner --help: %v %q", err, stdout.String())
	}
	if err := run(context.Background(), []string{"nope"}, testEnv(nil), &stdout, &stdout); err == nil {
		t.Error("an unknown command succeeded")
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]string{"14d": "336h0m0s", "72h": "72h0m0s", "90m": "1h30m0s"} {
		if d, err := parseDuration(in); err != nil || d.String() != want {
			t.Errorf("parseDuration(%q) = %v, %v; want %s", in, d, err, want)
		}
	}
	for _, bad := range []string{"", "x", "-1d", "-5m", "2w"} {
		if _, err := parseDuration(bad); err == nil {
			t.Errorf("parseDuration(%q) succeeded", bad)
		}
	}
}

func TestConfigMasksPassword(t *testing.T) {
	c := defaultConfig()
	c.DatabaseURL = "postgres://u:s3cret@db/x"
	if s := c.String(); strings.Contains(s, "s3cret") {
		t.Errorf("config prints the password: %s", s)
	}
}

func TestConfigMaxIngest(t *testing.T) {
	parse := func(env string, args ...string) Config {
		t.Helper()
		c := defaultConfig()
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		c.flags(fs, "web")
		getenv := func(k string) string {
			if k == "RUNNER_MAX_INGEST" {
				return env
			}
			return ""
		}
		if err := c.parse(fs, getenv, args); err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := parse(""); c.MaxIngest != 2 {
		t.Errorf("default MaxIngest = %d, want 2", c.MaxIngest)
	}
	if c := parse("3"); c.MaxIngest != 3 {
		t.Errorf("RUNNER_MAX_INGEST=3 gives %d", c.MaxIngest)
	}
	if c := parse("3", "--max-ingest", "5"); c.MaxIngest != 5 {
		t.Errorf("--max-ingest 5 gives %d", c.MaxIngest)
	}
	if err := parse("", "--max-ingest", "0").Validate("web"); err == nil || !strings.Contains(err.Error(), "--max-ingest") {
		t.Errorf("Validate of --max-ingest 0: %v", err)
	}
}

// TestGradeCommand runs the whole pipeline synchronously on a directory
// with real containers.
func TestGradeCommand(t *testing.T) {
	tests := []struct {
		dir, mode string
		valid     bool
		score     float64
		problem   string
	}{
		{"good", "final", true, 100, ""},
		{"wrong", "check", true, 50, ""},
		{"crash", "final", false, 0, "phase solve exited with code 3"},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			out := runCmd(t, testEnv(nil), "grade", "--exercise", "smoke-sum", "--mode", tt.mode, "../../exercises/smoke/testdata/"+tt.dir)
			var rep grader.Report
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("%v in %s", err, out)
			}
			r := rep.Result
			if r.Valid != tt.valid || (tt.valid && *r.Score != tt.score) || (!tt.valid && r.Problems[0] != tt.problem) {
				t.Errorf("result = %+v", r)
			}
			if string(rep.Mode) != tt.mode || !strings.HasPrefix(rep.ImageID, "sha256:") {
				t.Errorf("report mode %s image %q", rep.Mode, rep.ImageID)
			}
		})
	}
}

func TestGradeFailsOnInfraError(t *testing.T) {
	var stdout, stderr bytes.Buffer
	getenv := testEnv(nil)
	t.Setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
	err := run(context.Background(), []string{"grade", "--exercise", "smoke-sum", "../../exercises/smoke/testdata/good"}, getenv, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "docker engine unreachable") {
		t.Fatalf("grade with no engine: %v", err)
	}
	if stdout.Len() != 0 {
		t.Errorf("grade printed a report on an infra error: %s", stdout.String())
	}
}

func TestServeAndWorkerRefuseStaleSchema(t *testing.T) {
	getenv, _, _ := setup(t, nil)
	db := openTestDB(t, getenv)
	if err := db.Exec("DELETE FROM goose_db_version WHERE version_id = (SELECT max(version_id) FROM goose_db_version)").Error; err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"serve", "--addr", "127.0.0.1:0"}, {"worker"}} {
		cmd := args[0]
		var out bytes.Buffer
		// A runner that wrongly starts is stopped by the timeout instead of hanging the test.
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		err := run(ctx, args, getenv, &out, &out)
		cancel()
		if grader.ErrorCode(err) != grader.CodeUnavailable || !strings.Contains(err.Error(), "runner migrate") {
			t.Errorf("%s on a stale schema: %v", cmd, err)
		}
	}
}

// A worker configured for a runtime the engine lacks refuses to start, and
// says how to register gVisor; one configured for runsc starts under it.
func TestWorkerRefusesAMissingRuntime(t *testing.T) {
	getenv, _, _ := setup(t, nil)
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := run(ctx, []string{"worker", "--runtime", "gvisor-not-registered"}, getenv, &out, &out)
	if err == nil || !strings.Contains(err.Error(), `"gvisor-not-registered" is not registered`) || !strings.Contains(err.Error(), "scripts/gvisor.sh") {
		t.Errorf("worker with a missing runtime: %v", err)
	}
}

// TestComposeConfig checks docker-compose.yml is valid and has the services
// the README promises.
func TestComposeConfig(t *testing.T) {
	cmd := exec.Command("docker", "compose", "config", "--services")
	if _, err := exec.LookPath("docker-compose"); err == nil {
		cmd = exec.Command("docker-compose", "config", "--services")
	}
	cmd.Dir = "../.."
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %v\n%s", cmd.Args, err, out)
	}
	for _, svc := range []string{"db", "migrate", "web", "worker"} {
		if !strings.Contains("\n"+string(out), "\n"+svc+"\n") {
			t.Errorf("compose services %q lack %s", out, svc)
		}
	}
}

// TestMalformedEnvironmentIsAnError: a bad RUNNER_* value names the
// variable instead of leaving the default in place.
func TestMalformedEnvironmentIsAnError(t *testing.T) {
	for _, tt := range []struct{ cmd, name, value string }{
		{"worker", "RUNNER_WORKERS", "abc"},
		{"serve", "RUNNER_MAX_UPLOAD_BYTES", "50MB"},
		{"serve", "RUNNER_JOB_TIMEOUT", "soon"},
		{"worker", "RUNNER_RETENTION", "-3d"},
		{"migrate", "RUNNER_SEED", "-1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			getenv := testEnv(map[string]string{tt.name: tt.value, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"})
			err := run(context.Background(), []string{tt.cmd}, getenv, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.name+`="`+tt.value+`"`) {
				t.Fatalf("%s with %s=%s: %v, want an error naming the variable", tt.cmd, tt.name, tt.value, err)
			}
		})
	}
}

// TestConfigCommandPrintsEffectiveSettings: flags beat the environment,
// which beats the defaults, and the password is masked.
func TestConfigCommandPrintsEffectiveSettings(t *testing.T) {
	getenv := testEnv(map[string]string{
		"RUNNER_DATABASE_URL": "postgres://u:s3cret@db/x", "RUNNER_WORKERS": "7", "RUNNER_MAX_CONTAINERS": "3",
	})
	var out strings.Builder
	if err := run(context.Background(), []string{"config", "--max-containers", "9", "--retention", "14d"}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{"workers            7\n", "max_containers     9\n", "retention          336h0m0s\n", "postgres://u:xxxxx@db/x"} {
		if !strings.Contains(s, want) {
			t.Errorf("config output lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "s3cret") {
		t.Errorf("config prints the password:\n%s", s)
	}
}

// A version whose phases call models needs the gateway, hence the
// database: runner grade says so instead of failing mid-run.
func TestGradeRefusesAVersionWithModels(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"grade", "--exercise", "rag-support", "../../exercises/rag/references/bm25-chunked"}, testEnv(nil), &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "gateway, which needs the database") {
		t.Fatalf("err = %v", err)
	}
}
