package web

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"

	"takehome/exercises"
	"takehome/grader"
)

func TestHealthz(t *testing.T) {
	e := newEnv(t)
	rec := e.get("/healthz", "")
	wantStatus(t, rec, 200)
	if rec.Body.String() != `{"status":"ok"}` {
		t.Errorf("body = %s", rec.Body)
	}
}

func TestReadyz(t *testing.T) {
	e := newEnv(t)
	rec := e.get("/readyz", "")
	wantStatus(t, rec, 200)
	want := map[string]any{"status": "ok", "checks": map[string]any{"database": "ok", "docker": "ok", "schema": "ok"}}
	if diff := cmp.Diff(want, decode(t, rec)); diff != "" {
		t.Errorf("readyz (-want +got):\n%s", diff)
	}
}

func TestReadyzFailing(t *testing.T) {
	e := newEnv(t, func(_ *Config, d *Deps) {
		d.Ready["docker"] = func(context.Context) error { return errors.New("dial unix /var/run/docker.sock: no such file") }
	})
	rec := e.get("/readyz", "")
	wantStatus(t, rec, 503)
	want := map[string]any{"status": "unavailable", "checks": map[string]any{"database": "ok", "docker": "fail", "schema": "ok"}}
	if diff := cmp.Diff(want, decode(t, rec)); diff != "" {
		t.Errorf("readyz (-want +got):\n%s", diff)
	}
	if strings.Contains(rec.Body.String(), "docker.sock") {
		t.Error("readyz shows the failure's detail")
	}
	if !strings.Contains(e.logs.String(), "docker.sock") {
		t.Error("the failure's detail is not logged")
	}
}

func TestMetrics(t *testing.T) {
	e := newEnv(t)
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "takehome_test_total", Help: "A test counter."})
	e.registry.MustRegister(c)
	c.Add(3)
	rec := e.get("/metrics", "")
	wantStatus(t, rec, 200)
	if !strings.Contains(rec.Body.String(), "takehome_test_total 3") {
		t.Errorf("metrics = %s", rec.Body)
	}
}

func TestNoRoute(t *testing.T) {
	e := newEnv(t)
	wantError(t, e.get("/api/v1/nope", tokenA), 404, grader.CodeNotFound, "no route for GET /api/v1/nope")
}

func TestInternalErrorIsLoggedOnceAndHidden(t *testing.T) {
	e := newEnv(t)
	e.store.fail["FindSubmission"] = errDatabaseDown
	rec := e.get("/api/v1/submissions/1", tokenAdmin)
	wantError(t, rec, 500, grader.CodeInternal, "internal error")
	if strings.Contains(rec.Body.String(), "10.0.0.5") {
		t.Error("internal detail in the response")
	}
	if n := strings.Count(e.logs.String(), "10.0.0.5"); n != 1 {
		t.Errorf("detail logged %d times, want once:\n%s", n, e.logs)
	}
}

func TestPanicIsRecovered(t *testing.T) {
	e := newEnv(t, func(_ *Config, d *Deps) {
		d.Validate = func(io.ReaderAt, int64, exercises.Spec) error { panic("validator bug") }
	})
	rec := e.upload(tokenB, nil, []byte("zip"), nil)
	wantError(t, rec, 500, grader.CodeInternal, "internal error")
	if !strings.Contains(e.logs.String(), "validator bug") {
		t.Errorf("panic not logged:\n%s", e.logs)
	}
}

func TestAccessLog(t *testing.T) {
	e := newEnv(t)
	e.get("/api/v1/submissions/4", tokenB)
	logs := e.logs.String()
	for _, want := range []string{`"msg":"http request"`, `"route":"/api/v1/submissions/:id"`, `"status":200`} {
		if !strings.Contains(logs, want) {
			t.Errorf("access log lacks %s:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, tokenB) {
		t.Error("the access log shows a token")
	}
}

func TestNewPanicsWithoutRequiredDeps(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "Deps.Validate") {
			t.Errorf("recover() = %v", r)
		}
	}()
	s := newFakeStore()
	New(Config{}, Deps{Invites: s, Versions: s, Users: s, Submissions: s, Lister: s, Audit: s, Jobs: s})
}
