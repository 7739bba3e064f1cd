package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"takehome/grader"
)

func TestCreateSubmission(t *testing.T) {
	e := newEnv(t)
	rec := e.upload(tokenA, map[string]string{"mode": "check"}, []byte("zip bytes"), nil)
	wantStatus(t, rec, http.StatusAccepted)
	got := decode(t, rec)
	sum := sha256.Sum256([]byte("zip bytes"))
	if got["mode"] != "check" || got["status"] != "queued" || got["archive_sha256"] != hex.EncodeToString(sum[:]) ||
		got["archive_size"] != 9.0 || got["created_at"] != "2026-03-01T12:00:00Z" {
		t.Errorf("body = %s", rec.Body)
	}
	id := int64(got["id"].(float64))
	if loc := rec.Header().Get("Location"); !strings.HasSuffix(loc, "/api/v1/submissions/"+strconv.FormatInt(id, 10)) {
		t.Errorf("Location = %q", loc)
	}
	if sub := e.store.subs[id]; sub.InviteID != 1 || string(e.store.archives[id]) != "zip bytes" {
		t.Errorf("stored %+v", sub)
	}
}

func TestCreateSubmissionMode(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fields map[string]string
		status int
		mode   string
	}{
		{"absent means final", nil, 202, "final"},
		{"empty means final", map[string]string{"mode": ""}, 202, "final"},
		{"check", map[string]string{"mode": "check"}, 202, "check"},
		{"final", map[string]string{"mode": "final"}, 202, "final"},
		{"upper case", map[string]string{"mode": "FINAL"}, 400, ""},
		{"unknown", map[string]string{"mode": "dev"}, 400, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			rec := e.upload(tokenB, tc.fields, []byte("zip"), nil)
			if tc.status != 202 {
				wantError(t, rec, tc.status, grader.CodeInvalid, `mode "`+tc.fields["mode"]+`": want check or final`)
				return
			}
			wantStatus(t, rec, tc.status)
			if got := decode(t, rec)["mode"]; got != tc.mode {
				t.Errorf("mode = %v, want %s", got, tc.mode)
			}
		})
	}
}

func TestCreateSubmissionIdempotentReplay(t *testing.T) {
	e := newEnv(t)
	key := map[string]string{"Idempotency-Key": "upload-7f3a"}
	first := e.upload(tokenB, map[string]string{"mode": "check"}, []byte("zip"), key)
	wantStatus(t, first, 202)
	again := e.upload(tokenB, map[string]string{"mode": "check"}, []byte("zip"), key)
	wantStatus(t, again, 200)
	if a, b := decode(t, first)["id"], decode(t, again)["id"]; a != b {
		t.Errorf("replay id = %v, want %v", b, a)
	}
	if e.store.creates != 2 || len(e.store.subs) != 5 {
		t.Errorf("creates = %d, submissions = %d", e.store.creates, len(e.store.subs))
	}
}

// A replay of the request that used the last attempt still finds its
// submission rather than a quota error.
func TestCreateSubmissionReplayOfLastAttempt(t *testing.T) {
	e := newEnv(t)
	e.store.invites[tokenB].AttemptsUsed = 4
	key := map[string]string{"Idempotency-Key": "last"}
	wantStatus(t, e.upload(tokenB, nil, []byte("zip"), key), 202)
	wantStatus(t, e.upload(tokenB, nil, []byte("zip"), key), 200)
	wantError(t, e.upload(tokenB, nil, []byte("zip"), nil), 429, grader.CodeQuota, "no attempts left: all 5 submissions are used")
}

func TestCreateSubmissionBadRequests(t *testing.T) {
	e := newEnv(t)
	wantError(t, e.upload(tokenB, map[string]string{"mode": "check"}, nil, nil), 400, grader.CodeInvalid, "the archive field is required")
	notMultipart := e.do(request{method: "POST", path: "/api/v1/submissions", token: tokenB,
		body: strings.NewReader(`{"mode":"check"}`), header: map[string]string{"Content-Type": "application/json"}})
	wantError(t, notMultipart, 400, grader.CodeInvalid, "the request must be multipart/form-data with an archive field")
	longKey := map[string]string{"Idempotency-Key": strings.Repeat("k", 201)}
	wantError(t, e.upload(tokenB, nil, []byte("zip"), longKey), 400, grader.CodeInvalid, "the Idempotency-Key header is longer than 200 characters")
	truncated := e.do(request{method: "POST", path: "/api/v1/submissions", token: tokenB,
		body:   strings.NewReader("--b\r\nContent-Disposition: form-data; name=\"archive\"\r\n\r\nzip"),
		header: map[string]string{"Content-Type": "multipart/form-data; boundary=b"}})
	wantError(t, truncated, 400, grader.CodeInvalid, "")
	if e.store.creates != 0 {
		t.Errorf("store called %d times for bad requests", e.store.creates)
	}
}

func TestCreateSubmissionValidation(t *testing.T) {
	e := newEnv(t)
	rec := e.upload(tokenB, nil, []byte("bad"), nil)
	wantError(t, rec, 422, grader.CodeUnprocessable, "takehome.yaml: no command for phase 'predict'")
	if e.store.creates != 0 {
		t.Error("an invalid archive reached the store")
	}
}

func TestCreateSubmissionSizeLimit(t *testing.T) {
	small := func(c *Config, _ *Deps) { c.MaxUploadBytes = 1 << 10 }
	msg := "the archive exceeds the upload limit of 1 KB"
	t.Run("archive one byte over", func(t *testing.T) {
		e := newEnv(t, small)
		wantError(t, e.upload(tokenB, nil, bytes.Repeat([]byte("x"), 1025), nil), 413, grader.CodeTooLarge, msg)
		if len(e.validate) != 0 || e.store.creates != 0 {
			t.Error("an oversized archive was processed")
		}
	})
	t.Run("archive at the limit", func(t *testing.T) {
		e := newEnv(t, small)
		wantStatus(t, e.upload(tokenB, nil, bytes.Repeat([]byte("x"), 1024), nil), 202)
	})
	t.Run("declared length over", func(t *testing.T) {
		e := newEnv(t, small)
		body, ctype := multipartBody(t, nil, bytes.Repeat([]byte("x"), 100<<10))
		rec := e.do(request{method: "POST", path: "/api/v1/submissions", token: tokenB, body: body,
			header: map[string]string{"Content-Type": ctype}})
		wantError(t, rec, 413, grader.CodeTooLarge, msg)
	})
	t.Run("chunked body over", func(t *testing.T) {
		e := newEnv(t, small)
		body, ctype := multipartBody(t, map[string]string{"padding": strings.Repeat("p", 100<<10)}, []byte("zip"))
		rec := e.do(request{method: "POST", path: "/api/v1/submissions", token: tokenB, body: io.MultiReader(body),
			header: map[string]string{"Content-Type": ctype}})
		wantError(t, rec, 413, grader.CodeTooLarge, msg)
	})
	t.Run("default limit is 50 MB", func(t *testing.T) {
		e := newEnv(t)
		body, ctype := multipartBody(t, nil, []byte("zip"))
		req := request{method: "POST", path: "/api/v1/submissions", token: tokenB, body: body,
			header: map[string]string{"Content-Type": ctype}, length: 60_000_000}
		wantError(t, e.do(req), 413, grader.CodeTooLarge, "the archive exceeds the upload limit of 50 MB")
	})
}

func TestCreateSubmissionRefused(t *testing.T) {
	for _, tc := range []struct {
		name, token string
		key         string
		status      int
		code        grader.Code
		message     string
	}{
		{"revoked", tokenRevoked, "", 403, grader.CodeForbidden, "this invite has been revoked"},
		{"revoked replay", tokenRevoked, "k", 403, grader.CodeForbidden, "this invite has been revoked"},
		{"expired", tokenExpired, "", 403, grader.CodeForbidden, "this invite expired at 2026-03-01T11:00:00Z"},
		{"expired, store decides", tokenExpired, "k", 403, grader.CodeForbidden, "invite closed"},
		{"no attempts", tokenSpent, "", 429, grader.CodeQuota, "no attempts left: all 2 submissions are used"},
		{"no attempts, store decides", tokenSpent, "k", 429, grader.CodeQuota, "no attempts left"},
		{"second final", tokenA, "", 409, grader.CodeConflict, "a final submission was already made"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			rec := e.upload(tc.token, map[string]string{"mode": "final"}, []byte("zip"), map[string]string{"Idempotency-Key": tc.key})
			wantError(t, rec, tc.status, tc.code, tc.message)
		})
	}
}

func TestCreateSubmissionWindowEnded(t *testing.T) {
	e := newEnv(t)
	started := testNow.Add(-49 * time.Hour)
	e.store.invites[tokenB].StartedAt = &started
	wantError(t, e.upload(tokenB, nil, []byte("zip"), nil), 403, grader.CodeForbidden, "your time window ended at 2026-03-01T11:00:00Z")
}
