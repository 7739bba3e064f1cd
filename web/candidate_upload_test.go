package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"takehome/exercises"
)

// submitForm posts the upload form of an invite, with the CSRF token in the
// query as the page's form does (csrf "" leaves it out).
func (e *env) submitForm(token, csrf string, fields map[string]string, archive []byte) *httptest.ResponseRecorder {
	e.t.Helper()
	body, ctype := multipartBody(e.t, fields, archive)
	path := "/invite/" + token + "/submissions"
	if csrf != "" {
		path += "?csrf_token=" + url.QueryEscape(csrf)
	}
	return e.page(http.MethodPost, path, body, map[string]string{"Content-Type": ctype})
}

func TestUploadForm(t *testing.T) {
	e := newEnv(t)
	e.started(tokenA)
	doc := parse(t, e.page(http.MethodGet, "/invite/"+tokenA+"/upload", nil, nil))
	form := doc.Find("form#upload-form")
	action, _ := form.Attr("action")
	if action != "/invite/inv_a/submissions?csrf_token="+mac(tokenA, "invite") {
		t.Errorf("action = %q", action)
	}
	if enc, _ := form.Attr("enctype"); enc != "multipart/form-data" {
		t.Errorf("enctype = %q", enc)
	}
	if max, _ := form.Attr("data-max-bytes"); max != "52428800" {
		t.Errorf("data-max-bytes = %q", max)
	}
	wantSel(t, form, `input[type=radio][name=mode][value=check][checked]`, 1)
	wantSel(t, form, `input[type=checkbox][name=confirm][value=yes]`, 1)
	wantSel(t, form, `label[for=archive]`, 1)
	wantSel(t, form, `input[type=file][name=archive][required]`, 1)
	wantCount(t, doc, `script[src^="/static/upload.js?v="]`, 1)
	// Fields come before the file, so a streamed body reads them first.
	html, _ := form.Html()
	if strings.Index(html, `name="mode"`) > strings.Index(html, `name="archive"`) {
		t.Error("the mode field must precede the archive")
	}
	final := parse(t, e.page(http.MethodGet, "/invite/"+tokenA+"/upload?mode=check&mode=final", nil, nil))
	wantCount(t, final, `input[name=mode][value=check][checked]`, 1) // A has a final already
	wantCount(t, final, `input[name=mode][value=final][disabled]`, 1)
	e.started(tokenB)
	finalB := parse(t, e.page(http.MethodGet, "/invite/"+tokenB+"/upload?mode=final", nil, nil))
	wantCount(t, finalB, `input[name=mode][value=final][checked]`, 1)
}

// wantCount on a selection.
func wantSel(t *testing.T, s *goquery.Selection, sel string, want int) {
	t.Helper()
	if got := s.Find(sel).Length(); got != want {
		t.Errorf("%s: %d elements, want %d", sel, got, want)
	}
}

func TestSubmitCheckFromForm(t *testing.T) {
	e := newEnv(t)
	e.started(tokenB)
	csrf := mac(tokenB, "invite")
	rec := e.submitForm(tokenB, csrf, map[string]string{"mode": "check", "key": "k-1"}, []byte("zip"))
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != "/invite/inv_b/submissions/101" {
		t.Errorf("Location = %q", loc)
	}
	sub := e.store.subs[101]
	if sub == nil || sub.InviteID != 2 || sub.Mode != exercises.ModeCheck {
		t.Fatalf("stored %+v", sub)
	}
	// A double click sends the same key: one submission.
	again := e.submitForm(tokenB, csrf, map[string]string{"mode": "check", "key": "k-1"}, []byte("zip"))
	wantStatus(t, again, http.StatusSeeOther)
	if e.store.creates != 2 || len(e.store.subs) != 5 {
		t.Errorf("a replay created another submission: %d subs", len(e.store.subs))
	}
	// The script sends the token as a header instead.
	body, ctype := multipartBody(t, map[string]string{"mode": "check"}, []byte("zip"))
	rec = e.page(http.MethodPost, "/invite/"+tokenB+"/submissions", body, map[string]string{"Content-Type": ctype, "X-CSRF-Token": csrf})
	wantStatus(t, rec, http.StatusSeeOther)
}

func TestSubmitNeedsCSRF(t *testing.T) {
	e := newEnv(t)
	e.started(tokenB)
	for name, csrf := range map[string]string{"none": "", "other invite's": mac(tokenA, "invite"), "garbage": "x"} {
		rec := e.submitForm(tokenB, csrf, map[string]string{"mode": "check"}, []byte("zip"))
		if rec.Code != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", name, rec.Code)
		}
	}
	// A token in the body is not read for a multipart post: that would
	// mean buffering the whole upload before the check.
	rec := e.submitForm(tokenB, "", map[string]string{"mode": "check", "csrf_token": mac(tokenB, "invite")}, []byte("zip"))
	wantStatus(t, rec, http.StatusForbidden)
	if e.store.creates != 0 || len(e.validate) != 0 {
		t.Errorf("a forged upload reached the store (%d) or validation (%d)", e.store.creates, len(e.validate))
	}
}

func TestSubmitFinalNeedsConfirmation(t *testing.T) {
	e := newEnv(t)
	e.started(tokenB)
	csrf := mac(tokenB, "invite")
	rec := e.submitForm(tokenB, csrf, map[string]string{"mode": "final"}, []byte("zip"))
	wantStatus(t, rec, http.StatusBadRequest)
	doc := parse(t, rec)
	wantText(t, doc, "#upload-error", "confirm your final submission")
	wantCount(t, doc, "form#upload-form", 1) // the form again, to fix and resend
	if e.store.creates != 0 {
		t.Fatal("an unconfirmed final was stored")
	}
	rec = e.submitForm(tokenB, csrf, map[string]string{"mode": "final", "confirm": "yes"}, []byte("zip"))
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != "/invite/inv_b/submissions/101/receipt" {
		t.Errorf("Location = %q", loc)
	}
	// A second final is refused on the form.
	rec = e.submitForm(tokenB, csrf, map[string]string{"mode": "final", "confirm": "yes"}, []byte("zip"))
	wantStatus(t, rec, http.StatusConflict)
	wantCount(t, parse(t, rec), "#upload-error", 1)
}

func TestSubmitFormErrors(t *testing.T) {
	e := newEnv(t)
	e.started(tokenB)
	csrf := mac(tokenB, "invite")
	cases := []struct {
		name    string
		fields  map[string]string
		archive []byte
		status  int
		msg     string
	}{
		{"no mode", map[string]string{}, []byte("zip"), 400, "choose a self-check or a final submission"},
		{"bad mode", map[string]string{"mode": "hidden"}, []byte("zip"), 400, "choose a self-check"},
		{"no archive", map[string]string{"mode": "check"}, nil, 400, "the archive field is required"},
		{"invalid archive", map[string]string{"mode": "check"}, []byte("bad"), 422, "no command for phase 'predict'"},
	}
	for _, c := range cases {
		rec := e.submitForm(tokenB, csrf, c.fields, c.archive)
		if rec.Code != c.status {
			t.Errorf("%s: status %d, want %d", c.name, rec.Code, c.status)
			continue
		}
		wantText(t, parse(t, rec), "#upload-error", c.msg)
	}
	small := newEnv(t, func(c *Config, _ *Deps) { c.MaxUploadBytes = 10 })
	small.started(tokenB)
	rec := small.submitForm(tokenB, csrf, map[string]string{"mode": "check"}, bytes.Repeat([]byte("x"), 11))
	wantStatus(t, rec, http.StatusRequestEntityTooLarge)
	wantText(t, parse(t, rec), "#upload-error", "exceeds the upload limit of 10 bytes")
}
