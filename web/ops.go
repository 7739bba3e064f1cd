package web

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"
)

// readyTimeout bounds each readiness check.
const readyTimeout = 3 * time.Second

// Readiness of a check.
const (
	checkOK   = "ok"
	checkFail = "fail"
)

// healthz answers while the process serves requests.
func (s *Server) healthz(c *gin.Context, _ principal) error {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
	return nil
}

// readyz runs every readiness check: 200 when all pass, 503 otherwise. The
// reasons of failures are logged, not shown.
func (s *Server) readyz(c *gin.Context, _ principal) error {
	checks := make(map[string]string, len(s.deps.Ready))
	status, code := "ok", http.StatusOK
	for _, name := range slices.Sorted(maps.Keys(s.deps.Ready)) {
		checks[name] = checkOK
		if err := runCheck(c.Request.Context(), s.deps.Ready[name]); err != nil {
			s.log.WarnContext(c, "readiness check failed", "check", name, "err", err)
			checks[name] = checkFail
			status, code = "unavailable", http.StatusServiceUnavailable
		}
	}
	c.JSON(code, gin.H{"status": status, "checks": checks})
	return nil
}

func runCheck(ctx context.Context, check func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	return check(ctx)
}

// metricsHandler exposes the gatherer in the Prometheus text format.
func (s *Server) metricsHandler(c *gin.Context, _ principal) error {
	s.metrics.ServeHTTP(c.Writer, c.Request)
	return nil
}
