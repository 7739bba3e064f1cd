package web

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"takehome/grader"
)

func TestGetInvite(t *testing.T) {
	e := newEnv(t)
	rec := e.get("/api/v1/invite", tokenA)
	wantStatus(t, rec, 200)
	got := decode(t, rec)
	want := map[string]any{
		"title": "Sum numbers", "slug": "smoke-sum", "version": 3.0, "kind": "test", "brief": "# Sum\nAdd them up.",
		"phases": []any{
			map[string]any{"name": "train", "inputs": []any{"train.csv"}, "outputs": []any{"model.bin"}},
			map[string]any{"name": "predict", "inputs": []any{"test.csv"}, "outputs": []any{"predictions.csv"}},
		},
		"expires_at":      "2026-03-08T12:00:00Z",
		"window_seconds":  172800.0,
		"started_at":      nil,
		"deadline":        "2026-03-08T12:00:00Z",
		"attempts":        5.0,
		"attempts_used":   3.0,
		"attempts_left":   2.0,
		"revoked":         false,
		"starter_kit_url": "https://takehome.test/api/v1/invite/starter-kit",
		"submissions_url": "https://takehome.test/api/v1/submissions",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("invite (-want +got):\n%s", diff)
	}
}

func TestGetInviteRevokedStillReadable(t *testing.T) {
	e := newEnv(t)
	rec := e.get("/api/v1/invite", tokenRevoked)
	wantStatus(t, rec, 200)
	if decode(t, rec)["revoked"] != true {
		t.Errorf("revoked = %v, want true", decode(t, rec)["revoked"])
	}
}

func TestStartInvite(t *testing.T) {
	e := newEnv(t)
	rec := e.post("/api/v1/invite/start", tokenA)
	wantStatus(t, rec, 200)
	got := decode(t, rec)
	if got["started_at"] != "2026-03-01T12:00:00Z" || got["deadline"] != "2026-03-03T12:00:00Z" {
		t.Errorf("started_at = %v, deadline = %v", got["started_at"], got["deadline"])
	}
	// Starting again, later, changes nothing.
	e.now = testNow.Add(time.Hour)
	again := e.post("/api/v1/invite/start", tokenA)
	wantStatus(t, again, 200)
	if decode(t, again)["started_at"] != "2026-03-01T12:00:00Z" {
		t.Errorf("second start moved started_at: %s", again.Body)
	}
}

func TestStartInviteRefused(t *testing.T) {
	e := newEnv(t)
	wantError(t, e.post("/api/v1/invite/start", tokenRevoked), 403, grader.CodeForbidden, "this invite has been revoked")
	wantError(t, e.post("/api/v1/invite/start", tokenExpired), 403, grader.CodeForbidden, "this invite expired at 2026-03-01T11:00:00Z")
}

func TestStarterKit(t *testing.T) {
	e := newEnv(t)
	rec := e.get("/api/v1/invite/starter-kit", tokenA)
	wantStatus(t, rec, 200)
	if got, want := rec.Header().Get("Content-Disposition"), `attachment; filename="smoke-sum-starter.zip"`; got != want {
		t.Errorf("Content-Disposition = %q, want %q", got, want)
	}
	zr, err := zip.NewReader(bytes.NewReader(rec.Body.Bytes()), int64(rec.Body.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name+" "+f.Mode().String()+" "+readZipped(t, f))
	}
	want := []string{"README.md -rw-r--r-- # Starter\n", "run.sh -rwxr-xr-x #!/bin/sh\n", "solve.py -rw-r--r-- print(1)\n"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("zip entries (-want +got):\n%s", diff)
	}
	if again := e.get("/api/v1/invite/starter-kit", tokenA); !bytes.Equal(again.Body.Bytes(), rec.Body.Bytes()) {
		t.Error("two downloads of the starter kit differ")
	}
}

func readZipped(t *testing.T, f *zip.File) string {
	t.Helper()
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestStarterKitRevoked(t *testing.T) {
	e := newEnv(t)
	wantError(t, e.get("/api/v1/invite/starter-kit", tokenRevoked), 403, grader.CodeForbidden, "this invite has been revoked")
}
