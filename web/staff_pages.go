package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// staffPageRoutes are the server-rendered pages for interviewers and admins,
// with who may use each: the one permission table of the staff pages.
func (s *Server) staffPageRoutes() []route {
	return []route{
		{http.MethodGet, "/", public, s.home},
		{http.MethodGet, "/login", public, s.loginPage},
		{http.MethodPost, "/login", public, s.login},
		{http.MethodGet, "/reset/:key", public, s.resetPage},
		{http.MethodPost, "/reset/:key", public, s.resetPassword},
		{http.MethodPost, "/logout", staff, s.logout},
		{http.MethodGet, "/account/password", staff, s.passwordPage},
		{http.MethodPost, "/account/password", staff, s.changePassword},

		{http.MethodGet, "/staff", staff, s.staffHome},
		{http.MethodGet, "/staff/submissions", staff, s.submissionListPage},
		{http.MethodGet, "/staff/submissions/:id", staff, s.reportPage},
		{http.MethodPost, "/staff/submissions/:id/reveal", staff, s.revealPage},
		{http.MethodPost, "/staff/submissions/:id/review", staff, s.saveReview},
		{http.MethodGet, "/staff/submissions/:id/code", staff, s.codePage},
		{http.MethodGet, "/staff/submissions/:id/calls", staff, s.callsPage},
		{http.MethodGet, "/staff/compare", staff, s.comparePage},

		{http.MethodGet, "/admin/exercises", admin, s.exercisesPage},
		{http.MethodPost, "/admin/exercises", admin, s.createVersion},
		{http.MethodPost, "/admin/exercises/import-beir", admin, s.importBEIR},
		{http.MethodPost, "/admin/exercises/:id/status", admin, s.setVersionStatus},
		{http.MethodPost, "/admin/exercises/:id/references", admin, s.runReferences},
		{http.MethodPost, "/admin/exercises/:id/regrade", admin, s.regradeVersion},
		{http.MethodGet, "/admin/invites", admin, s.invitesPage},
		{http.MethodPost, "/admin/invites", admin, s.createInvites},
		{http.MethodPost, "/admin/invites/:id/revoke", admin, s.revokeInvite},
		{http.MethodPost, "/admin/invites/:id/extend", admin, s.extendInvite},
		{http.MethodGet, "/admin/users", admin, s.usersPage},
		{http.MethodPost, "/admin/users", admin, s.createUser},
		{http.MethodPost, "/admin/users/:id", admin, s.updateUser},
		{http.MethodPost, "/admin/users/:id/reset", admin, s.resetLink},
		{http.MethodGet, "/admin/queue", admin, s.queuePage},
		{http.MethodPost, "/admin/jobs/:id/cancel", admin, s.cancelJob},
		{http.MethodPost, "/admin/submissions/:id/regrade", admin, s.regradeSubmission},
		{http.MethodGet, "/admin/audit", admin, s.auditPage},
		{http.MethodGet, "/admin/models", admin, s.modelsPage},
		{http.MethodPost, "/admin/models/providers", admin, s.saveProvider},
		{http.MethodPost, "/admin/models/providers/:name/delete", admin, s.deleteProvider},
		{http.MethodPost, "/admin/models/versions/:id", admin, s.saveVersionModels},
		{http.MethodGet, "/admin/limits", admin, s.limitsPage},
		{http.MethodPost, "/admin/limits", admin, s.setLimits},
	}
}

// staffHome sends staff to the submission list.
func (s *Server) staffHome(c *gin.Context, _ principal) error {
	c.Redirect(http.StatusSeeOther, "/staff/submissions")
	return nil
}
