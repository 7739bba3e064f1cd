package web

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"takehome/exercises"
	"takehome/grader"
)

// payloads are hostile strings for every candidate-controlled field.
var payloads = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`javascript:alert(1)`,
	`'><svg onload=alert(1)>`,
	"\x1b]8;;javascript:alert(1)\x1b\\<b onmouseover=alert(1)>log</b>\x1b]8;;\x1b\\",
}

// assertPageInert fails when the page holds anything a payload planted: a
// script other than our own static files, an inline event handler, a
// style attribute or a script URL.
func assertPageInert(t *testing.T, what string, doc *goquery.Document) {
	t.Helper()
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		if src, _ := s.Attr("src"); !strings.HasPrefix(src, "/static/") || strings.TrimSpace(s.Text()) != "" {
			t.Errorf("%s: a foreign script: %s", what, goquery.NewDocumentFromNode(s.Nodes[0]).Text())
		}
	})
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			key, val := strings.ToLower(a.Key), strings.ToLower(strings.TrimSpace(a.Val))
			switch {
			case strings.HasPrefix(key, "on"), key == "style":
				t.Errorf("%s: <%s %s=%q>", what, s.Nodes[0].Data, key, a.Val)
			case (key == "href" || key == "src" || key == "action" || key == "xlink:href") && strings.HasPrefix(val, "javascript:"):
				t.Errorf("%s: <%s %s=%q>", what, s.Nodes[0].Data, key, a.Val)
			}
		}
	})
	doc.Find("img, svg image, iframe, object, embed").Each(func(_ int, s *goquery.Selection) {
		t.Errorf("%s: planted element <%s>", what, s.Nodes[0].Data)
	})
}

// hostileEnv fills every candidate-controlled field of invite A and its
// check report with payload p.
func hostileEnv(t *testing.T, p string) *env {
	e := newEnv(t)
	e.started(tokenA)
	e.store.invites[tokenA].Email = p + "@example.com"
	v := e.store.versions[1]
	v.Spec.Title = p
	v.Spec.Brief = "# " + p + "\n\n" + p + "\n\n[x](" + p + ")\n\n<a href=\"" + p + "\">y</a>"
	v.Spec.Phases[0].Name = p
	rep := e.store.reports[subCheckGraded]
	rep.Phases[0].Log = grader.Log{Head: "\x1b[31m" + p + "\x1b[0m", Tail: p}
	rep.Phases[0].Reason = p
	rep.Phases[0].Step = p
	res := rep.Result
	res.Valid, res.Problems = false, []string{p}
	res.Metrics = []exercises.Metric{{Name: p, Value: ptr(1), Convention: p}}
	res.Headline = &exercises.Metric{Name: p, Value: ptr(1)}
	res.Charts = []exercises.Chart{{ID: p, Title: p, Kind: "bar", XLabel: p, YLabel: p,
		Series: []exercises.Series{{Name: p, Points: []exercises.Point{{Label: p, Y: 1}}}}}}
	res.Tables = []exercises.Table{{Title: p, Columns: []string{p}, Rows: [][]string{{p}}}}
	return e
}

func TestCandidatePagesRenderPayloadsInert(t *testing.T) {
	for _, p := range payloads {
		e := hostileEnv(t, p)
		for _, path := range []string{"/invite/inv_a", "/invite/inv_a/upload", "/invite/inv_a/submissions/1", "/invite/inv_a/submissions/1/receipt", "/invite/inv_a/submissions/3"} {
			rec := e.page(http.MethodGet, path, nil, nil)
			wantStatus(t, rec, http.StatusOK)
			doc := parse(t, rec)
			assertPageInert(t, path+" with "+p, doc)
			if strings.Contains(doc.Find("pre.log, .reason").Text(), "\x1b") {
				t.Errorf("%s: a terminal escape reached the log", path)
			}
		}
		// The payload is shown as text where it belongs.
		doc := parse(t, e.page(http.MethodGet, "/invite/inv_a/submissions/1", nil, nil))
		plain := strings.NewReplacer("\x1b]8;;javascript:alert(1)\x1b\\", "", "\x1b]8;;\x1b\\", "").Replace(p)
		if !strings.Contains(doc.Find("details.phase pre.log").First().Text(), plain) {
			t.Errorf("log lost the payload text %q: %q", plain, doc.Find("pre.log").First().Text())
		}
		if textOf(doc.Find("#problems li")) != strings.Join(strings.Fields(p), " ") {
			t.Errorf("problem shown as %q", textOf(doc.Find("#problems li")))
		}
	}
}

func TestUploadErrorWithHostileFileNameIsInert(t *testing.T) {
	for _, p := range payloads {
		e := newEnv(t, func(_ *Config, d *Deps) {
			d.Validate = func(_ io.ReaderAt, _ int64, _ exercises.Spec) error {
				return grader.Errorf(grader.CodeUnprocessable, "archive entry %q escapes the archive", "../"+p)
			}
		})
		e.started(tokenB)
		rec := e.submitForm(tokenB, mac(tokenB, "invite"), map[string]string{"mode": "check"}, []byte("zip"))
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		doc := parse(t, rec)
		assertPageInert(t, "upload error "+p, doc)
		if !strings.Contains(doc.Find("#upload-error").Text(), "escapes the archive") {
			t.Errorf("error not shown: %q", doc.Find("#upload-error").Text())
		}
	}
}
