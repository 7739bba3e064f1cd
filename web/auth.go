package web

import (
	"context"
	"fmt"
	"strings"

	"github.com/gin-gonic/gin"

	"takehome/grader"
)

// access is a set of principals a route admits.
type access uint8

// The principals. A public route admits anyone and reads no credentials.
const (
	candidate access = 1 << iota
	interviewer
	admin

	staff         = interviewer | admin
	public access = 0
)

// Token prefixes tell a candidate's invite from a staff API token.
const (
	invitePrefix = "inv_"
	staffPrefix  = "tk_"
)

// principal is who is calling: a candidate (invite set) or a staff user
// (user set); neither on public routes.
type principal struct {
	invite *grader.Invite
	user   *grader.User
}

func (p principal) role() access {
	switch {
	case p.invite != nil:
		return candidate
	case p.user != nil && p.user.Role == grader.RoleAdmin:
		return admin
	case p.user != nil && p.user.Role == grader.RoleInterviewer:
		return interviewer
	}
	return public
}

// actor names the principal in audit events.
func (p principal) actor() string {
	if p.invite != nil {
		return fmt.Sprintf("invite:%d", p.invite.ID)
	}
	if p.user != nil {
		return fmt.Sprintf("user:%d", p.user.ID)
	}
	return "anonymous"
}

// handlerFunc serves one route for an authenticated principal.
type handlerFunc func(c *gin.Context, p principal) error

// adapt turns a route into a gin handler: it authenticates and authorizes
// the caller, runs the handler and renders its error.
func (s *Server) adapt(r route) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, err := s.authenticate(c, r.allow)
		if err == nil {
			err = r.handle(c, p)
		}
		if err != nil {
			s.renderError(c, err)
		}
		if !safeMethod(c.Request.Method) {
			s.invalidatePages() // whatever it changed may show in them
		}
	}
}

var errNoCredentials = grader.Errorf(grader.CodeUnauthorized,
	"authentication required: send Authorization: Bearer <token>")

// authenticate resolves the bearer token and checks it against allow.
func (s *Server) authenticate(c *gin.Context, allow access) (principal, error) {
	if allow == public {
		return principal{}, nil
	}
	token, ok := bearerToken(c.GetHeader("Authorization"))
	if !ok {
		return principal{}, errNoCredentials
	}
	p, err := s.lookup(c.Request.Context(), token)
	if err != nil {
		return principal{}, err
	}
	if p.role()&allow == 0 {
		return principal{}, forbidden(allow)
	}
	return p, nil
}

// lookup finds whose token it is. Unknown tokens of either kind are 401.
func (s *Server) lookup(ctx context.Context, token string) (principal, error) {
	var p principal
	var err error
	switch {
	case strings.HasPrefix(token, invitePrefix):
		p.invite, err = s.deps.Invites.FindInviteByToken(ctx, token)
	case strings.HasPrefix(token, staffPrefix):
		p.user, err = s.deps.Users.FindUserByAPIToken(ctx, token)
		if err == nil && p.user.Disabled {
			err = grader.Errorf(grader.CodeUnauthorized, "user disabled")
		}
	default:
		return p, grader.Errorf(grader.CodeUnauthorized, "unknown token type")
	}
	switch grader.ErrorCode(err) {
	case grader.CodeUnauthorized, grader.CodeNotFound:
		return p, grader.Errorf(grader.CodeUnauthorized, "invalid token")
	}
	return p, err
}

// bearerToken extracts the token of an "Authorization: Bearer <token>" header.
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != "" && !strings.ContainsAny(token, " \t")
}

func forbidden(allow access) error {
	switch {
	case allow == candidate:
		return grader.Errorf(grader.CodeForbidden, "this endpoint needs an invite token")
	case allow == admin:
		return grader.Errorf(grader.CodeForbidden, "this endpoint needs the admin role")
	case allow&candidate == 0:
		return grader.Errorf(grader.CodeForbidden, "this endpoint needs a staff token")
	}
	return grader.Errorf(grader.CodeForbidden, "not allowed")
}
