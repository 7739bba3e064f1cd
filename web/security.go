package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"takehome/grader"
)

// contentSecurityPolicy allows nothing inline: no inline scripts, no style
// attributes; SVG charts use presentation attributes.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// securityHeaders sets the headers every response carries. No referrer
// leaves the site: candidate URLs carry their invite token.
func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	if !s.cfg.InsecureCookies {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	c.Next()
}

// Cookie names.
const (
	sessionCookie = "takehome_session"
	anonCookie    = "takehome_csrf" // binds the CSRF token of signed-out forms (login)
	flashCookie   = "takehome_flash"
)

// ctxPrincipal is the gin context key of the page's principal.
const ctxPrincipal = "takehome.principal"

// csrfFormField is the form field, csrfHeader the header (for scripts), that
// carry the CSRF token.
const (
	csrfFormField = "csrf_token"
	csrfHeader    = "X-CSRF-Token"
)

// csrfToken returns the CSRF token of the caller: a MAC keyed by the secret
// the caller already holds (session cookie, invite token, or a random
// cookie set here for signed-out forms), so a forger who lacks that secret
// cannot compute it and the server stores nothing.
func (s *Server) csrfToken(c *gin.Context) string {
	if tok := c.Param("token"); tok != "" {
		return mac(tok, "invite")
	}
	if v, ok := c.Get(ctxSessionToken); ok {
		return mac(v.(string), "session")
	}
	v, err := c.Cookie(anonCookie)
	if err != nil || len(v) < 32 {
		v = randomToken()
		s.setCookie(c, anonCookie, v, 0)
		c.Request.AddCookie(&http.Cookie{Name: anonCookie, Value: v}) // for a later call in this request
	}
	return mac(v, "anon")
}

// checkCSRF refuses a state-changing page request whose token is missing or
// wrong.
func (s *Server) checkCSRF(c *gin.Context) error {
	got := c.GetHeader(csrfHeader)
	switch {
	case got != "":
	case strings.HasPrefix(c.ContentType(), "multipart/"):
		got = c.Query(csrfFormField) // a streamed upload: parsing its body here would buffer it all
	default:
		got = c.PostForm(csrfFormField)
	}
	if got == "" || !hmac.Equal([]byte(got), []byte(s.csrfTokenNoSet(c))) {
		return grader.Errorf(grader.CodeForbidden, "the form has expired or did not come from this site: reload the page and try again")
	}
	return nil
}

// csrfTokenNoSet is csrfToken without setting a cookie: a request that
// arrives without one cannot be valid.
func (s *Server) csrfTokenNoSet(c *gin.Context) string {
	if c.Param("token") == "" {
		if _, ok := c.Get(ctxSessionToken); !ok {
			if v, err := c.Cookie(anonCookie); err != nil || len(v) < 32 {
				return "\x00invalid"
			}
		}
	}
	return s.csrfToken(c)
}

func mac(key, purpose string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte("takehome csrf " + purpose))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand panics on a broken source)
	return base64.RawURLEncoding.EncodeToString(b)
}

// setCookie sets an HttpOnly, SameSite=Lax cookie on the whole site, Secure
// unless configured for plain-HTTP localhost. maxAge 0 is a session cookie,
// negative deletes it.
func (s *Server) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: !s.cfg.InsecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// flash leaves a one-line message for the next page the browser shows.
func (s *Server) flash(c *gin.Context, msg string) {
	s.setCookie(c, flashCookie, base64.RawURLEncoding.EncodeToString([]byte(msg)), 60)
}
