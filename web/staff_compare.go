package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"takehome/grader"
)

// compareView is the data of the side-by-side page.
type compareView struct {
	Sides [2]compareSide
}

// compareSide is one submission of the comparison.
type compareSide struct {
	Sub       *grader.SubmissionSummary
	Candidate string
	Graded    bool
	Core      reportCore
}

// PageTitle names the page.
func (v compareView) PageTitle() string {
	return fmt.Sprintf("Submissions %d and %d", v.Sides[0].Sub.ID, v.Sides[1].Sub.ID)
}

// comparePage shows two submissions side by side (?a=1&b=2); each read is
// audited like a report view.
func (s *Server) comparePage(c *gin.Context, p principal) error {
	var v compareView
	for i, key := range []string{"a", "b"} {
		id, err := strconv.ParseInt(c.Query(key), 10, 64)
		if err != nil || id <= 0 {
			return grader.Errorf(grader.CodeInvalid, "give two submission numbers, a and b")
		}
		if v.Sides[i], err = s.compareSide(c, id); err != nil {
			return err
		}
		if err := s.record(c, p.actor(), "report.view", fmt.Sprintf("submission:%d", id), map[string]any{"compare": true}); err != nil {
			return err
		}
	}
	s.page(c, http.StatusOK, "staff_compare", v)
	return nil
}

func (s *Server) compareSide(c *gin.Context, id int64) (compareSide, error) {
	sum, err := s.deps.Staff.FindSubmissionSummary(c.Request.Context(), id)
	if err != nil {
		return compareSide{}, err
	}
	side := compareSide{Sub: sum, Candidate: candidateLabel(sum.InviteID)}
	rep, err := s.deps.Submissions.FindReport(c.Request.Context(), id)
	if grader.ErrorCode(err) == grader.CodeNotFound {
		return side, nil
	}
	if err != nil {
		return side, err
	}
	side.Graded = true
	side.Core, err = s.core(c, sum, rep, false)
	return side, err
}
