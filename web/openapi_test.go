package web

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"mime"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"
)

// The OpenAPI document, loaded and validated once.
var (
	docOnce sync.Once
	doc     *openapi3.T
	docErr  error
)

func loadDocument(t *testing.T) *openapi3.T {
	t.Helper()
	docOnce.Do(func() {
		doc, docErr = openapi3.NewLoader().LoadFromData(openAPIDocument)
		if docErr == nil {
			docErr = doc.Validate(context.Background())
		}
	})
	if docErr != nil {
		t.Fatalf("openapi.json: %v", docErr)
	}
	return doc
}

// observed records every (METHOD path-template, status) a test saw, so that
// TestMain can tell which documented responses no test produced.
var observed = struct {
	sync.Mutex
	m map[string]bool
}{m: map[string]bool{}}

func opKey(method, template string, status string) string {
	return method + " " + template + " " + status
}

// findOperation matches a request path against the document's paths.
func findOperation(d *openapi3.T, method, path string) (string, *openapi3.Operation) {
	for template, item := range d.Paths.Map() {
		if matchTemplate(template, path) {
			return template, item.GetOperation(method)
		}
	}
	return "", nil
}

func matchTemplate(template, path string) bool {
	ts, ps := strings.Split(template, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i := range ts {
		if ts[i] != ps[i] && (!strings.HasPrefix(ts[i], "{") || ps[i] == "") {
			return false
		}
	}
	return true
}

// checkAgainstDocument fails t when the response's status is not documented
// for its operation or its JSON body does not match the documented schema.
func checkAgainstDocument(t *testing.T, method, path string, rec *httptest.ResponseRecorder) {
	t.Helper()
	d := loadDocument(t)
	template, op := findOperation(d, method, path)
	if op == nil {
		return // not a route of the API (a 404 of the router)
	}
	status := strconv.Itoa(rec.Code)
	resp := op.Responses.Value(status)
	if resp == nil && rec.Code >= 500 {
		resp = op.Responses.Default()
	}
	if resp == nil {
		t.Errorf("%s %s: status %d is not documented", method, template, rec.Code)
		return
	}
	observed.Lock()
	observed.m[opKey(method, template, status)] = true
	observed.Unlock()
	checkBody(t, method+" "+template+" "+status, resp.Value, rec)
}

func checkBody(t *testing.T, what string, resp *openapi3.Response, rec *httptest.ResponseRecorder) {
	t.Helper()
	ctype, _, _ := mime.ParseMediaType(rec.Header().Get("Content-Type"))
	media := resp.Content.Get(ctype)
	if media == nil {
		t.Errorf("%s: content type %q is not documented", what, ctype)
		return
	}
	if ctype != "application/json" {
		return
	}
	var body any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Errorf("%s: body is not JSON: %v", what, err)
		return
	}
	if err := media.Schema.Value.VisitJSON(body); err != nil {
		t.Errorf("%s: body does not match the schema: %v\nbody: %s", what, err, rec.Body)
	}
}

// TestMain runs the tests, then, on a full run, fails when a documented
// status of an operation was produced by no test: the document may only
// promise what the handlers do.
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" {
		if missing := unobserved(); len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "documented responses no test produced:\n  %s\n", strings.Join(missing, "\n  "))
			code = 1
		}
	}
	os.Exit(code)
}

func unobserved() []string {
	d, err := openapi3.NewLoader().LoadFromData(openAPIDocument)
	if err != nil {
		return []string{err.Error()}
	}
	var missing []string
	for template, item := range d.Paths.Map() {
		for method, op := range item.Operations() {
			for status := range op.Responses.Map() {
				if status != "default" && !observed.m[opKey(method, template, status)] {
					missing = append(missing, opKey(method, template, status))
				}
			}
		}
	}
	slices.Sort(missing)
	return missing
}

// ginPath turns an OpenAPI path template into gin's syntax.
func ginPath(template string) string {
	return strings.NewReplacer("{", ":", "}", "").Replace(template)
}

// TestOpenAPIMatchesRoutes checks that the document and the route table
// list the same operations, and that the router serves exactly the table.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	d := loadDocument(t)
	srv := newEnv(t).srv
	table := map[string]route{} // the API: pages are not in the document
	for _, r := range srv.apiRoutes() {
		table[r.method+" "+r.path] = r
	}
	documented := map[string]*openapi3.Operation{}
	for template, item := range d.Paths.Map() {
		for method, op := range item.Operations() {
			documented[method+" "+ginPath(template)] = op
		}
	}
	for k := range table {
		if documented[k] == nil {
			t.Errorf("route %s is not in openapi.json", k)
		}
	}
	for k := range documented {
		if _, ok := table[k]; !ok {
			t.Errorf("openapi.json documents %s, which is not a route", k)
		}
	}
	var served []string
	for _, r := range srv.Handler().(*gin.Engine).Routes() {
		served = append(served, r.Method+" "+r.Path)
	}
	if all := len(srv.apiRoutes()) + len(srv.pageRoutes()); len(served) != all {
		t.Errorf("router serves %d routes, table has %d: %v", len(served), all, served)
	}
	for k, r := range table {
		checkSecurity(t, k, r.allow, documented[k])
	}
}

// checkSecurity checks that an operation documents the tokens its route
// admits, 401 when it needs one, 403 when some token is refused, and the
// error envelope for every error response.
func checkSecurity(t *testing.T, k string, allow access, op *openapi3.Operation) {
	t.Helper()
	if op == nil {
		return
	}
	var schemes []string
	if op.Security != nil {
		for _, req := range *op.Security {
			for name := range req {
				schemes = append(schemes, name)
			}
		}
	}
	slices.Sort(schemes)
	want := map[access][]string{
		public: nil, candidate: {"inviteToken"}, staff: {"apiToken"}, admin: {"apiToken"},
		candidate | staff: {"apiToken", "inviteToken"},
	}[allow]
	if !slices.Equal(schemes, want) {
		t.Errorf("%s: security %v, want %v", k, schemes, want)
	}
	has := func(s string) bool { return op.Responses.Value(s) != nil }
	if allow != public && !has("401") {
		t.Errorf("%s: needs a token but documents no 401", k)
	}
	if allow == public && (has("401") || has("403")) {
		t.Errorf("%s: is public but documents 401 or 403", k)
	}
	if refuses := allow != public && allow != candidate|staff; refuses != has("403") {
		t.Errorf("%s: documents 403 = %v, want %v", k, has("403"), refuses)
	}
	for status, resp := range op.Responses.Map() {
		if status != "default" && status < "400" || k == "GET /readyz" && status == "503" {
			continue // success, or readiness reporting its checks
		}
		media := resp.Value.Content.Get("application/json")
		if media == nil || media.Schema.Ref != "#/components/schemas/Error" {
			t.Errorf("%s: response %s does not use the Error schema", k, status)
		}
	}
}

// TestOpenAPIServed checks that the served document is the embedded one.
func TestOpenAPIServed(t *testing.T) {
	e := newEnv(t)
	rec := e.get("/api/v1/openapi.json", "")
	wantStatus(t, rec, 200)
	if rec.Body.String() != string(openAPIDocument) {
		t.Error("served document differs from openapi.json")
	}
	if v := decode(t, rec)["openapi"]; v != "3.0.3" {
		t.Errorf("openapi = %v", v)
	}
}
