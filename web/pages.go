package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"takehome/grader"
	"takehome/web/render"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageView is what the layout renders: the page's own data under Data and
// what every page needs around it.
type pageView struct {
	Title string
	Name  string // template name, e.g. "staff_list": the body's class
	CSRF  string
	User  *grader.User // the signed-in staff user, if any
	Flash string
	Data  any
	// Content, when set, is the page's "content" already rendered by
	// renderContent, for pages that cache it; Data then only names the page.
	Content template.HTML
}

// titled lets a page's data name the page's <title>.
type titled interface{ PageTitle() string }

// How to write a page: add web/templates/<name>.html defining "content"
// (and optionally "head" and "scripts" for extra <link>/<script src>), read
// the handler's data as .Data, put {{template "csrf" $}} inside every POST
// form (scripts send the same token as the X-CSRF-Token header; read it from
// a data- attribute), and call s.page(c, status, "<name>", data). Give data
// a PageTitle() method to set the <title>. Nothing inline: no <script>
// bodies, no style= attributes (the CSP refuses them).

// pageSet holds every page template, each parsed with the layout and the
// partials (files starting with "_") once at start-up.
type pageSet struct {
	pages  map[string]*template.Template
	hashes map[string]string // static file name -> content hash, for cache busting
}

// loadPages parses the embedded templates and hashes the static files. A
// broken template is a programming error: it panics at start-up.
func loadPages() *pageSet {
	ps := &pageSet{pages: map[string]*template.Template{}, hashes: staticHashes()}
	funcs := pageFuncs(ps)
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	var partials []string
	for _, n := range names {
		if strings.HasPrefix(path.Base(n), "_") || path.Base(n) == "layout.html" {
			partials = append(partials, n)
		}
	}
	for _, n := range names {
		if slices.Contains(partials, n) {
			continue
		}
		// The layout first: a page's "head" or "scripts" then replaces
		// the layout's empty blocks.
		files := append(slices.Clone(partials), n)
		t := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, files...))
		ps.pages[strings.TrimSuffix(path.Base(n), ".html")] = t
	}
	return ps
}

// page renders the named template (web/templates/<name>.html) inside the
// layout. It renders into a buffer first so a template error becomes a
// clean 500, never half a page.
func (s *Server) page(c *gin.Context, status int, name string, data any) {
	t, ok := s.pages.pages[name]
	if !ok {
		s.pageError(c, fmt.Errorf("no page template %q", name))
		return
	}
	v := pageView{Name: name, CSRF: s.csrfToken(c), Data: data}
	if p, ok := c.Get(ctxPrincipal); ok {
		v.User = p.(principal).user
	}
	if td, ok := data.(titled); ok {
		v.Title = td.PageTitle()
	}
	if f, err := c.Cookie(flashCookie); err == nil && f != "" {
		if b, err := base64.RawURLEncoding.DecodeString(f); err == nil {
			v.Flash = string(b)
		}
		s.setCookie(c, flashCookie, "", -1)
	}
	if pre, ok := data.(prerendered); ok {
		v.Content = pre.content
	}
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer putPageBuffer(buf)
	buf.Reset()
	if err := t.Execute(buf, v); err != nil {
		s.log.ErrorContext(c, "render page", "page", name, "err", err)
		if name != "error" {
			s.pageError(c, grader.Errorf(grader.CodeInternal, "render %s: %v", name, err))
		}
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// pageBuffers recycles the buffers pages render into: a report page is tens
// of KB, and at thousands of pages a second fresh buffers kept the garbage
// collector busy enough to stretch the latency's tail.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledPage is the largest buffer kept for reuse.
const maxPooledPage = 1 << 20

func putPageBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooledPage {
		pageBuffers.Put(b)
	}
}

// prerendered is the data of a page whose content was rendered before, by
// renderContent, e.g. to be cached: the layout puts it in as it is.
type prerendered struct {
	title   string
	content template.HTML
}

// PageTitle names the page.
func (p prerendered) PageTitle() string { return p.title }

// renderContent renders the "content" template of page name with data, as
// the page would, for pages that cache their content. The content must not
// depend on who is asking (no CSRF token, no user).
func (s *Server) renderContent(name string, data any) (template.HTML, error) {
	return s.renderPart(name, "content", pageView{Name: name, Data: data})
}

// renderPart renders the template part defined in page name's file with
// data, e.g. a cached piece of the page.
func (s *Server) renderPart(name, part string, data any) (template.HTML, error) {
	t, ok := s.pages.pages[name]
	if !ok {
		return "", fmt.Errorf("no page template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, part, data); err != nil {
		return "", fmt.Errorf("render %s of %s: %w", part, name, err)
	}
	return template.HTML(buf.String()), nil // html/template escaped it
}

// errorView is the data of the error page.
type errorView struct {
	Status  int
	Title   string
	Message string
	Code    grader.Code
}

// PageTitle names the error page.
func (e errorView) PageTitle() string { return e.Title }

var errorTitles = map[int]string{
	http.StatusBadRequest:            "Bad request",
	http.StatusUnauthorized:          "Sign-in required",
	http.StatusForbidden:             "Not allowed",
	http.StatusNotFound:              "Not found",
	http.StatusConflict:              "Conflict",
	http.StatusRequestEntityTooLarge: "Too large",
	http.StatusUnprocessableEntity:   "Cannot process",
	http.StatusTooManyRequests:       "Too many requests",
	http.StatusServiceUnavailable:    "Unavailable",
	http.StatusInternalServerError:   "Something went wrong",
}

// pageError renders err as an HTML error page with the status of its code.
// Errors without a code are internal: logged with their detail, shown as
// "internal error". A staff page asking for a sign-in redirects to it.
func (s *Server) pageError(c *gin.Context, err error) {
	code, status, msg := s.describeError(c, err)
	if c.Writer.Written() {
		return
	}
	if status == http.StatusUnauthorized && c.Param("token") == "" && c.Request.Method == http.MethodGet {
		c.Redirect(http.StatusSeeOther, "/login?next="+urlQueryEscape(c.Request.URL.RequestURI()))
		c.Abort()
		return
	}
	s.page(c, status, "error", errorView{Status: status, Title: errorTitles[status], Message: msg, Code: code})
	c.Abort()
}

// generatedStatic are static files made at start-up rather than embedded.
var generatedStatic = map[string][]byte{
	"highlight.css": render.HighlightCSS(),
}

// staticFile returns a static file's content.
func staticFile(name string) ([]byte, bool) {
	if b, ok := generatedStatic[name]; ok {
		return b, true
	}
	if name == "" || strings.Contains(name, "..") {
		return nil, false
	}
	b, err := staticFS.ReadFile("static/" + name)
	return b, err == nil
}

// staticHashes returns a short content hash of every static file.
func staticHashes() map[string]string {
	h := map[string]string{}
	add := func(name string, b []byte) {
		sum := sha256.Sum256(b)
		h[name] = hex.EncodeToString(sum[:6])
	}
	for name, b := range generatedStatic {
		add(name, b)
	}
	_ = fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err == nil {
			add(strings.TrimPrefix(p, "static/"), b)
		}
		return err
	})
	return h
}

// staticURL is the URL of a static file with its content hash, so browsers
// may cache it for good.
func (ps *pageSet) staticURL(name string) string {
	return "/static/" + name + "?v=" + ps.hashes[name]
}

// serveStatic serves the static files, embedded or generated (e.g. the
// highlighting stylesheet, see generatedStatic).
func (s *Server) serveStatic(c *gin.Context, _ principal) error {
	name := strings.TrimPrefix(c.Param("file"), "/")
	b, ok := staticFile(name)
	if !ok {
		return grader.Errorf(grader.CodeNotFound, "no static file %q", name)
	}
	if c.Query("v") != "" && c.Query("v") == s.pages.hashes[name] {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "no-cache")
	}
	http.ServeContent(c.Writer, c.Request, name, time.Time{}, bytes.NewReader(b))
	return nil
}
