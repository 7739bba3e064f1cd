package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"takehome/exercises"
	"takehome/grader"
)

// Tokens of the fixture principals.
const (
	tokenA           = "inv_a"
	tokenB           = "inv_b"
	tokenRevoked     = "inv_revoked"
	tokenExpired     = "inv_expired"
	tokenSpent       = "inv_spent"
	tokenAdmin       = "tk_admin"
	tokenInterviewer = "tk_interviewer"
	tokenDisabled    = "tk_disabled"
)

// Fixture submissions of invite A (and B).
const (
	subCheckGraded = 1 // A, check, graded, with a report
	subFinalGraded = 2 // A, final, graded, with a hidden report
	subFinalQueued = 3 // A, final, queued
	subOfB         = 4 // B, check, queued
)

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// env is a server on a fake store, driven through its real router.
type env struct {
	t        *testing.T
	store    *fakeStore
	srv      *Server
	now      time.Time // what the server's clock says
	handler  http.Handler
	logs     *syncBuffer
	validate []string // archives Validate saw
	registry *prometheus.Registry
}

type envOption func(*Config, *Deps)

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	e := &env{t: t, logs: &syncBuffer{}, registry: prometheus.NewRegistry(), now: testNow}
	e.store = newFakeStore()
	seed(e.store)
	cfg := Config{BaseURL: "https://takehome.test/"}
	deps := Deps{
		Invites: e.store, Versions: e.store, Users: e.store, Submissions: e.store,
		Lister: e.store, Audit: e.store, Jobs: e.store,
		Validate: e.validateArchive,
		Ready: map[string]func(context.Context) error{
			"database": func(context.Context) error { return nil },
			"docker":   func(context.Context) error { return nil },
			"schema":   func(context.Context) error { return nil },
		},
		Gatherer: e.registry,
		Now:      func() time.Time { return e.now },
		Logger:   slog.New(slog.NewJSONHandler(e.logs, nil)),
	}
	for _, o := range opts {
		o(&cfg, &deps)
	}
	e.srv = New(cfg, deps)
	e.handler = e.srv.Handler()
	return e
}

// validateArchive stands in for archive.Check + grader.ParseManifestListing:
// an archive reading "bad" has no predict command.
func (e *env) validateArchive(archive io.ReaderAt, size int64, spec exercises.Spec) error {
	data, err := io.ReadAll(io.NewSectionReader(archive, 0, size))
	if err != nil {
		return err
	}
	e.validate = append(e.validate, string(data))
	if string(data) == "bad" {
		return grader.Errorf(grader.CodeUnprocessable, "takehome.yaml: no command for phase 'predict'")
	}
	return nil
}

func seed(s *fakeStore) {
	s.versions[1] = &grader.ExerciseVersion{ID: 1, Slug: "smoke-sum", Number: 3, Status: "published", Spec: exercises.Spec{
		Slug: "smoke-sum", Kind: exercises.KindTest, Title: "Sum numbers", Brief: "# Sum\nAdd them up.", Image: "python:3.12",
		Phases: []exercises.Phase{
			{Name: "train", Inputs: []string{"train.csv"}, Outputs: []string{"model.bin"}},
			{Name: "predict", Inputs: []string{"test.csv"}, Outputs: []string{"predictions.csv"}},
		},
	}}
	s.starter[1] = []exercises.File{
		{Name: "solve.py", Data: []byte("print(1)\n")},
		{Name: "README.md", Data: []byte("# Starter\n")},
		{Name: "run.sh", Data: []byte("#!/bin/sh\n")},
	}
	week, hour := 7*24*time.Hour, time.Hour
	revoked := testNow.Add(-hour)
	for _, inv := range []struct {
		token string
		grader.Invite
	}{
		{tokenA, grader.Invite{ID: 1, Attempts: 5, AttemptsUsed: 3, ExpiresAt: testNow.Add(week), Window: 48 * hour}},
		{tokenB, grader.Invite{ID: 2, Attempts: 5, AttemptsUsed: 1, ExpiresAt: testNow.Add(week), Window: 48 * hour}},
		{tokenRevoked, grader.Invite{ID: 3, Attempts: 5, ExpiresAt: testNow.Add(week), RevokedAt: &revoked}},
		{tokenExpired, grader.Invite{ID: 4, Attempts: 5, ExpiresAt: testNow.Add(-hour)}},
		{tokenSpent, grader.Invite{ID: 5, Attempts: 2, AttemptsUsed: 2, ExpiresAt: testNow.Add(week)}},
	} {
		inv.ExerciseVersionID, inv.Email, inv.CreatedAt = 1, inv.token+"@example.com", testNow.Add(-week)
		s.invites[inv.token] = &inv.Invite
	}
	s.users[tokenAdmin] = &grader.User{ID: 1, Email: "admin@example.com", Role: grader.RoleAdmin}
	s.users[tokenInterviewer] = &grader.User{ID: 2, Email: "iv@example.com", Role: grader.RoleInterviewer}
	s.users[tokenDisabled] = &grader.User{ID: 3, Email: "gone@example.com", Role: grader.RoleAdmin, Disabled: true}
	seedSubmissions(s)
}

func seedSubmissions(s *fakeStore) {
	graded := testNow.Add(-time.Hour)
	score, hidden := 87.5, 91.0
	for _, sub := range []grader.Submission{
		{ID: subCheckGraded, InviteID: 1, Mode: exercises.ModeCheck, Status: grader.StatusGraded, Score: &score, GradedAt: &graded},
		{ID: subFinalGraded, InviteID: 1, Mode: exercises.ModeFinal, Status: grader.StatusGraded, Score: &hidden, GradedAt: &graded},
		{ID: subFinalQueued, InviteID: 1, Mode: exercises.ModeFinal, Status: grader.StatusQueued},
		{ID: subOfB, InviteID: 2, Mode: exercises.ModeCheck, Status: grader.StatusQueued},
	} {
		sub.ExerciseVersionID, sub.JobID, sub.CreatedAt = 1, 1000+sub.ID, testNow.Add(-2*time.Hour)
		sub.ArchiveSHA256, sub.ArchiveSize = "abc123", 42
		s.subs[sub.ID] = &sub
	}
	s.reports[subCheckGraded] = report(subCheckGraded, exercises.ModeCheck, score, "CHECK-LOG")
	s.reports[subFinalGraded] = report(subFinalGraded, exercises.ModeFinal, hidden, "HIDDEN-LOG")
}

func report(id int64, mode exercises.Mode, score float64, log string) *grader.Report {
	return &grader.Report{
		SubmissionID: id, RunID: 10 + id, Exercise: "smoke-sum", Version: 3, Mode: mode, ImageID: "sha256:img",
		Phases: []grader.PhaseRecord{
			{Step: "train", Phase: "train", Verdict: grader.VerdictOK, Wall: time.Second, Log: grader.Log{Head: log + " train"}},
			{Step: "predict", Phase: "predict", Verdict: grader.VerdictOK, Wall: time.Second, Log: grader.Log{Head: log + " predict"}},
		},
		Result: &exercises.Result{Valid: true, Score: &score, Findings: []string{"INTERVIEWER-FINDING"},
			Headline: &exercises.Metric{Name: "accuracy", Value: &score}},
		GradedAt: testNow.Add(-time.Hour),
	}
}

// request describes one call to the API.
type request struct {
	method, path, token string
	body                io.Reader
	header              map[string]string
	length              int64 // overrides the Content-Length when set
}

// do sends r through the router and checks the response against the
// OpenAPI document.
func (e *env) do(r request) *httptest.ResponseRecorder {
	e.t.Helper()
	req := httptest.NewRequest(r.method, r.path, r.body)
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	if r.length != 0 {
		req.ContentLength = r.length
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	checkAgainstDocument(e.t, r.method, req.URL.Path, rec)
	return rec
}

func (e *env) get(path, token string) *httptest.ResponseRecorder {
	e.t.Helper()
	return e.do(request{method: http.MethodGet, path: path, token: token})
}

func (e *env) post(path, token string) *httptest.ResponseRecorder {
	e.t.Helper()
	return e.do(request{method: http.MethodPost, path: path, token: token})
}

// upload posts a submission with the given form fields (archive included
// when archive is not nil).
func (e *env) upload(token string, fields map[string]string, archive []byte, header map[string]string) *httptest.ResponseRecorder {
	e.t.Helper()
	body, ctype := multipartBody(e.t, fields, archive)
	h := map[string]string{"Content-Type": ctype}
	for k, v := range header {
		h[k] = v
	}
	return e.do(request{method: http.MethodPost, path: "/api/v1/submissions", token: token, body: body, header: h})
}

func multipartBody(t *testing.T, fields map[string]string, archive []byte) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if archive != nil {
		w, err := mw.CreateFormFile("archive", "submission.zip")
		if err != nil {
			t.Fatal(err)
		}
		w.Write(archive)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, mw.FormDataContentType()
}

// wantStatus fails the test when rec has another status.
func wantStatus(t *testing.T, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("status = %d, want %d; body: %s", rec.Code, want, rec.Body)
	}
}

// wantError checks the status and error envelope of rec.
func wantError(t *testing.T, rec *httptest.ResponseRecorder, status int, code grader.Code, message string) {
	t.Helper()
	wantStatus(t, rec, status)
	var body errorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("decode error body %q: %v", rec.Body, err)
	}
	if body.Error.Code != code || (message != "" && body.Error.Message != message) {
		t.Errorf("error = %+v, want code %q message %q", body.Error, code, message)
	}
}

// decode unmarshals the body of rec into a map.
func decode(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("decode %q: %v", rec.Body, err)
	}
	return m
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
