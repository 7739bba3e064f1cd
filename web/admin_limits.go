package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"takehome/exercises"
	"takehome/grader"
)

// limitsView is the data of the limits page: the invite defaults admins
// edit, and the limits set by the server's configuration and by each
// exercise version, shown for reference.
type limitsView struct {
	Defaults  grader.InviteDefaults
	MaxUpload int64
	MaxIngest int
	Session   sessionPolicy
	Versions  []versionLimits
	Error     string
}

// PageTitle names the page.
func (limitsView) PageTitle() string { return "Limits" }

// sessionPolicy is the sign-in policy, for the page.
type sessionPolicy struct {
	Idle, Max, LockoutWindow time.Duration
	EmailFailures, IPFailure int
}

// versionLimits are a version's per-phase sandbox limits.
type versionLimits struct {
	Name   string
	Phases []exercises.Phase
}

// limitsPage shows the defaults and limits.
func (s *Server) limitsPage(c *gin.Context, _ principal) error {
	return s.showLimits(c, http.StatusOK, "")
}

func (s *Server) showLimits(c *gin.Context, status int, msg string) error {
	d, err := s.deps.Staff.InviteDefaults(c.Request.Context())
	if err != nil {
		return err
	}
	versions, err := s.deps.Staff.ListVersions(c.Request.Context())
	if err != nil {
		return err
	}
	v := limitsView{Defaults: d, MaxUpload: s.cfg.MaxUploadBytes, MaxIngest: s.cfg.MaxConcurrentIngest, Error: msg,
		Session: sessionPolicy{Idle: 12 * time.Hour, Max: 7 * 24 * time.Hour, LockoutWindow: lockoutWindow, EmailFailures: maxEmailFailures, IPFailure: maxIPFailures}}
	for _, ver := range versions {
		if ver.Status != "archived" {
			v.Versions = append(v.Versions, versionLimits{Name: ver.Slug + " v" + strconv.Itoa(ver.Number), Phases: ver.Spec.Phases})
		}
	}
	s.page(c, status, "admin_limits", v)
	return nil
}

// setLimits stores new invite defaults.
func (s *Server) setLimits(c *gin.Context, p principal) error {
	var d grader.InviteDefaults
	for _, f := range []struct {
		name string
		dst  *int
	}{{"days", &d.Days}, {"window_hours", &d.WindowHours}, {"attempts", &d.Attempts}} {
		n, err := strconv.Atoi(c.PostForm(f.name))
		if err != nil {
			return s.showLimits(c, http.StatusBadRequest, "Every default must be a whole number.")
		}
		*f.dst = n
	}
	if err := s.deps.Staff.SetInviteDefaults(c.Request.Context(), d); err != nil {
		if grader.ErrorCode(err) == grader.CodeInvalid {
			return s.showLimits(c, http.StatusBadRequest, grader.ErrorMessage(err))
		}
		return err
	}
	detail := map[string]any{"days": d.Days, "window_hours": d.WindowHours, "attempts": d.Attempts}
	if err := s.record(c, p.actor(), "settings.invite_defaults", "", detail); err != nil {
		return err
	}
	s.flash(c, "Invite defaults saved.")
	c.Redirect(http.StatusSeeOther, "/admin/limits")
	return nil
}
