package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"takehome/grader"
)

// usersView is the data of the users page.
type usersView struct {
	Users     []grader.User
	Roles     []grader.Role
	ResetLink string // shown once, after an admin made one
	ResetFor  string
	Error     string
}

// PageTitle names the page.
func (usersView) PageTitle() string { return "Users" }

// usersPage lists staff users with their role and state.
func (s *Server) usersPage(c *gin.Context, _ principal) error {
	return s.showUsers(c, http.StatusOK, usersView{})
}

func (s *Server) showUsers(c *gin.Context, status int, v usersView) error {
	users, err := s.deps.Staff.ListUsers(c.Request.Context())
	if err != nil {
		return err
	}
	v.Users, v.Roles = users, []grader.Role{grader.RoleInterviewer, grader.RoleAdmin}
	s.page(c, status, "admin_users", v)
	return nil
}

// createUser adds a staff user with a reset link to set their password.
func (s *Server) createUser(c *gin.Context, p principal) error {
	email, role := strings.TrimSpace(c.PostForm("email")), grader.Role(c.PostForm("role"))
	if !strings.Contains(email, "@") || len(email) > 320 {
		return s.showUsers(c, http.StatusBadRequest, usersView{Error: "Enter the new user's email address."})
	}
	u, err := s.deps.Staff.CreateUser(c.Request.Context(), email, role, "")
	if code := grader.ErrorCode(err); code == grader.CodeInvalid || code == grader.CodeConflict {
		return s.showUsers(c, http.StatusBadRequest, usersView{Error: grader.ErrorMessage(err)})
	}
	if err != nil {
		return err
	}
	if err := s.record(c, p.actor(), "user.create", userActor(u), map[string]any{"email": u.Email, "role": string(u.Role)}); err != nil {
		return err
	}
	return s.issueReset(c, p, u)
}

// updateUser changes a user's role or disables or enables them.
func (s *Server) updateUser(c *gin.Context, p principal) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if id == p.user.ID {
		return grader.Errorf(grader.CodeConflict, "you cannot change your own role or disable yourself: ask another admin")
	}
	var action string
	detail := map[string]any{}
	switch {
	case c.PostForm("role") != "":
		role := grader.Role(c.PostForm("role"))
		err, action, detail["role"] = s.deps.Staff.SetUserRole(c.Request.Context(), id, role), "user.role", string(role)
	case c.PostForm("disabled") != "":
		off := c.PostForm("disabled") == "true"
		err, action, detail["disabled"] = s.deps.Staff.SetUserDisabled(c.Request.Context(), id, off), "user.disable", off
	default:
		return grader.Errorf(grader.CodeInvalid, "nothing to change: send role or disabled")
	}
	if err != nil {
		return err
	}
	s.cache.clear() // a role or a disabled account counts at once
	if err := s.record(c, p.actor(), action, fmt.Sprintf("user:%d", id), detail); err != nil {
		return err
	}
	s.flash(c, "User updated.")
	c.Redirect(http.StatusSeeOther, "/admin/users")
	return nil
}

// resetLink makes a one-time link with which a user sets a new password.
func (s *Server) resetLink(c *gin.Context, p principal) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	u, err := s.deps.Staff.FindUser(c.Request.Context(), id)
	if err != nil {
		return err
	}
	return s.issueReset(c, p, u)
}

// issueReset creates a reset link for u and shows it once to the admin.
func (s *Server) issueReset(c *gin.Context, p principal, u *grader.User) error {
	token, err := s.deps.Staff.CreatePasswordReset(c.Request.Context(), u.ID, p.user.ID, s.now().Add(resetLinkTTL))
	if err != nil {
		return err
	}
	if err := s.record(c, p.actor(), "password.reset_link", userActor(u), nil); err != nil {
		return err
	}
	return s.showUsers(c, http.StatusOK, usersView{ResetLink: s.absURL(c, "/reset/"+token), ResetFor: u.Email})
}

// absURL makes a link to send by email: with the configured base URL, or
// the request's host when none is set.
func (s *Server) absURL(c *gin.Context, path string) string {
	if s.cfg.BaseURL != "" {
		return s.cfg.BaseURL + path
	}
	scheme := "https"
	if c.Request.TLS == nil && s.cfg.InsecureCookies {
		scheme = "http"
	}
	return scheme + "://" + c.Request.Host + path
}
