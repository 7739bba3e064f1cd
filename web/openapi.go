package web

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// openAPIDocument describes every route of routes(); a test keeps the two
// in step.
//
//go:embed openapi.json
var openAPIDocument []byte

// openAPI serves the OpenAPI 3.0 document of the API.
func (s *Server) openAPI(c *gin.Context, _ principal) error {
	c.Data(http.StatusOK, "application/json", openAPIDocument)
	return nil
}
