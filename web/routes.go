package web

import "net/http"

// route is one endpoint: who may call it and the handler that serves it.
type route struct {
	method string
	path   string
	allow  access
	handle handlerFunc
}

// pageRoutes are the server-rendered pages and their static files: HTML
// errors, session cookies or invite tokens in the URL, CSRF on forms.
func (s *Server) pageRoutes() []route {
	all := []route{{http.MethodGet, "/static/*file", public, s.serveStatic}}
	all = append(all, s.staffPageRoutes()...)
	return append(all, s.candidatePageRoutes()...)
}

// apiRoutes are the endpoints of the JSON API under /api/v1 and the
// operational endpoints.
func (s *Server) apiRoutes() []route {
	return []route{
		{http.MethodGet, "/healthz", public, s.healthz},
		{http.MethodGet, "/readyz", public, s.readyz},
		{http.MethodGet, "/metrics", public, s.metricsHandler},
		{http.MethodGet, "/api/v1/openapi.json", public, s.openAPI},

		{http.MethodGet, "/api/v1/invite", candidate, s.getInvite},
		{http.MethodPost, "/api/v1/invite/start", candidate, s.startInvite},
		{http.MethodGet, "/api/v1/invite/starter-kit", candidate, s.starterKit},
		{http.MethodPost, "/api/v1/submissions", candidate, s.createSubmission},

		{http.MethodGet, "/api/v1/submissions/:id", candidate | staff, s.getSubmission},
		{http.MethodGet, "/api/v1/submissions", staff, s.listSubmissions},
		{http.MethodGet, "/api/v1/submissions/:id/report", staff, s.getReport},
		{http.MethodPost, "/api/v1/submissions/:id/cancel", admin, s.cancelSubmission},
	}
}
