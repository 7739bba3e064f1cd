package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"takehome/grader"
)

// ctxSessionToken is the gin context key of the staff session's token.
const ctxSessionToken = "takehome.session"

// adaptPage turns a page route into a gin handler: it finds the caller
// (a staff session cookie, or the invite token in the URL), checks the
// route's permission and, on a state-changing request, the CSRF token,
// runs the handler and renders its error as a page.
func (s *Server) adaptPage(r route) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, err := s.pagePrincipal(c, r.allow)
		if err == nil && !safeMethod(c.Request.Method) {
			err = s.checkCSRF(c)
		}
		if err == nil {
			err = r.handle(c, p)
		}
		if err != nil {
			s.pageError(c, err)
		}
		if !safeMethod(c.Request.Method) {
			s.invalidatePages() // whatever it changed may show in them
		}
	}
}

func safeMethod(m string) bool { return m == http.MethodGet || m == http.MethodHead }

// pagePrincipal authenticates a page request. Candidate pages carry the
// invite token as the :token path parameter; staff pages use the session
// cookie. A public page still reads the session, to show who is signed in.
func (s *Server) pagePrincipal(c *gin.Context, allow access) (principal, error) {
	var p principal
	if tok := c.Param("token"); tok != "" && allow&candidate != 0 {
		inv, err := s.deps.Invites.FindInviteByToken(c.Request.Context(), tok)
		if err != nil {
			return p, invalidLink(err)
		}
		p.invite = inv
	} else if err := s.sessionPrincipal(c, &p); err != nil {
		return p, err
	}
	c.Set(ctxPrincipal, p)
	if allow == public {
		return p, nil
	}
	if p.role() == public {
		return p, grader.Errorf(grader.CodeUnauthorized, "please sign in")
	}
	if p.role()&allow == 0 {
		return p, forbidden(allow)
	}
	return p, nil
}

// invalidLink turns an unknown invite token into a clear 404 page.
func invalidLink(err error) error {
	switch grader.ErrorCode(err) {
	case grader.CodeUnauthorized, grader.CodeNotFound:
		return grader.Errorf(grader.CodeNotFound, "this invite link is not valid: check that you copied all of it, or ask your contact for a new one")
	}
	return err
}

// sessionPrincipal fills p.user from the session cookie, if any. A stale or
// unknown cookie is dropped, not an error: the caller is just signed out.
func (s *Server) sessionPrincipal(c *gin.Context, p *principal) error {
	tok, err := c.Cookie(sessionCookie)
	if err != nil || tok == "" || s.deps.Sessions == nil {
		return nil
	}
	u, cached := s.cache.get(tok, s.now())
	var st cacheStamp
	if !cached {
		st = s.cache.stamp() // before the lookup: see sessionCache.stamp
		u, err = s.deps.Sessions.FindSession(c.Request.Context(), tok, s.now())
		if err != nil || u.Disabled {
			s.cache.drop(tok) // nobody keeps an expired session's user
		}
	}
	switch {
	case grader.ErrorCode(err) == grader.CodeUnauthorized || grader.ErrorCode(err) == grader.CodeNotFound:
		s.setCookie(c, sessionCookie, "", -1)
		return nil
	case err != nil:
		return err
	case u.Disabled:
		return nil
	}
	if !cached {
		s.cache.put(tok, st, u, s.now())
	}
	p.user = u
	c.Set(ctxSessionToken, tok)
	return nil
}
