package web

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"takehome/grader"
)

// sse is one server-sent event.
type sse struct {
	name string
	data map[string]any
}

// readEvents reads events from an event stream until it ends or n are read.
func readEvents(t *testing.T, resp *http.Response, n int) []sse {
	t.Helper()
	var out []sse
	var cur sse
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for len(out) < n && sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			cur.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &cur.data); err != nil {
				t.Fatalf("event data %q: %v", line, err)
			}
		case line == "" && cur.name != "":
			out = append(out, cur)
			cur = sse{}
		}
	}
	return out
}

func openEvents(t *testing.T, srv *httptest.Server, path string) *http.Response {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestEventsStreamStatusThenPhases(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.handler)
	t.Cleanup(srv.Close) // after the streams close: Close waits for open requests
	e.store.mu.Lock()
	e.store.subs[subOfB].Status = grader.StatusQueued
	e.store.mu.Unlock()

	resp := openEvents(t, srv, "/invite/inv_b/submissions/4/events")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	first := readEvents(t, resp, 1)
	if len(first) != 1 || first[0].name != "status" || first[0].data["status"] != "queued" || first[0].data["done"] != false {
		t.Fatalf("first event = %+v", first)
	}
	// The worker picks it up, then grades it.
	e.store.mu.Lock()
	e.store.subs[subOfB].Status = grader.StatusRunning
	e.store.mu.Unlock()
	if ev := readEvents(t, resp, 1); len(ev) != 1 || ev[0].data["status"] != "running" {
		t.Fatalf("after running: %+v", ev)
	}
	e.store.mu.Lock()
	rep := report(subOfB, "check", 50, "\x1b[32mB-LOG <b>bold</b>")
	e.store.reports[subOfB] = rep
	e.store.subs[subOfB].Status = grader.StatusGraded
	e.store.mu.Unlock()
	start := time.Now()
	rest := readEvents(t, resp, 10)
	if time.Since(start) > 3*time.Second {
		t.Errorf("the graded status took %v to arrive", time.Since(start))
	}
	var names []string
	for _, ev := range rest {
		names = append(names, ev.name)
	}
	if strings.Join(names, ",") != "status,phase,phase,done" {
		t.Fatalf("events %v", names)
	}
	phase := rest[1].data
	if phase["step"] != "train" || phase["verdict"] != "ok" || phase["wall"] != "1s" || phase["log"] != "B-LOG <b>bold</b> train" {
		t.Errorf("phase event = %v", phase)
	}
	if rest[3].data["url"] != "/invite/inv_b/submissions/4" {
		t.Errorf("done = %v", rest[3].data)
	}
}

func TestEventsOfFinalCarryNoRun(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.handler)
	t.Cleanup(srv.Close) // after the streams close: Close waits for open requests
	resp := openEvents(t, srv, "/invite/inv_a/submissions/2/events")
	evs := readEvents(t, resp, 10) // a settled submission: the stream ends by itself
	var names []string
	for _, ev := range evs {
		names = append(names, ev.name)
	}
	if strings.Join(names, ",") != "status,done" {
		t.Fatalf("events of a final = %v", names)
	}
}

func TestEventsOfAnotherInvite(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.handler)
	t.Cleanup(srv.Close) // after the streams close: Close waits for open requests
	for _, path := range []string{"/invite/inv_b/submissions/1/events", "/invite/inv_revoked/submissions/1/events", "/invite/inv_nope/submissions/1/events"} {
		resp := openEvents(t, srv, path)
		if resp.StatusCode == 200 || resp.Header.Get("Content-Type") == "text/event-stream" {
			t.Errorf("%s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}

// openEventsFrom opens the stream as a reconnecting browser does.
func openEventsFrom(t *testing.T, srv *httptest.Server, path, lastID string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Last-Event-ID", lastID)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func step(name string) grader.PhaseRecord {
	return grader.PhaseRecord{Step: name, Phase: name, Verdict: grader.VerdictOK, Wall: 2 * time.Second, Log: grader.Log{Head: name + " log"}}
}

func TestEventsStreamPhasesAsTheyFinish(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.handler)
	t.Cleanup(srv.Close) // after the streams close: Close waits for open requests
	e.store.mu.Lock()
	e.store.subs[subOfB].Status = grader.StatusRunning
	e.store.progress = map[int64][]grader.PhaseRecord{subOfB: {step("train")}}
	e.store.mu.Unlock()

	resp := openEvents(t, srv, "/invite/inv_b/submissions/4/events")
	evs := readEvents(t, resp, 2)
	if len(evs) != 2 || evs[0].name != "status" || evs[1].name != "phase" || evs[1].data["step"] != "train" {
		t.Fatalf("events = %+v", evs)
	}
	e.store.mu.Lock()
	e.store.progress[subOfB] = append(e.store.progress[subOfB], step("predict"))
	e.store.mu.Unlock()
	if evs := readEvents(t, resp, 1); len(evs) != 1 || evs[0].data["step"] != "predict" {
		t.Fatalf("second step: %+v", evs)
	}
	// A retried run starts over.
	e.store.mu.Lock()
	e.store.progress[subOfB] = []grader.PhaseRecord{step("train-again")}
	e.store.mu.Unlock()
	if evs := readEvents(t, resp, 2); len(evs) != 2 || evs[0].name != "restart" || evs[1].data["step"] != "train-again" {
		t.Fatalf("after a retry: %+v", evs)
	}

	// A reconnect resumes after the last step it got.
	e.store.mu.Lock()
	e.store.progress[subOfB] = []grader.PhaseRecord{step("train"), step("predict"), step("probe")}
	e.store.mu.Unlock()
	again := readEvents(t, openEventsFrom(t, srv, "/invite/inv_b/submissions/4/events", "2"), 2)
	if len(again) != 2 || again[1].name != "phase" || again[1].data["step"] != "probe" {
		t.Fatalf("resumed stream = %+v", again)
	}
	// So does the page's own ?from=.
	page := readEvents(t, openEvents(t, srv, "/invite/inv_b/submissions/4/events?from=3"), 1)
	if len(page) != 1 || page[0].name != "status" {
		t.Fatalf("from=3: %+v", page)
	}
}

func TestEventsOfRunningFinalCarryNoSteps(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.handler)
	t.Cleanup(srv.Close) // after the streams close: Close waits for open requests
	e.store.mu.Lock()
	e.store.subs[subFinalQueued].Status = grader.StatusRunning
	e.store.progress = map[int64][]grader.PhaseRecord{subFinalQueued: {step("HIDDEN-STEP")}}
	e.store.mu.Unlock()
	resp := openEvents(t, srv, "/invite/inv_a/submissions/3/events")
	evs := readEvents(t, resp, 1)
	e.store.mu.Lock()
	e.store.subs[subFinalQueued].Status = grader.StatusGraded
	e.store.mu.Unlock()
	evs = append(evs, readEvents(t, resp, 10)...)
	var names []string
	for _, ev := range evs {
		names = append(names, ev.name)
		if strings.Contains(fmt.Sprint(ev.data), "HIDDEN") {
			t.Errorf("a final run's step reached the candidate: %v", ev.data)
		}
	}
	if strings.Join(names, ",") != "status,status,done" {
		t.Errorf("events = %v", names)
	}
}

func TestSubmissionPageShowsProgress(t *testing.T) {
	e := newEnv(t)
	e.store.subs[subOfB].Status = grader.StatusRunning
	e.store.progress = map[int64][]grader.PhaseRecord{subOfB: {step("train"), step("predict")}}
	rec := e.page(http.MethodGet, "/invite/inv_b/submissions/4", nil, nil)
	wantStatus(t, rec, http.StatusOK)
	doc := parse(t, rec)
	wantCount(t, doc, `#live[data-events="/invite/inv_b/submissions/4/events?from=2"]`, 1)
	wantCount(t, doc, "#live-phases li", 2)
	wantText(t, doc, "#live-phases li", "train: ok (2s) train log")
}

func TestCloseStreamsEndsOpenStreams(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.handler)
	t.Cleanup(srv.Close)
	resp := openEvents(t, srv, "/invite/inv_b/submissions/4/events") // queued: would stream for minutes
	if evs := readEvents(t, resp, 1); len(evs) != 1 {
		t.Fatalf("events = %+v", evs)
	}
	start := time.Now()
	e.srv.CloseStreams()
	e.srv.CloseStreams() // twice is fine
	if rest := readEvents(t, resp, 10); len(rest) != 0 {
		t.Errorf("events after close: %+v", rest)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the stream ended %v after CloseStreams", d)
	}
}
