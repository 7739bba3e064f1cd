package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startGateway serves h on a Unix socket in a fresh directory and returns the
// socket's path.
func startGateway(t *testing.T, h http.Handler) string {
	t.Helper()
	path := filepath.Join(socketDir(t), "llm.sock")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return path
}

// startClient runs the shim around the test binary acting as an HTTP client
// that GETs path through the shim's port.
func startClient(t *testing.T, socket, path string) *shimRun {
	t.Helper()
	listen := freePort(t)
	env := []string{childEnv + "=get", "LLM_SHIM_TEST_URL=http://" + listen + path}
	return startShim(t, env, shimArgs(listen, socket, testBinary(t))...)
}

func TestRelay(t *testing.T) {
	seen := make(chan string, 1)
	socket := startGateway(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Method + " " + r.URL.Path
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"object":"list","data":[]}`)
	}))
	r := startClient(t, socket, "/v1/models")
	code, stdout := r.wait(t)
	if code != 0 {
		t.Fatalf("exit code %d; stderr %q", code, r.stderr.String())
	}
	select {
	case got := <-seen:
		if got != "GET /v1/models" {
			t.Errorf("gateway saw %q, want GET /v1/models", got)
		}
	default:
		t.Error("the gateway saw no request")
	}
	want := "status=200 type=application/json\n" + `{"object":"list","data":[]}` + "\n"
	if stdout != want {
		t.Errorf("child printed %q, want %q", stdout, want)
	}
}

func TestStreamArrivesEventByEvent(t *testing.T) {
	firstSeen := make(chan struct{})
	late := make(chan bool, 1) // whether the last event waited in vain
	socket := startGateway(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := range 5 {
			if i == 4 {
				select {
				case <-firstSeen:
					late <- false
				case <-time.After(3 * time.Second):
					late <- true
				}
			}
			fmt.Fprintf(w, "data: %d\n\n", i)
			w.(http.Flusher).Flush()
			time.Sleep(50 * time.Millisecond)
		}
	}))
	r := startClient(t, socket, "/v1/chat/completions")
	if line := r.next(t); line != "status=200 type=text/event-stream" {
		t.Fatalf("first line %q", line)
	}
	if line := r.next(t); line != "data: 0" {
		t.Fatalf("first event %q", line)
	}
	close(firstSeen)
	code, rest := r.wait(t)
	if code != 0 {
		t.Fatalf("exit code %d; stderr %q", code, r.stderr.String())
	}
	if <-late {
		t.Error("the first event reached the child only after the last was written")
	}
	if want := "\ndata: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n"; rest != want {
		t.Errorf("rest of the stream %q, want %q", rest, want)
	}
}

func TestGatewayMissing(t *testing.T) {
	r := startClient(t, missingSocket(t), "/v1/chat/completions")
	code, stdout := r.wait(t)
	if code != 0 {
		t.Fatalf("exit code %d; stderr %q", code, r.stderr.String())
	}
	head, body, _ := strings.Cut(stdout, "\n")
	if head != "status=503 type=application/json" {
		t.Errorf("response %q, want a 503 in JSON", head)
	}
	checkEnvelope(t, body, "gateway_unavailable", "the model gateway is not reachable: ")
	if r.stderr.Len() != 0 {
		t.Errorf("stderr %q, want nothing", r.stderr.String())
	}
}

// checkEnvelope checks that body is OpenAI's error envelope with code and a
// message that starts with msgPrefix.
func checkEnvelope(t *testing.T, body, code, msgPrefix string) {
	t.Helper()
	var env struct {
		Error map[string]any `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &env); err != nil {
		t.Fatalf("body %q: %v", body, err)
	}
	e := env.Error
	msg, _ := e["message"].(string)
	param, hasParam := e["param"]
	if e["code"] != code || e["type"] != "api_error" || !hasParam || param != nil ||
		!strings.HasPrefix(msg, msgPrefix) {
		t.Errorf("envelope %s, want code %q, type api_error, param null, message %q...", body, code, msgPrefix)
	}
}
