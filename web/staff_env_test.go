package web

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"gorm.io/gorm"

	"takehome/exercises"
	"takehome/exercises/smoke"
	"takehome/grader"
	"takehome/internal/archive"
	"takehome/internal/pgtest"
	"takehome/internal/postgres"
	"takehome/internal/queue"
)

// The XSS payloads every candidate-controlled string carries in the fixture.
const (
	xssScript = `<script>alert(1)</script>`
	xssAttr   = `"><img src=x onerror=alert(1)>`
	xssURL    = `javascript:alert(1)`
)

// xssAll is one string with every payload.
const xssAll = xssScript + xssAttr + xssURL

// pageNow is the clock of the staff page tests.
var pageNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// staffEnv is the real router on a real store in a transaction rolled back
// when the test ends, with a fixture: an admin and an interviewer signed
// in, two candidates (A with a graded check submission full of XSS
// payloads, B with a queued one).
type staffEnv struct {
	t       *testing.T
	store   *postgres.Store
	db      *gorm.DB
	srv     *Server
	handler http.Handler
	jobs    *recordingJobs
	logs    *syncBuffer

	admin, interviewer   *grader.User
	adminSession         string
	interviewerSession   string
	version              *grader.ExerciseVersion
	modelsVersion        *grader.ExerciseVersion // a smoke version with model access
	tokenA, tokenB       string
	inviteA, inviteB     *grader.Invite
	subA, subB, subFinal *grader.Submission
}

// pageDBs caches one migrated database per top-level test.
var pageDBs sync.Map // test name -> *gorm.DB

// pageDB returns a migrated database for the top-level test of t.
func pageDB(t *testing.T) *gorm.DB {
	t.Helper()
	top := strings.SplitN(t.Name(), "/", 2)[0]
	if db, ok := pageDBs.Load(top); ok {
		return db.(*gorm.DB)
	}
	db, err := postgres.Open(context.Background(), pgtest.URL(t), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		pageDBs.Delete(top)
		if s, err := db.DB(); err == nil {
			_ = s.Close()
		}
	})
	pageDBs.Store(top, db)
	return db
}

func newStaffEnv(t *testing.T) *staffEnv {
	t.Helper()
	tx := pageDB(t).WithContext(context.Background()).Begin()
	if tx.Error != nil {
		t.Fatal(tx.Error)
	}
	t.Cleanup(func() { tx.Rollback() })
	return newStaffEnvOn(t, tx)
}

// newCommittedStaffEnv works on the test's own database without a
// transaction: for tests whose requests hit constraint violations, which
// abort an enclosing transaction.
func newCommittedStaffEnv(t *testing.T) *staffEnv {
	t.Helper()
	return newStaffEnvOn(t, pageDB(t))
}

func newStaffEnvOn(t *testing.T, tx *gorm.DB) *staffEnv {
	t.Helper()
	db, ok := tx.Statement.ConnPool.(queue.Querier) // the test's transaction, or the database
	if !ok {
		t.Fatalf("gorm pool %T runs no queries", tx.Statement.ConnPool)
	}
	e := &staffEnv{t: t, db: tx, jobs: &recordingJobs{db: db}, logs: &syncBuffer{}}
	e.store = postgres.NewStore(tx, &countingQueue{})
	deps := Deps{
		Invites: e.store, Versions: e.store, Users: e.store, Submissions: e.store, Audit: e.store, Jobs: e.jobs,
		Sessions: e.store, Staff: e.store, Calls: e.store, Exercises: exercises.NewRegistry(smoke.New()),
		Lister:      e.store,
		Validate:    func(io.ReaderAt, int64, exercises.Spec) error { return nil },
		ReadArchive: func(b []byte) ([]exercises.File, error) { return archive.Read(b, archive.DefaultLimits()) },
		// The real ones are archive.ReadDir and rag.ImportBEIR, tested with
		// the upload and in cmd/runner; these check the page's flow with a
		// built version under the slug.
		ReadFolder: func(dir string) ([]exercises.File, error) {
			if dir != "/data/beir/scifact" {
				return nil, grader.Errorf(grader.CodeInvalid, "no corpus.jsonl in %s", dir)
			}
			return []exercises.File{{Name: "corpus.jsonl"}}, nil
		},
		ImportBEIR: func(files []exercises.File, slug string) (*exercises.Version, error) {
			v, err := smoke.New().Build(3)
			if err == nil {
				v.Spec.Slug = slug
			}
			return v, err
		},
		Now:    func() time.Time { return pageNow },
		Logger: slog.New(slog.NewJSONHandler(e.logs, nil)),
	}
	e.srv = New(Config{BaseURL: "https://takehome.test"}, deps)
	e.handler = e.srv.Handler()
	e.seed()
	return e
}

func (e *staffEnv) seed() {
	t, ctx := e.t, e.t.Context()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var err error
	e.admin, err = e.store.CreateUser(ctx, "admin@example.com", grader.RoleAdmin, mustHash(t, "admin-password-1"))
	must(err)
	e.interviewer, err = e.store.CreateUser(ctx, "ivy@example.com", grader.RoleInterviewer, mustHash(t, "ivy-password-123"))
	must(err)
	e.adminSession, err = e.store.CreateSession(ctx, e.admin.ID, pageNow, "", "")
	must(err)
	e.interviewerSession, err = e.store.CreateSession(ctx, e.interviewer.ID, pageNow, "", "")
	must(err)
	built, err := smoke.New().Build(1)
	must(err)
	e.version, err = e.store.CreateVersion(ctx, built)
	must(err)
	e.inviteA, e.tokenA = e.invite("cand-a" + xssAll + "@example.com")
	e.inviteB, e.tokenB = e.invite("cand-b@example.com")
	e.subA = e.submit(e.inviteA, exercises.ModeCheck, xssArchive(t))
	e.gradeWithXSS(e.subA, 72.5)
	e.subFinal = e.submit(e.inviteA, exercises.ModeFinal, xssArchive(t))
	e.gradeWithXSS(e.subFinal, 80)
	e.subB = e.submit(e.inviteB, exercises.ModeCheck, xssArchive(t))
	withModels, err := smoke.New().Build(2)
	must(err)
	withModels.Spec.Slug, withModels.Spec.Engine = "smoke-models", smoke.Slug // a slug of its own: smoke-sum's version numbers stay
	withModels.Spec.Models = &exercises.ModelAccess{Provider: grader.BuiltinProvider, BudgetMicroUSD: 250_000,
		Models: []exercises.Model{{Name: "gpt-4o-mini", Kind: exercises.ModelChat, InputPrice: 150_000, OutputPrice: 600_000}}}
	e.modelsVersion, err = e.store.CreateVersion(ctx, withModels)
	must(err)
	must(e.store.SaveLLMProvider(ctx, grader.LLMProvider{Name: "openai", BaseURL: "https://api.openai.com/v1", Key: fixtureProviderKey,
		UpdatedAt: pageNow.Add(-2 * time.Hour), UpdatedBy: "admin@example.com"}))
}

// fixtureProviderKey is the stored key of the fixture's provider: no page may show it.
const fixtureProviderKey = "sk-fixture-never-shown-8d1f"

func (e *staffEnv) invite(email string) (*grader.Invite, string) {
	e.t.Helper()
	inv := &grader.Invite{ExerciseVersionID: e.version.ID, Email: email, ExpiresAt: pageNow.Add(7 * 24 * time.Hour), Window: 48 * time.Hour, Attempts: 5}
	token, err := e.store.CreateInvite(e.t.Context(), inv)
	if err != nil {
		e.t.Fatal(err)
	}
	return inv, token
}

func (e *staffEnv) submit(inv *grader.Invite, mode exercises.Mode, archive []byte) *grader.Submission {
	e.t.Helper()
	sub := &grader.Submission{InviteID: inv.ID, ExerciseVersionID: inv.ExerciseVersionID, Mode: mode}
	if _, err := e.store.CreateSubmission(e.t.Context(), sub, bytes.NewReader(archive), int64(len(archive)), pageNow.Add(-time.Hour)); err != nil {
		e.t.Fatal(err)
	}
	return sub
}

// gradeWithXSS saves a report whose every candidate-controlled string is
// an XSS payload.
func (e *staffEnv) gradeWithXSS(sub *grader.Submission, score float64) {
	e.t.Helper()
	ctx := e.t.Context()
	run, err := e.store.StartRun(ctx, sub.ID, "w1", pageNow.Add(-30*time.Minute))
	if err != nil {
		e.t.Fatal(err)
	}
	v, lo, hi := 0.81, 0.75, 0.86
	rep := &grader.Report{
		SubmissionID: sub.ID, RunID: run.ID, Exercise: smoke.Slug, Version: 1, Mode: sub.Mode,
		Phases: []grader.PhaseRecord{
			{Step: "learn", Phase: "learn", Runtime: "runsc", Verdict: grader.VerdictOK, Wall: 1500 * time.Millisecond, PeakMemory: 12 << 20,
				Log: grader.Log{Head: "\x1b[31mred " + xssAll + "\x1b[0m\n", Tail: "done", Dropped: 10}},
			{Step: "solve", Phase: "solve", Verdict: grader.VerdictOK, Wall: 2 * time.Second, PeakMemory: 20 << 20, Log: grader.Log{Head: "ok"},
				Models: &grader.ModelUse{Provider: grader.BuiltinProvider, Calls: 1, Refused: 1, CostMicro: 321, BudgetExceeded: true}},
		},
		Result: &exercises.Result{
			Valid: true, Score: &score,
			Headline: &exercises.Metric{Name: "accuracy", Value: &v, Low: &lo, High: &hi, Convention: "higher is better"},
			Metrics:  []exercises.Metric{{Name: "accuracy", Value: &v, Low: &lo, High: &hi}, {Name: "output " + xssAll, Value: &v}},
			Findings: []string{"Finding " + xssAll},
			Charts: []exercises.Chart{{ID: "roc", Title: "ROC " + xssAll, Kind: "line", XLabel: "false positive rate", YLabel: "true positive rate",
				Series: []exercises.Series{{Name: "model " + xssAll, Points: []exercises.Point{{X: 0, Y: 0}, {X: 0.2, Y: 0.7}, {X: 1, Y: 1}}}}}},
			Tables: []exercises.Table{{Title: "Worst " + xssAll, Columns: []string{"query", "answer"}, Rows: [][]string{{xssAll, xssURL}}, StaffOnly: true}},
		},
		Notes:    "# Notes\n\n" + xssAll + "\n\n[click](" + xssURL + ")\n\n<img src=x onerror=alert(1)>",
		GradedAt: pageNow.Add(-20 * time.Minute),
	}
	if err := e.store.SaveReport(ctx, rep, nil); err != nil {
		e.t.Fatal(err)
	}
	e.modelCalls(run.ID)
}

// modelCalls records a run's model calls whose prompts, answers and model
// names carry the payloads: one settled, one refused by the budget.
func (e *staffEnv) modelCalls(runID int64) {
	e.t.Helper()
	ctx := e.t.Context()
	if err := e.store.SetLLMBudget(ctx, runID, "", 1000); err != nil {
		e.t.Fatal(err)
	}
	call := grader.ModelCall{RunID: runID, Phase: "solve", Step: "solve", Endpoint: "chat.completions", Model: "gpt " + xssAll,
		Provider: grader.BuiltinProvider, ReservedMicro: 400, StartedAt: pageNow.Add(-25 * time.Minute)}
	id, err := e.store.ReserveLLMCall(ctx, call)
	if err != nil {
		e.t.Fatal(err)
	}
	call.ID, call.Status, call.HTTPStatus, call.CostMicro, call.CostSource = id, grader.CallOK, 200, 321, grader.CostProvider
	call.PromptTokens, call.CompletionTokens, call.Total, call.FirstToken = 40, 9, 120*time.Millisecond, 30*time.Millisecond
	call.RequestGz, call.ResponseGz = gz(`{"messages":[{"role":"user","content":"`+xssAll+`"}]}`), gz(`{"answer":"`+xssScript+`"}`)
	if err := e.store.SettleLLMCall(ctx, call, pageNow.Add(-24*time.Minute)); err != nil {
		e.t.Fatal(err)
	}
	refused := call
	refused.Status, refused.HTTPStatus, refused.CostMicro = grader.CallBudgetExceeded, 429, 0
	refused.PromptTokens, refused.CompletionTokens, refused.Total, refused.FirstToken = 0, 0, time.Millisecond, 0
	if err := e.store.RecordLLMRefusal(ctx, refused, pageNow.Add(-23*time.Minute)); err != nil {
		e.t.Fatal(err)
	}
}

func gz(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

// xssArchive is a submission archive whose file names and contents carry
// the payloads.
func xssArchive(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"takehome.yaml":             "phases: {}\n",
		"src/main.py":               "print('" + xssAll + "')\n",
		"src/" + xssAttr + ".py":    "x = 1\n",
		"notes/<script>alert(1).md": xssScript,
		"NOTES.md":                  "# My approach\n\n" + xssAll + "\n\n[link](" + xssURL + ")\n",
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hashes caches bcrypt hashes: each costs tens of milliseconds.
var hashes sync.Map

func mustHash(t *testing.T, pw string) string {
	t.Helper()
	if h, ok := hashes.Load(pw); ok {
		return h.(string)
	}
	h, err := hashPassword(pw, pw)
	if err != nil {
		t.Fatal(err)
	}
	hashes.Store(pw, h)
	return h
}

// pageReq is one request to a page.
type pageReq struct {
	method, path string
	session      string // staff session token
	form         url.Values
	csrf         bool // add the right CSRF token for the caller
	header       map[string]string
	cookies      []*http.Cookie
}

// do sends r through the router.
func (e *staffEnv) do(r pageReq) *httptest.ResponseRecorder {
	e.t.Helper()
	var body io.Reader
	if r.form != nil || r.method == http.MethodPost {
		if r.form == nil {
			r.form = url.Values{}
		}
		if r.csrf {
			r.form.Set(csrfFormField, e.csrfFor(r))
		}
		body = strings.NewReader(r.form.Encode())
	}
	req := httptest.NewRequest(r.method, r.path, body)
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	if r.session != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: r.session})
	}
	for _, c := range r.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	return rec
}

// csrfFor is the CSRF token a page would have given the caller of r.
func (e *staffEnv) csrfFor(r pageReq) string {
	if strings.HasPrefix(r.path, "/invite/") {
		return mac(strings.SplitN(strings.TrimPrefix(r.path, "/invite/"), "/", 2)[0], "invite")
	}
	if r.session != "" {
		return mac(r.session, "session")
	}
	for _, c := range r.cookies {
		if c.Name == anonCookie {
			return mac(c.Value, "anon")
		}
	}
	return "none"
}

func (e *staffEnv) get(path, session string) *httptest.ResponseRecorder {
	e.t.Helper()
	return e.do(pageReq{method: http.MethodGet, path: path, session: session})
}

func (e *staffEnv) post(path, session string, form url.Values) *httptest.ResponseRecorder {
	e.t.Helper()
	return e.do(pageReq{method: http.MethodPost, path: path, session: session, form: form, csrf: true})
}

// spDoc parses an HTML response, failing unless it has the status.
func spDoc(t *testing.T, rec *httptest.ResponseRecorder, status int) *goquery.Document {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status = %d, want %d; body:\n%.2000s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("Content-Type = %q, want HTML", ct)
	}
	d, err := goquery.NewDocumentFromReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// spText is the trimmed text of the selection.
func spText(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

// countingQueue is an Enqueuer numbering jobs; the store tests prove the
// transactional enqueue with River.
type countingQueue struct {
	mu sync.Mutex
	n  int64
}

func (q *countingQueue) EnqueueGrade(context.Context, *sql.Tx, int64) (int64, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.n++
	return 5000 + q.n, nil
}

// recordingJobs records cancelled jobs and lists River's jobs as the queue
// does, inside the test's transaction.
type recordingJobs struct {
	mu       sync.Mutex
	canceled []int64
	db       queue.Querier
}

func (j *recordingJobs) ListJobs(ctx context.Context, limit int) ([]grader.QueueJob, error) {
	return queue.ListJobs(ctx, j.db, limit)
}

func (j *recordingJobs) CancelJob(_ context.Context, id int64) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.canceled = append(j.canceled, id)
	return nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
