package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// home is the site's root: signed-in staff go to their submission list,
// everyone else to the sign-in page, which tells candidates to use the
// link in their invite instead.
func (s *Server) home(c *gin.Context, p principal) error {
	if p.user != nil {
		c.Redirect(http.StatusSeeOther, "/staff/submissions")
		return nil
	}
	c.Redirect(http.StatusSeeOther, "/login")
	return nil
}
