package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"takehome/grader"
)

// resetLinkTTL is how long an admin's password reset link works.
const resetLinkTTL = 24 * time.Hour

// passwordView is the data of the change-password and reset pages.
type passwordView struct {
	Email  string // whose password, on the reset page
	Action string
	Reset  bool // a reset link: no current password asked
	Error  string
}

// PageTitle names the page.
func (v passwordView) PageTitle() string {
	if v.Reset {
		return "Set a new password"
	}
	return "Change your password"
}

// passwordPage shows the change-password form.
func (s *Server) passwordPage(c *gin.Context, p principal) error {
	s.page(c, http.StatusOK, "staff_password", passwordView{Action: "/account/password"})
	return nil
}

// changePassword checks the current password and sets a new one; every
// session of the user ends, so the user signs in again.
func (s *Server) changePassword(c *gin.Context, p principal) error {
	view := passwordView{Action: "/account/password"}
	u, ok, err := s.checkPassword(c, p.user.Email, c.PostForm("current"))
	if err != nil {
		return err
	}
	if !ok || u.ID != p.user.ID {
		view.Error = "Your current password is not right."
		s.page(c, http.StatusBadRequest, "staff_password", view)
		return nil
	}
	hash, err := hashPassword(c.PostForm("password"), c.PostForm("confirm"))
	if err != nil {
		return s.formError(c, "staff_password", &view.Error, view, err)
	}
	if err := s.deps.Staff.SetPassword(c.Request.Context(), p.user.ID, hash); err != nil {
		return err
	}
	s.cache.clear()
	if err := s.record(c, p.actor(), "password.change", userActor(p.user), nil); err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, "", -1)
	s.flash(c, "Password changed: sign in with the new one.")
	c.Redirect(http.StatusSeeOther, "/login")
	return nil
}

// resetPage shows the form of a password reset link.
func (s *Server) resetPage(c *gin.Context, _ principal) error {
	if err := s.staffEnabled(); err != nil {
		return err
	}
	u, err := s.deps.Staff.FindPasswordReset(c.Request.Context(), c.Param("key"), s.now())
	if err != nil {
		return err
	}
	s.page(c, http.StatusOK, "staff_password", passwordView{Email: u.Email, Action: c.Request.URL.Path, Reset: true})
	return nil
}

// resetPassword sets a new password through a reset link and signs in.
func (s *Server) resetPassword(c *gin.Context, _ principal) error {
	if err := s.staffEnabled(); err != nil {
		return err
	}
	key := c.Param("key")
	u, err := s.deps.Staff.FindPasswordReset(c.Request.Context(), key, s.now())
	if err != nil {
		return err
	}
	view := passwordView{Email: u.Email, Action: c.Request.URL.Path, Reset: true}
	hash, err := hashPassword(c.PostForm("password"), c.PostForm("confirm"))
	if err != nil {
		return s.formError(c, "staff_password", &view.Error, view, err)
	}
	if u, err = s.deps.Staff.UsePasswordReset(c.Request.Context(), key, hash, s.now()); err != nil {
		return err
	}
	s.cache.clear()
	if err := s.record(c, userActor(u), "password.reset", userActor(u), nil); err != nil {
		return err
	}
	return s.startSession(c, u, "/staff/submissions")
}

// formError shows a form again with the message of an invalid input; other
// errors go to the error page.
func (s *Server) formError(c *gin.Context, name string, field *string, view any, err error) error {
	if grader.ErrorCode(err) != grader.CodeInvalid {
		return err
	}
	*field = grader.ErrorMessage(err)
	s.page(c, http.StatusBadRequest, name, view)
	return nil
}
