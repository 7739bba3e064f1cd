package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"takehome/internal/metrics"
)

// healthz answers while the process serves requests.
func (s *Server) healthz(c *gin.Context, _ principal) error {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
	return nil
}

// readyz runs every readiness check: 200 when all pass, 503 otherwise.
func (s *Server) readyz(c *gin.Context, _ principal) error {
	ready := metrics.Ready(c.Request.Context(), s.deps.Ready, s.log)
	c.JSON(ready.HTTPStatus(), ready)
	return nil
}

// metricsHandler exposes the gatherer in the Prometheus text format.
func (s *Server) metricsHandler(c *gin.Context, _ principal) error {
	s.metrics.ServeHTTP(c.Writer, c.Request)
	return nil
}
