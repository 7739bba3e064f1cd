package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"takehome/exercises"
	"takehome/grader"
)

// uploadView is the data of the upload form.
type uploadView struct {
	Base         string
	Title        string
	Mode         exercises.Mode // preselected
	FinalTaken   bool           // a final submission exists: only checks are left
	AttemptsLeft int
	MaxBytes     int64
	Key          string // idempotency key: a double submit stores one submission
	Error        string
}

// PageTitle names the upload page.
func (v uploadView) PageTitle() string { return "Upload · " + v.Title }

// uploadPage shows the upload form; ?mode=final preselects a final
// submission and its confirmation.
func (s *Server) uploadPage(c *gin.Context, p principal) error {
	v, err := s.newUploadView(c, p.invite)
	if err != nil || v == nil {
		return err
	}
	if c.Query("mode") == string(exercises.ModeFinal) && !v.FinalTaken {
		v.Mode = exercises.ModeFinal
	}
	s.page(c, http.StatusOK, "candidate_upload", v)
	return nil
}

// newUploadView checks the invite may submit and prepares the form; it
// returns nil when it rendered a closed page instead.
func (s *Server) newUploadView(c *gin.Context, inv *grader.Invite) (*uploadView, error) {
	if s.closed(c, inv, true) {
		return nil, nil
	}
	if err := quotaLeft(inv); err != nil {
		s.page(c, http.StatusTooManyRequests, "candidate_closed", closedView{Status: http.StatusTooManyRequests,
			Heading: "No submissions left", Message: grader.ErrorMessage(err) + ". Your earlier submissions and their receipts are listed on your invite page."})
		return nil, nil
	}
	if inv.StartedAt == nil {
		return nil, errNotStarted
	}
	version, err := s.deps.Versions.FindVersion(c.Request.Context(), inv.ExerciseVersionID)
	if err != nil {
		return nil, fmt.Errorf("find version %d: %w", inv.ExerciseVersionID, err)
	}
	subs, err := s.inviteSubmissions(c, inv)
	if err != nil {
		return nil, err
	}
	v := &uploadView{Base: inviteBase(c), Title: version.Spec.Title, Mode: exercises.ModeCheck,
		AttemptsLeft: inv.Attempts - inv.AttemptsUsed, MaxBytes: s.cfg.MaxUploadBytes, Key: randomToken()}
	for _, sub := range subs {
		v.FinalTaken = v.FinalTaken || sub.Mode == exercises.ModeFinal
	}
	return v, nil
}

// submitPage stores an uploaded archive, then shows the check's live status
// or the final submission's receipt. Problems the candidate can fix come
// back on the form.
func (s *Server) submitPage(c *gin.Context, p principal) error {
	v, err := s.newUploadView(c, p.invite)
	if err != nil || v == nil {
		return err
	}
	sub, err := s.submitForm(c, p.invite)
	if err != nil {
		return s.uploadFailed(c, v, err)
	}
	url := fmt.Sprintf("%s/submissions/%d", inviteBase(c), sub.ID)
	if sub.Mode == exercises.ModeFinal {
		url += "/receipt"
	}
	c.Redirect(http.StatusSeeOther, url)
	return nil
}

// submitForm reads the multipart form and submits its archive.
func (s *Server) submitForm(c *gin.Context, inv *grader.Invite) (*grader.Submission, error) {
	up, err := s.readUpload(c)
	if err != nil {
		return nil, err
	}
	defer up.remove()
	mode, err := exercises.ParseMode(up.mode)
	if err != nil || up.mode == "" {
		return nil, grader.Errorf(grader.CodeInvalid, "choose a self-check or a final submission")
	}
	if mode == exercises.ModeFinal && up.confirm != "yes" {
		return nil, grader.Errorf(grader.CodeInvalid, "tick the box to confirm your final submission: it cannot be replaced")
	}
	if len(up.key) > maxIdempotencyKey {
		return nil, grader.Errorf(grader.CodeInvalid, "the form is malformed: reload the page and try again")
	}
	sub, _, err := s.submit(c, inv, mode, up, up.key)
	return sub, err
}

// uploadFailed shows the form again with the reason, for errors the
// candidate can act on; anything else becomes an error page.
func (s *Server) uploadFailed(c *gin.Context, v *uploadView, err error) error {
	code := grader.ErrorCode(err)
	switch code {
	case grader.CodeInvalid, grader.CodeTooLarge, grader.CodeUnprocessable, grader.CodeConflict:
	default:
		return err
	}
	v.Error, v.Key = grader.ErrorMessage(err), randomToken()
	s.page(c, statusByCode[code], "candidate_upload", v)
	return nil
}
