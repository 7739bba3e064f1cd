package docker

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"takehome/exercises"
	"takehome/grader"
)

// goodToken is the only token the tests' stand-in gateway accepts.
const goodToken = "tkh_test-good-token"

// testGateway is a stand-in for the model gateway on a Unix socket in a
// bind-backed named volume: it answers every request with what it saw, so
// the transport can be checked without the real gateway's database.
type testGateway struct {
	volume string
	dir    string
	shim   []byte
	srv    *http.Server
	mu     sync.Mutex
	seen   []string // "METHOD path" of each request
}

// startTestGateway builds the shim, listens in a fresh directory and makes
// the volume that binds it.
func startTestGateway() (*testGateway, error) {
	dir, err := os.MkdirTemp("", "takehome-gw-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o755); err != nil { // the sandbox user must reach the socket
		return nil, err
	}
	bin := filepath.Join(dir, "llm-shim")
	build := exec.Command("go", "build", "-trimpath", "-o", bin, "takehome/cmd/llm-shim")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("build llm-shim: %w\n%s", err, out)
	}
	g := &testGateway{volume: "takehome-test-gw-" + randomID(), dir: dir}
	if g.shim, err = os.ReadFile(bin); err != nil {
		return nil, err
	}
	sock := filepath.Join(dir, "llm.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(sock, 0o666); err != nil {
		return nil, err
	}
	g.srv = &http.Server{Handler: http.HandlerFunc(g.serve)}
	go g.srv.Serve(l)
	if err := CreateGatewayVolume(context.Background(), g.volume, dir, nil); err != nil {
		return nil, err
	}
	return g, nil
}

func (g *testGateway) serve(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	g.seen = append(g.seen, r.Method+" "+r.URL.Path)
	g.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer "+goodToken {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintln(w, `{"error":{"message":"bad key","type":"invalid_request_error","code":"invalid_api_key"}}`)
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]string{"path": r.URL.Path, "method": r.Method})
}

func (g *testGateway) close() {
	_ = g.srv.Close()
	if cli, err := newClient(); err == nil {
		_ = cli.VolumeRemove(context.Background(), g.volume, true)
		cli.Close()
	}
	_ = os.RemoveAll(g.dir)
}

// gatewayProbe runs in a step with model access: the gateway answers
// through the shim, with the step's key only; nothing else is reachable
// and nothing of the transport can be changed.
const gatewayProbe = `
import errno, json, os, socket, urllib.request, urllib.error
base = os.environ["OPENAI_BASE_URL"]
print("base", base)
print("models", os.environ["TAKEHOME_MODELS"])
def call(key):
    req = urllib.request.Request(base + "/models", headers={"Authorization": "Bearer " + key})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, None
print("good", *call(os.environ["OPENAI_API_KEY"]))
print("bad", call("tkh_someone-else")[0])
def reach(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(2)
    try:
        s.connect((host, port))
        return "connected"
    except OSError as e:
        return "refused" if e.errno == errno.ECONNREFUSED else "unreachable"
    finally:
        s.close()
for host, port in [("1.1.1.1", 443), ("172.17.0.1", 2375), ("10.255.255.53", 53)]:
    print("reach", host, reach(host, port))
print("reach loopback-other", reach("127.0.0.1", 8766))
try:
    socket.getaddrinfo("example.com", 443)
    print("dns resolved")
except OSError:
    print("dns failed")
for path in ["/run/takehome/x", "/opt/takehome/x"]:
    try:
        open(path, "w")
        print("wrote", path)
    except OSError as e:
        print("write", path, errno.errorcode[e.errno])
try:
    os.unlink("/run/takehome/llm.sock")
    print("unlinked the socket")
except OSError as e:
    print("unlink", errno.errorcode[e.errno])
`

// A step with model access reaches the gateway's API through the shim, on
// loopback, with its own key; no other address answers (SANDBOX.md case 9
// still holds) and the socket and the shim cannot be changed.
func TestGatewayIsTheOnlyWayOut(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, s *Sandbox) {
		ses := openSpec(t, s, grader.RunSpec{Steps: []string{"main", "plain"}, Models: true})
		gw := &grader.StepGateway{Token: goodToken, Models: []string{"gpt-4o-mini", "text-embedding-3-small"}}
		res := runGateway(t, ses, "main", py(gatewayProbe), gw)
		wantVerdict(t, res, grader.VerdictOK)
		wantLog(t, res, "base http://127.0.0.1:8765/v1", "models gpt-4o-mini,text-embedding-3-small",
			`good 200 {'method': 'GET', 'path': '/v1/models'}`, "bad 401",
			"reach 1.1.1.1 unreachable", "reach 172.17.0.1 unreachable", "reach 10.255.255.53 unreachable",
			"reach loopback-other refused", "dns failed", "unlink E")
		for _, dir := range []string{"/run/takehome/x", "/opt/takehome/x"} {
			if !strings.Contains(res.Log.String(), "write "+dir+" E") {
				t.Errorf("writing %s did not fail:\n%s", dir, res.Log)
			}
		}
		// A step of the same run without a grant gets neither the key nor the socket.
		plain := runIn(t, ses, "plain", sh(`echo "key=${OPENAI_API_KEY:-none}"; test -e /run/takehome && echo socket present || echo socket absent`), nil)
		wantVerdict(t, plain, grader.VerdictOK)
		wantLog(t, plain, "key=none", "socket absent")
	})
}

// The shim passes the command's exit code and the limits on: a failing
// command fails the step with its own code, a sleeper hits the deadline.
func TestGatewayShimKeepsVerdicts(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, s *Sandbox) {
		ses := openSpec(t, s, grader.RunSpec{Steps: []string{"fail", "sleep"}, Models: true})
		gw := &grader.StepGateway{Token: goodToken, Models: []string{"m"}}
		res := runGateway(t, ses, "fail", sh("echo out; exit 3"), gw)
		wantVerdict(t, res, grader.VerdictExitNonzero)
		if res.ExitCode != 3 || !strings.HasPrefix(res.Log.String(), "out") {
			t.Errorf("exit %d, log %q: want 3 and the command's own output first", res.ExitCode, res.Log)
		}
		slow := runGatewayLimits(t, ses, "sleep", sh("sleep 60"), gw, func(l *exercises.Limits) { l.Timeout = 2e9 })
		wantVerdict(t, slow, grader.VerdictTimeout)
	})
}

// A run opened without model access refuses a step that asks for it, and
// a sandbox without a gateway refuses such a run with a clear error.
func TestGatewayNeedsARunWithModels(t *testing.T) {
	t.Parallel()
	ses := openRun(t, sb, []string{"main"})
	_, err := ses.RunStep(context.Background(), grader.StepRun{Name: "main", Command: sh("true"), Limits: testLimits(),
		Gateway: &grader.StepGateway{Token: goodToken}})
	if err == nil || !strings.Contains(err.Error(), "opened without it") {
		t.Errorf("err = %v", err)
	}
	bare, err := newGatewaySandbox(1, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bare.Close()
	_, err = bare.Open(context.Background(), grader.RunSpec{RunID: newRunID(t), Image: exercises.PythonImage, Steps: []string{"x"}, Models: true})
	if grader.ErrorCode(err) != grader.CodeUnavailable || !strings.Contains(err.Error(), "no model gateway") {
		t.Errorf("err = %v", err)
	}
}

func runGateway(t *testing.T, ses *session, name string, cmd []string, gw *grader.StepGateway) grader.StepResult {
	t.Helper()
	return runGatewayLimits(t, ses, name, cmd, gw, nil)
}

func runGatewayLimits(t *testing.T, ses *session, name string, cmd []string, gw *grader.StepGateway, edit func(*exercises.Limits)) grader.StepResult {
	t.Helper()
	l := testLimits()
	if edit != nil {
		edit(&l)
	}
	res, err := ses.RunStep(context.Background(), grader.StepRun{Name: name, Command: cmd, Limits: l, Gateway: gw})
	if err != nil {
		t.Fatalf("run step: %v", err)
	}
	t.Logf("verdict=%s reason=%q exit=%d wall=%s\n%s", res.Verdict, res.Reason, res.ExitCode, res.Wall, res.Log)
	return res
}

// A gateway volume that a reaper removed (its worker was cut off from the
// database and taken for dead) is made again by the next run with model
// access, and the run's steps reach the gateway.
func TestGatewayVolumeComesBack(t *testing.T) {
	t.Parallel()
	name := "takehome-test-gw-again-" + randomID()
	ctx := context.Background()
	if err := CreateGatewayVolume(ctx, name, testGWDir, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = RemoveGatewayVolume(context.Background(), name) })
	s, err := newGatewaySandbox(1, "", &Gateway{Volume: name, Shim: testGW.Shim, HostDir: testGWDir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := RemoveGatewayVolume(ctx, name); err != nil {
		t.Fatal(err)
	}
	ses := openSpec(t, s, grader.RunSpec{Steps: []string{"main"}, Models: true})
	res := runGateway(t, ses, "main", py(`import os, urllib.request
req = urllib.request.Request(os.environ["OPENAI_BASE_URL"] + "/models", headers={"Authorization": "Bearer " + os.environ["OPENAI_API_KEY"]})
print("status", urllib.request.urlopen(req, timeout=5).status)`), &grader.StepGateway{Token: goodToken})
	wantVerdict(t, res, grader.VerdictOK)
	wantLog(t, res, "status 200")
}
