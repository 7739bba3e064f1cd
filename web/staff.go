package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"takehome/grader"
)

// Paging of the submission list.
const (
	defaultListLimit = 50
	maxListLimit     = 200
)

// listSubmissions lists submissions for staff, newest first.
func (s *Server) listSubmissions(c *gin.Context, _ principal) error {
	f, err := parseFilter(c)
	if err != nil {
		return err
	}
	subs, err := s.deps.Lister.ListSubmissions(c.Request.Context(), f)
	if err != nil {
		return fmt.Errorf("list submissions: %w", err)
	}
	c.JSON(http.StatusOK, submissionList{Submissions: nonNil(subs), Limit: f.Limit, Offset: f.Offset})
	return nil
}

// parseFilter reads exercise_version_id, status, limit and offset.
func parseFilter(c *gin.Context) (grader.SubmissionFilter, error) {
	f := grader.SubmissionFilter{Status: grader.SubmissionStatus(c.Query("status"))}
	var err error
	if f.VersionID, err = queryInt[int64](c, "exercise_version_id", 0, 1, 1<<62); err != nil {
		return f, err
	}
	if f.Limit, err = queryInt(c, "limit", defaultListLimit, 1, maxListLimit); err != nil {
		return f, err
	}
	if f.Offset, err = queryInt(c, "offset", 0, 0, 1<<30); err != nil {
		return f, err
	}
	switch f.Status {
	case "", grader.StatusQueued, grader.StatusRunning, grader.StatusGraded, grader.StatusFailed, grader.StatusCanceled:
		return f, nil
	}
	return f, grader.Errorf(grader.CodeInvalid, "status %q: want queued, running, graded, failed or canceled", f.Status)
}

// queryInt parses an integer query parameter within [lo, hi], def when absent.
func queryInt[T int | int64](c *gin.Context, name string, def, lo, hi T) (T, error) {
	raw, ok := c.GetQuery(name)
	if !ok || raw == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || T(n) < lo || T(n) > hi || int64(T(n)) != n {
		return def, grader.Errorf(grader.CodeInvalid, "%s %q: want an integer from %d to %d", name, raw, lo, hi)
	}
	return T(n), nil
}

// renderStaffSubmission shows staff a submission and, once graded, its report.
func (s *Server) renderStaffSubmission(c *gin.Context, p principal, sub *grader.Submission) error {
	view := staffSubmission{Submission: *sub}
	if sub.Status == grader.StatusGraded {
		rep, err := s.deps.Submissions.FindReport(c.Request.Context(), sub.ID)
		switch {
		case grader.ErrorCode(err) == grader.CodeNotFound:
		case err != nil:
			return fmt.Errorf("find report of submission %d: %w", sub.ID, err)
		default:
			if err := s.record(c, p.actor(), "report.read", fmt.Sprintf("submission:%d", sub.ID), nil); err != nil {
				return err
			}
			view.Report = rep
		}
	}
	c.JSON(http.StatusOK, view)
	return nil
}

// getReport shows staff the stored report of a graded submission.
func (s *Server) getReport(c *gin.Context, p principal) error {
	sub, err := s.findSubmission(c)
	if err != nil {
		return err
	}
	rep, err := s.deps.Submissions.FindReport(c.Request.Context(), sub.ID)
	if grader.ErrorCode(err) == grader.CodeNotFound {
		return grader.Errorf(grader.CodeNotFound, "submission %d is not graded yet", sub.ID)
	}
	if err != nil {
		return fmt.Errorf("find report of submission %d: %w", sub.ID, err)
	}
	if err := s.record(c, p.actor(), "report.read", fmt.Sprintf("submission:%d", sub.ID), nil); err != nil {
		return err
	}
	c.JSON(http.StatusOK, rep)
	return nil
}

// cancelSubmission stops grading of a submission that is not finished.
func (s *Server) cancelSubmission(c *gin.Context, p principal) error {
	sub, err := s.findSubmission(c)
	if err != nil {
		return err
	}
	switch sub.Status {
	case grader.StatusGraded, grader.StatusFailed, grader.StatusCanceled:
		return grader.Errorf(grader.CodeConflict, "submission %d is already %s", sub.ID, sub.Status)
	}
	if err := s.deps.Jobs.CancelJob(c.Request.Context(), sub.JobID); err != nil {
		return fmt.Errorf("cancel job %d of submission %d: %w", sub.JobID, sub.ID, err)
	}
	detail := map[string]any{"job_id": sub.JobID, "status": sub.Status}
	if err := s.record(c, p.actor(), "submission.cancel", fmt.Sprintf("submission:%d", sub.ID), detail); err != nil {
		return err
	}
	after, err := s.deps.Submissions.FindSubmission(c.Request.Context(), sub.ID)
	if err != nil {
		return fmt.Errorf("find submission %d: %w", sub.ID, err)
	}
	c.JSON(http.StatusAccepted, staffSubmission{Submission: *after})
	return nil
}
