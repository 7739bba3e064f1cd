// Package gatewaytest gives tests the real model gateway: on a Unix socket
// in a bind-backed named volume, over a real PostgreSQL store, with the
// llm shim built from this repository, and a Docker sandbox whose steps
// reach it. The test package must call pgtest.Main from its TestMain.
package gatewaytest

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"takehome/exercises"
	"takehome/gateway"
	"takehome/grader"
	"takehome/grader/docker"
	"takehome/internal/pgtest"
	"takehome/internal/postgres"
)

// Rig is a gateway and a sandbox whose steps may call it.
type Rig struct {
	Store   *postgres.Store
	Grants  *gateway.Grants
	Sandbox *docker.Sandbox
}

// New starts a gateway on the test package's database and a sandbox of
// runtime ("" for the engine's default) whose steps reach it; both stop
// when the test ends.
func New(t testing.TB, runtime string) *Rig {
	t.Helper()
	store := postgres.NewStore(pgtest.DB(t), NoQueue{})
	dir, err := os.MkdirTemp("", "takehome-gw-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) }) // a leftover temp dir harms nothing
	sockDir := filepath.Join(dir, "sock")
	if err := os.Mkdir(sockDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	serve(t, store, filepath.Join(sockDir, "llm.sock"))
	volume := "takehome-test-gw-" + filepath.Base(dir)
	if err := docker.CreateGatewayVolume(context.Background(), volume, sockDir, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = docker.RemoveGatewayVolume(context.Background(), volume) })
	owner := "gateway-test-" + filepath.Base(dir)
	sb, err := docker.New(docker.Config{Owner: owner, Fleet: owner, Runtime: runtime, RunTTL: time.Hour, MaxContainers: 2,
		Gateway: &docker.Gateway{Volume: volume, Shim: Shim(t)}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	return &Rig{Store: store, Grants: &gateway.Grants{Store: store}, Sandbox: sb}
}

// serve runs the gateway on a socket the sandbox user may connect to.
func serve(t testing.TB, store *postgres.Store, sock string) {
	t.Helper()
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(sock, 0o666); err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: gateway.New(gateway.Config{Store: store, Source: store}), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }() // ends with the test's Close
	t.Cleanup(func() { _ = srv.Close() })
}

var shim struct {
	once sync.Once
	data []byte
	err  error
}

// Shim is the static llm shim, built once per test binary.
func Shim(t testing.TB) []byte {
	t.Helper()
	shim.once.Do(func() {
		dir, err := os.MkdirTemp("", "llm-shim-")
		if err != nil {
			shim.err = err
			return
		}
		defer func() { _ = os.RemoveAll(dir) }()
		bin := filepath.Join(dir, "llm-shim")
		build := exec.Command("go", "build", "-trimpath", "-o", bin, "takehome/cmd/llm-shim")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			shim.err = fmt.Errorf("build the llm shim: %w\n%s", err, out)
			return
		}
		shim.data, shim.err = os.ReadFile(bin)
	})
	if shim.err != nil {
		t.Fatal(shim.err)
	}
	return shim.data
}

// Pipeline grades with the rig's sandbox and gateway.
func (r *Rig) Pipeline() *grader.Pipeline {
	return &grader.Pipeline{Sandbox: r.Sandbox, Gateway: r.Grants, Logger: slog.New(slog.DiscardHandler)}
}

// NewRun stores a version, an invite, a submission and a running run, the
// rows a grading run's budget and calls hang from, and returns the run id.
func (r *Rig) NewRun(t testing.TB) int64 {
	t.Helper()
	return NewRun(t, r.Store)
}

// NewRun is Rig.NewRun on any store (one made with NoQueue: no grading
// job is queued for the submission).
func NewRun(t testing.TB, store *postgres.Store) int64 {
	t.Helper()
	r := &Rig{Store: store}
	ctx := context.Background()
	slug := "gw-" + strings.ToLower(strings.NewReplacer("/", "-", "_", "-").Replace(t.Name()))
	v, err := r.Store.CreateVersion(ctx, &exercises.Version{Spec: exercises.Spec{
		Slug: slug + "-" + fmt.Sprint(time.Now().UnixNano()), Kind: exercises.KindTest, Title: "Gateway test", Brief: "# Brief", Image: exercises.PythonImage,
		Phases: []exercises.Phase{{Name: "x", Limits: exercises.DefaultLimits()}}, Headline: "accuracy",
	}, Sets: []exercises.EvalSet{{Name: exercises.SetPublic}, {Name: exercises.SetHidden}}})
	if err != nil {
		t.Fatal(err)
	}
	inv := &grader.Invite{ExerciseVersionID: v.ID, Email: "cand@example.com", ExpiresAt: time.Now().Add(time.Hour), Window: time.Hour, Attempts: 3}
	if _, err := r.Store.CreateInvite(ctx, inv); err != nil {
		t.Fatal(err)
	}
	sub := &grader.Submission{InviteID: inv.ID, Mode: exercises.ModeCheck}
	if _, err := r.Store.CreateSubmission(ctx, sub, strings.NewReader("zip"), 3, time.Now()); err != nil {
		t.Fatal(err)
	}
	run, err := r.Store.StartRun(ctx, sub.ID, "w1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return run.ID
}

// NoQueue accepts submissions without queueing a job.
type NoQueue struct{}

func (NoQueue) EnqueueGrade(context.Context, *sql.Tx, int64) (int64, error) { return 0, nil }
