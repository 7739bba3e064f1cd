package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"takehome/grader"
)

// Sign-in throttling: within lockoutWindow, an email with maxEmailFailures
// failed attempts since its last success is locked, and an address with
// maxIPFailures failed attempts is refused, even with the right password.
const (
	lockoutWindow    = 15 * time.Minute
	maxEmailFailures = 5
	maxIPFailures    = 30
)

// Passwords are bcrypt hashes, so at most 72 bytes.
const (
	minPassword = 12
	maxPassword = 72
)

// dummyHash is compared against when the email is unknown, so a sign-in
// takes as long whether or not the account exists.
var dummyHash, _ = grader.HashPassword("takehome-no-such-user")

// loginView is the data of the sign-in page.
type loginView struct {
	Email string
	Next  string
	Error string
}

// PageTitle names the page.
func (loginView) PageTitle() string { return "Sign in" }

// loginPage shows the sign-in form, or goes on when signed in already.
func (s *Server) loginPage(c *gin.Context, p principal) error {
	if p.user != nil {
		c.Redirect(http.StatusSeeOther, safeNext(c.Query("next")))
		return nil
	}
	s.page(c, http.StatusOK, "staff_login", loginView{Next: safeNext(c.Query("next"))})
	return nil
}

// login checks the password, throttled, and starts a session.
func (s *Server) login(c *gin.Context, _ principal) error {
	if err := s.staffEnabled(); err != nil {
		return err
	}
	email, password := strings.TrimSpace(c.PostForm("email")), c.PostForm("password")
	view := loginView{Email: email, Next: safeNext(c.PostForm("next"))}
	now, ip := s.now(), c.ClientIP()
	byEmail, byIP, err := s.deps.Staff.FailedLogins(c.Request.Context(), email, ip, now.Add(-lockoutWindow))
	if err != nil {
		return err
	}
	if byEmail >= maxEmailFailures || byIP >= maxIPFailures {
		if err := s.record(c, "anonymous", "login.locked", email, map[string]any{"ip": ip}); err != nil {
			return err
		}
		view.Error = fmt.Sprintf("Too many failed sign-ins. Wait %d minutes and try again, or ask an admin to reset your password.", int(lockoutWindow.Minutes()))
		s.page(c, http.StatusTooManyRequests, "staff_login", view)
		return nil
	}
	u, ok, err := s.checkPassword(c, email, password)
	if err != nil {
		return err
	}
	if err := s.deps.Staff.RecordLogin(c.Request.Context(), email, ip, ok, now); err != nil {
		return err
	}
	if !ok {
		if err := s.record(c, "anonymous", "login.failed", email, map[string]any{"ip": ip}); err != nil {
			return err
		}
		view.Error = "Wrong email or password."
		s.page(c, http.StatusUnauthorized, "staff_login", view)
		return nil
	}
	return s.startSession(c, u, view.Next)
}

// checkPassword returns the user whose email and password match; ok is
// false when they do not, or the account is disabled or has no password.
// It costs one bcrypt comparison either way.
func (s *Server) checkPassword(c *gin.Context, email, password string) (u *grader.User, ok bool, err error) {
	u, hash, err := s.deps.Staff.FindUserByEmail(c.Request.Context(), email)
	if grader.ErrorCode(err) == grader.CodeNotFound || email == "" {
		u, hash, err = nil, "", nil
	}
	if err != nil {
		return nil, false, err
	}
	known := hash != ""
	if !known {
		hash = dummyHash
	}
	match := grader.PasswordMatches(hash, password)
	if !match || !known || u == nil || u.Disabled {
		return nil, false, nil
	}
	return u, true, nil
}

// startSession signs u in and goes on to next.
func (s *Server) startSession(c *gin.Context, u *grader.User, next string) error {
	token, err := s.deps.Sessions.CreateSession(c.Request.Context(), u.ID, s.now(), c.ClientIP(), c.Request.UserAgent())
	if err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, token, int((7 * 24 * time.Hour).Seconds()))
	if err := s.record(c, userActor(u), "login", "", nil); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, next)
	return nil
}

// logout ends the session: in the database first, then in the cache, so
// that no lookup can cache it again in between (see sessionCache.stamp).
func (s *Server) logout(c *gin.Context, p principal) error {
	if tok, err := c.Cookie(sessionCookie); err == nil {
		err := s.deps.Sessions.DeleteSession(c.Request.Context(), tok)
		s.cache.drop(tok) // even when the delete failed: this server forgets it
		if err != nil {
			return err
		}
	}
	s.setCookie(c, sessionCookie, "", -1)
	if err := s.record(c, p.actor(), "logout", "", nil); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/login")
	return nil
}

// safeNext keeps a redirect target on this site: a path, never "//host".
func safeNext(next string) string {
	// Browsers drop tabs and newlines from URLs and read "\" as "/", so
	// "/\t/evil" and "/\\evil" would leave the site too.
	if !strings.HasPrefix(next, "/") || strings.ContainsAny(next, "\\\t\r\n") || strings.HasPrefix(next, "//") {
		return "/staff/submissions"
	}
	return next
}

// hashPassword checks a new password's length and hashes it.
func hashPassword(pw, confirm string) (string, error) {
	if pw != confirm {
		return "", grader.Errorf(grader.CodeInvalid, "the two passwords differ")
	}
	if len(pw) < minPassword || len(pw) > maxPassword {
		return "", grader.Errorf(grader.CodeInvalid, "a password has %d to %d characters", minPassword, maxPassword)
	}
	return grader.HashPassword(pw)
}

func userActor(u *grader.User) string { return fmt.Sprintf("user:%d", u.ID) }

// record writes an audit event of a staff page: an action that cannot be
// recorded is reported as failed.
func (s *Server) record(c *gin.Context, actor, action, target string, detail map[string]any) error {
	e := grader.AuditEvent{Actor: actor, Action: action, Target: target, At: s.now()}
	if detail != nil {
		e.Detail, _ = json.Marshal(detail) // maps of strings and numbers always encode
	}
	if err := s.deps.Audit.AddAudit(c.Request.Context(), e); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

var errStaffDisabled = errors.New("staff pages are not configured (web.Deps.Staff and Sessions)")

func (s *Server) staffEnabled() error {
	if s.deps.Staff == nil || s.deps.Sessions == nil {
		return errStaffDisabled
	}
	return nil
}
