package web

import (
	"archive/zip"
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"takehome/exercises"
	"takehome/exercises/rag"
)

// beirZip packs the small BEIR folder of cmd/runner's tests under top/, plus
// any extra entries.
func beirZip(t *testing.T, top string, extra map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"corpus.jsonl", "queries.jsonl", "qrels/test.tsv"} {
		data, err := os.ReadFile(filepath.Join("..", "cmd", "runner", "testdata", "beir-small", name))
		if err != nil {
			t.Fatal(err)
		}
		w, _ := zw.Create(top + name)
		w.Write(data)
	}
	for name, data := range extra {
		w, _ := zw.Create(name)
		w.Write([]byte(data))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func (e *staffEnv) uploadBEIR(slug string, archive []byte) *httptest.ResponseRecorder {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("slug", slug)
	fw, _ := mw.CreateFormFile("archive", "beir.zip")
	fw.Write(archive)
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/admin/exercises/import-beir?csrf_token="+mac(e.adminSession, "session"), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: e.adminSession})
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	return rec
}

func TestAdminUploadsBEIRArchive(t *testing.T) {
	e := newStaffEnv(t)
	e.srv.deps.ImportBEIR = rag.ImportBEIR
	if d := spDoc(t, e.get("/admin/exercises", e.adminSession), http.StatusOK); d.Find(`form#import-beir[enctype="multipart/form-data"] input#beir-archive[type=file]`).Length() != 1 {
		t.Fatal("no upload field in the import form")
	}

	rec := e.uploadBEIR("team-docs", beirZip(t, "beir-small/", nil))
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("upload = %d: %s", rec.Code, rec.Body)
	}
	versions, _ := e.store.ListVersions(t.Context())
	var got *exercises.Spec
	for _, v := range versions {
		if v.Slug == "team-docs" && v.Status == "draft" {
			got = &v.Spec
		}
	}
	if got == nil || got.EngineSlug() != rag.Slug {
		t.Fatalf("no draft team-docs graded by %s among %d versions", rag.Slug, len(versions))
	}
	if !strings.Contains(e.auditActions(), "exercise.import_beir user:") {
		t.Fatal("upload not audited")
	}

	// Hostile and incomplete archives are refused with their reason.
	for name, tt := range map[string]struct {
		archive []byte
		want    string
	}{
		"slip":    {beirZip(t, "", map[string]string{"../evil.txt": "x"}), "evil.txt"},
		"missing": {beirZip(t, "a/b/", nil), "no corpus.jsonl"},
	} {
		d := spDoc(t, e.uploadBEIR("bad-"+name, tt.archive), http.StatusBadRequest)
		if msg := spText(d.Find(".alert")); !strings.Contains(msg, "Import failed") || !strings.Contains(msg, tt.want) {
			t.Errorf("%s: alert %q, want it to mention %q", name, msg, tt.want)
		}
	}
}
