package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"takehome/exercises"
	"takehome/grader"
)

// maxIdempotencyKey bounds the Idempotency-Key header.
const maxIdempotencyKey = 200

// createSubmission accepts a candidate's archive and queues it for grading.
func (s *Server) createSubmission(c *gin.Context, p principal) error {
	key := c.GetHeader("Idempotency-Key")
	if len(key) > maxIdempotencyKey {
		return grader.Errorf(grader.CodeInvalid, "the Idempotency-Key header is longer than %d characters", maxIdempotencyKey)
	}
	if err := s.checkCanSubmit(p.invite, key); err != nil {
		return err
	}
	up, err := s.readUpload(c)
	if err != nil {
		return err
	}
	defer up.remove()
	mode, err := exercises.ParseMode(up.mode)
	if err != nil {
		return grader.Errorf(grader.CodeInvalid, "%v", err)
	}
	sub, created, err := s.submit(c, p.invite, mode, up, key)
	if err != nil {
		return err
	}
	status := http.StatusAccepted
	if !created {
		status = http.StatusOK // an idempotent replay
	}
	c.Header("Location", s.link(fmt.Sprintf("/api/v1/submissions/%d", sub.ID)))
	c.JSON(status, receipt(sub))
	return nil
}

// checkCanSubmit refuses uploads that cannot succeed before reading them. A
// replay (with a key) may still find its earlier submission, so only the
// store decides on deadline and quota then.
func (s *Server) checkCanSubmit(inv *grader.Invite, key string) error {
	if inv.RevokedAt != nil {
		return errRevoked
	}
	if key != "" {
		return nil
	}
	if err := checkOpen(inv, s.now()); err != nil {
		return err
	}
	if inv.AttemptsUsed >= inv.Attempts {
		return grader.Errorf(grader.CodeQuota, "no attempts left: all %d submissions are used", inv.Attempts)
	}
	return nil
}

// submit validates the spooled archive against the exercise and stores it,
// holding an ingest slot meanwhile. The store fills in the archive's digest.
func (s *Server) submit(c *gin.Context, inv *grader.Invite, mode exercises.Mode, up *upload, key string) (*grader.Submission, bool, error) {
	v, err := s.deps.Versions.FindVersion(c.Request.Context(), inv.ExerciseVersionID)
	if err != nil {
		return nil, false, fmt.Errorf("find version %d: %w", inv.ExerciseVersionID, err)
	}
	release, err := s.acquireIngest(c.Request.Context())
	if err != nil {
		return nil, false, err
	}
	defer release()
	if err := s.deps.Validate(up.archive, up.size, v.Spec); err != nil {
		return nil, false, fmt.Errorf("validate archive: %w", err)
	}
	now := s.now()
	sub := &grader.Submission{
		InviteID:          inv.ID,
		ExerciseVersionID: inv.ExerciseVersionID,
		Mode:              mode,
		Status:            grader.StatusQueued,
		ArchiveSize:       up.size,
		IdempotencyKey:    key,
		CreatedAt:         now,
	}
	archive := io.NewSectionReader(up.archive, 0, up.size)
	created, err := s.deps.Submissions.CreateSubmission(c.Request.Context(), sub, archive, up.size, now)
	if err != nil {
		return nil, false, fmt.Errorf("create submission: %w", err)
	}
	return sub, created, nil
}

// acquireIngest takes one of the slots that bound how many archives are
// validated and stored at once, waiting until one is free or ctx ends.
func (s *Server) acquireIngest(ctx context.Context) (release func(), err error) {
	select {
	case s.ingest <- struct{}{}:
		return func() { <-s.ingest }, nil
	case <-ctx.Done():
		return nil, grader.Errorf(grader.CodeUnavailable, "the request ended while waiting for the server to take the archive")
	}
}

// getSubmission shows a submission: to its candidate, the status (and the
// report of a check run); to staff, everything.
func (s *Server) getSubmission(c *gin.Context, p principal) error {
	sub, err := s.findSubmission(c)
	if err != nil {
		return err
	}
	if p.invite == nil {
		return s.renderStaffSubmission(c, p, sub)
	}
	if sub.InviteID != p.invite.ID {
		return errSubmissionNotFound(sub.ID) // the same answer as for an id that does not exist
	}
	view, err := s.candidateView(c, sub)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, view)
	return nil
}

// candidateView adds the report to a graded check submission only.
func (s *Server) candidateView(c *gin.Context, sub *grader.Submission) (candidateSubmission, error) {
	if sub.Mode != exercises.ModeCheck {
		return statusOnly(sub), nil
	}
	view := receipt(sub)
	if sub.Status != grader.StatusGraded {
		return view, nil
	}
	rep, err := s.deps.Submissions.FindReport(c.Request.Context(), sub.ID)
	if grader.ErrorCode(err) == grader.CodeNotFound {
		return view, nil
	}
	if err != nil {
		return view, fmt.Errorf("find report of submission %d: %w", sub.ID, err)
	}
	if rep.Mode != exercises.ModeFinal { // never let a hidden run through
		view.Report = newCandidateReport(rep)
	}
	return view, nil
}

// findSubmission loads the submission named by the :id path parameter.
func (s *Server) findSubmission(c *gin.Context) (*grader.Submission, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, grader.Errorf(grader.CodeInvalid, "submission id %q is not a positive integer", c.Param("id"))
	}
	sub, err := s.deps.Submissions.FindSubmission(c.Request.Context(), id)
	if grader.ErrorCode(err) == grader.CodeNotFound {
		return nil, errSubmissionNotFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("find submission %d: %w", id, err)
	}
	return sub, nil
}

func errSubmissionNotFound(id int64) error {
	return grader.Errorf(grader.CodeNotFound, "submission %d not found", id)
}
