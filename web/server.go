// Package web serves the JSON API of takehome: a candidate's invite, starter
// kit and submissions, the staff's submission list and reports, and the
// operational endpoints (health, readiness, metrics, the OpenAPI document).
package web

import (
	"context"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"takehome/exercises"
	"takehome/grader"
)

// DefaultMaxUploadBytes is the largest submission archive accepted when
// Config.MaxUploadBytes is not set.
const DefaultMaxUploadBytes int64 = 50 << 20

// DefaultMaxConcurrentIngest is how many uploads are validated and stored at
// once when Config.MaxConcurrentIngest is not set.
const DefaultMaxConcurrentIngest = 2

// Config holds the settings of the HTTP API.
type Config struct {
	// BaseURL is the server's public URL, e.g. "https://takehome.example.com",
	// used for absolute links in responses. Empty means relative links.
	BaseURL string
	// MaxUploadBytes bounds a submission archive; 0 means DefaultMaxUploadBytes.
	MaxUploadBytes int64
	// MaxConcurrentIngest bounds the uploads validated and stored at once;
	// the others wait. Receiving an upload costs little memory (it is spooled
	// to a temporary file), validating and storing it a few MB. 0 means
	// DefaultMaxConcurrentIngest.
	MaxConcurrentIngest int
	// InsecureCookies drops the Secure flag of cookies and HSTS, for a
	// server on plain-HTTP localhost.
	InsecureCookies bool
}

// Deps are the collaborators of the API. Invites, Versions, Users,
// Submissions, Lister, Audit, Jobs and Validate are required; the rest have
// defaults.
type Deps struct {
	// Invites resolves invite tokens and starts invites.
	Invites InviteStore
	// Versions reads exercise versions and their starter kits.
	Versions VersionStore
	// Users resolves staff API tokens.
	Users UserStore
	// Submissions creates and reads submissions and reports.
	Submissions SubmissionStore
	// Lister lists submissions for staff.
	Lister SubmissionLister
	// Audit records staff reads of reports and admin actions.
	Audit AuditLog
	// Jobs lists and cancels grading jobs.
	Jobs JobQueue
	// Validate checks an uploaded archive of size bytes against the exercise
	// before it is stored; it returns a *grader.Error (too_large,
	// unprocessable) with a message for the candidate. It should read the
	// archive in pieces: it may be as large as Config.MaxUploadBytes.
	Validate func(archive io.ReaderAt, size int64, spec exercises.Spec) error
	// Sessions keeps staff sign-in sessions; nil disables staff pages.
	Sessions SessionStore
	// Calls reads the model calls of a run, for a candidate's self-check
	// report; nil shows none.
	Calls ModelCallReader
	// Staff backs the staff pages; nil disables them.
	Staff StaffStore
	// Exercises are the built-in exercises admins build new versions of.
	Exercises *exercises.Registry
	// ImportBEIR builds a retrieval exercise version from the files of a
	// BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv); nil hides
	// the import form.
	ImportBEIR func(files []exercises.File, slug string) (*exercises.Version, error)
	// ReadFolder reads a folder on the server for an import; nil offers
	// uploads only.
	ReadFolder func(dir string) ([]exercises.File, error)
	// ReadArchive unpacks a stored submission archive (zip or tar.gz) for
	// the code browser; nil hides the code.
	ReadArchive func(data []byte) ([]exercises.File, error)
	// Ready are the named readiness checks of /readyz (database, docker, schema).
	Ready map[string]func(context.Context) error
	// Gatherer is what /metrics exposes; nil means prometheus.DefaultGatherer.
	Gatherer prometheus.Gatherer
	// Now tells the time; nil means time.Now.
	Now func() time.Time
	// Logger receives the access log and internal errors; nil discards them.
	Logger *slog.Logger
}

// Server is the HTTP API. Build it with New.
type Server struct {
	cfg     Config
	deps    Deps
	log     *slog.Logger
	metrics http.Handler
	ingest  chan struct{} // one element per upload being validated or stored
	pages   *pageSet
	cache   *sessionCache             // recent staff session lookups
	lists   *pageCache[template.HTML] // rendered pages of the submission list
	reports *pageCache[reportView]    // the graded part of report pages
	streams *streamCloser             // ends the event streams on shutdown
}

// New returns a Server. It panics when a required dependency is missing,
// which is a wiring mistake.
func New(cfg Config, deps Deps) *Server {
	mustHave(deps)
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = DefaultMaxUploadBytes
	}
	if cfg.MaxConcurrentIngest <= 0 {
		cfg.MaxConcurrentIngest = DefaultMaxConcurrentIngest
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if deps.Gatherer == nil {
		deps.Gatherer = prometheus.DefaultGatherer
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	return &Server{
		cfg:     cfg,
		deps:    deps,
		log:     deps.Logger,
		metrics: promhttp.HandlerFor(deps.Gatherer, promhttp.HandlerOpts{}),
		ingest:  make(chan struct{}, cfg.MaxConcurrentIngest),
		pages:   loadPages(),
		cache:   newSessionCache(),
		lists:   newPageCache[template.HTML](pageCacheTTL, maxCachedPages),
		reports: newPageCache[reportView](pageCacheTTL, maxCachedPages),
		streams: &streamCloser{done: make(chan struct{})},
	}
}

func mustHave(d Deps) {
	required := []struct {
		name    string
		missing bool
	}{
		{"Invites", d.Invites == nil}, {"Versions", d.Versions == nil}, {"Users", d.Users == nil},
		{"Submissions", d.Submissions == nil}, {"Lister", d.Lister == nil}, {"Audit", d.Audit == nil},
		{"Jobs", d.Jobs == nil}, {"Validate", d.Validate == nil},
	}
	for _, r := range required {
		if r.missing {
			panic("web.New: Deps." + r.name + " is nil")
		}
	}
}

// releaseMode switches gin, a process-wide setting, to release mode once.
var releaseMode sync.Once

// Handler returns the router serving every route of the API.
func (s *Server) Handler() http.Handler {
	releaseMode.Do(func() { gin.SetMode(gin.ReleaseMode) })
	engine := gin.New()
	engine.ContextWithFallback = true
	_ = engine.SetTrustedProxies(nil) // client IPs come from the socket, never from headers
	engine.Use(s.accessLog, s.securityHeaders, s.recovery)
	for _, r := range s.apiRoutes() {
		engine.Handle(r.method, r.path, s.adapt(r))
	}
	for _, r := range s.pageRoutes() {
		engine.Handle(r.method, r.path, s.adaptPage(r))
	}
	engine.NoRoute(func(c *gin.Context) {
		if strings.HasPrefix(c.Request.URL.Path, "/api/") {
			s.renderError(c, errNoRoute(c.Request))
			return
		}
		s.pageError(c, grader.Errorf(grader.CodeNotFound, "there is no page at this address"))
	})
	return engine
}

func (s *Server) now() time.Time { return s.deps.Now() }

// link returns the absolute URL of path when a base URL is configured.
func (s *Server) link(path string) string { return s.cfg.BaseURL + path }
