package web

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"takehome/exercises"
	"takehome/grader"
)

// TestCreateSubmissionModeAfterArchive sends the mode field after the file.
func TestCreateSubmissionModeAfterArchive(t *testing.T) {
	e := newEnv(t)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, err := mw.CreateFormFile("archive", "submission.zip")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, "zip bytes"); err != nil {
		t.Fatal(err)
	}
	if err := mw.WriteField("mode", "check"); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	rec := e.do(request{method: http.MethodPost, path: "/api/v1/submissions", token: tokenB, body: &body,
		header: map[string]string{"Content-Type": mw.FormDataContentType()}})
	wantStatus(t, rec, http.StatusAccepted)
	if got := decode(t, rec); got["mode"] != "check" || got["archive_size"] != 9.0 {
		t.Errorf("body = %s", rec.Body)
	}
}

// TestUploadSpoolIsRemoved checks the archive reaches Validate as a
// temporary file and that no file outlives its request, whatever the outcome.
func TestUploadSpoolIsRemoved(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	var spooled []string
	e := newEnv(t, func(c *Config, d *Deps) {
		c.MaxUploadBytes = 1 << 10
		d.Validate = func(archive io.ReaderAt, size int64, spec exercises.Spec) error {
			f, ok := archive.(*os.File)
			if !ok {
				t.Fatalf("Validate got a %T, want a file", archive)
			}
			spooled = append(spooled, f.Name())
			if data, _ := io.ReadAll(io.NewSectionReader(archive, 0, size)); string(data) == "bad" {
				return grader.Errorf(grader.CodeUnprocessable, "bad archive")
			}
			return nil
		}
	})
	wantStatus(t, e.upload(tokenB, nil, []byte("zip"), nil), 202)
	wantStatus(t, e.upload(tokenB, nil, []byte("bad"), nil), 422)
	wantStatus(t, e.upload(tokenB, nil, bytes.Repeat([]byte("x"), 2<<10), nil), 413)
	truncated := e.do(request{method: "POST", path: "/api/v1/submissions", token: tokenB,
		body:   strings.NewReader("--b\r\nContent-Disposition: form-data; name=\"archive\"\r\n\r\nzip"),
		header: map[string]string{"Content-Type": "multipart/form-data; boundary=b"}})
	wantStatus(t, truncated, 400)
	if len(spooled) != 2 || filepath.Dir(spooled[0]) != dir {
		t.Errorf("Validate saw %q, want two files in %s", spooled, dir)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("%d files left in the temporary directory", len(left))
	}
}

// TestIngestIsBounded holds Validate and checks that no more uploads than
// MaxConcurrentIngest are processed at once, while the rest wait.
func TestIngestIsBounded(t *testing.T) {
	const limit, uploads = 2, 4
	var inFlight, most atomic.Int32
	started, proceed := make(chan struct{}, uploads), make(chan struct{})
	e := newEnv(t, func(c *Config, d *Deps) {
		c.MaxConcurrentIngest = limit
		d.Validate = func(io.ReaderAt, int64, exercises.Spec) error {
			n := inFlight.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			started <- struct{}{}
			<-proceed
			inFlight.Add(-1)
			return nil
		}
	})
	codes := make(chan int, uploads)
	var wg sync.WaitGroup
	for range uploads { // invite B has 4 attempts left
		wg.Go(func() { codes <- e.upload(tokenB, map[string]string{"mode": "check"}, []byte("zip"), nil).Code })
	}
	for range limit {
		<-started
	}
	select {
	case <-started:
		t.Error("an upload was validated past the limit")
	case <-time.After(100 * time.Millisecond):
	}
	close(proceed)
	wg.Wait()
	close(codes)
	for code := range codes {
		if code != http.StatusAccepted {
			t.Errorf("status %d, want 202", code)
		}
	}
	if most.Load() != limit {
		t.Errorf("%d uploads validated at once, want %d", most.Load(), limit)
	}
}

// TestIngestWaitEndsWithRequest cancels an upload waiting for a slot.
func TestIngestWaitEndsWithRequest(t *testing.T) {
	started, proceed := make(chan struct{}), make(chan struct{})
	e := newEnv(t, func(c *Config, d *Deps) {
		c.MaxConcurrentIngest = 1
		d.Validate = func(io.ReaderAt, int64, exercises.Spec) error {
			started <- struct{}{}
			<-proceed
			return nil
		}
	})
	done := make(chan int)
	go func() { done <- e.upload(tokenB, nil, []byte("zip"), nil).Code }()
	<-started

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	body, ctype := multipartBody(t, nil, []byte("zip"))
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/api/v1/submissions", body)
	req.Header.Set("Authorization", "Bearer "+tokenB)
	req.Header.Set("Content-Type", ctype)
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	checkAgainstDocument(t, req.Method, req.URL.Path, rec)
	wantError(t, rec, http.StatusServiceUnavailable, grader.CodeUnavailable, "the request ended while waiting for the server to take the archive")

	close(proceed)
	if code := <-done; code != http.StatusAccepted {
		t.Errorf("first upload: status %d, want 202", code)
	}
	if e.store.creates != 1 {
		t.Errorf("store called %d times, want once", e.store.creates)
	}
}
