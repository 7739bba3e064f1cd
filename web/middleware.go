package web

import (
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// accessLog logs one line per request through slog.
func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	s.log.InfoContext(c, "http request",
		"method", c.Request.Method,
		"path", redactPath(c.Request.URL.Path),
		"route", route,
		"status", c.Writer.Status(),
		"bytes", c.Writer.Size(),
		"duration_ms", time.Since(start).Milliseconds(),
		"client_ip", c.ClientIP(),
	)
}

// redactPath hides the invite tokens candidate pages carry in their URLs:
// a token is the candidate's key and must not reach the logs.
func redactPath(p string) string {
	if !strings.Contains(p, invitePrefix) {
		return p
	}
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, invitePrefix) {
			parts[i] = invitePrefix + "REDACTED"
		}
	}
	return strings.Join(parts, "/")
}

// recovery turns a panic in a handler into a logged internal error.
func (s *Server) recovery(c *gin.Context) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
			panic(v) // the server's way to abort a response: let it through
		}
		s.renderError(c, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
	}()
	c.Next()
}
