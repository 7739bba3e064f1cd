package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"takehome/exercises"
	"takehome/grader"
	"takehome/web/render"
)

// submissionView is the data of a submission's status page and receipt.
type submissionView struct {
	Base        string
	Title       string // the exercise's
	Email       string
	Sub         *grader.Submission
	URL         string
	EventsURL   string
	Done        bool
	Report      *publicReport // a graded check run only
	Progress    []phaseLine   // the steps of a running check run so far
	FinalNotice bool          // a final run: results go to the team, not here
}

// PageTitle names the page after the submission.
func (v submissionView) PageTitle() string {
	if v.Sub.Mode == exercises.ModeFinal {
		return fmt.Sprintf("Final submission %d", v.Sub.ID)
	}
	return fmt.Sprintf("Self-check %d", v.Sub.ID)
}

// publicReport is what a candidate sees of a graded check run: never a
// finding (notes for interviewers) or a staff-only table.
type publicReport struct {
	Valid    bool
	Problems []string
	Score    *float64
	Headline *exercises.Metric
	Metrics  []exercises.Metric
	Charts   []template.HTML
	Tables   []exercises.Table
	Phases   []phaseLine
	Models   *modelUseView // the self-check's model calls, when it made any
	Calls    []callLine
}

// phaseLine is one finished step with its log made safe to show.
type phaseLine struct {
	Step, Phase string
	Verdict     grader.Verdict
	Reason      string
	Wall        time.Duration
	PeakMemory  int64
	Log         string
}

func newPhaseLine(r grader.PhaseRecord) phaseLine {
	return phaseLine{Step: r.Step, Phase: r.Phase, Verdict: r.Verdict, Reason: render.StripANSI(r.Reason),
		Wall: r.Wall, PeakMemory: r.PeakMemory, Log: render.StripANSI(r.Log.String())}
}

func newPublicReport(cr *candidateReport) *publicReport {
	rep := &publicReport{Valid: true}
	for _, ph := range cr.Phases {
		rep.Phases = append(rep.Phases, newPhaseLine(ph))
	}
	res := cr.Result
	if res == nil {
		return rep
	}
	rep.Valid, rep.Problems, rep.Score, rep.Headline, rep.Metrics = res.Valid, res.Problems, res.Score, res.Headline, res.Metrics
	for _, ch := range res.Charts {
		rep.Charts = append(rep.Charts, render.Chart(ch))
	}
	rep.Tables = res.Tables // newCandidateReport already dropped the staff-only ones
	return rep
}

// submissionPage shows a submission's status, live while it runs, and the
// public report of a graded check run.
func (s *Server) submissionPage(c *gin.Context, p principal) error {
	v, err := s.newSubmissionView(c, p.invite)
	if err != nil || v == nil {
		return err
	}
	s.page(c, http.StatusOK, "candidate_submission", v)
	return nil
}

// receiptPage shows what was received and when, to keep or print.
func (s *Server) receiptPage(c *gin.Context, p principal) error {
	v, err := s.newSubmissionView(c, p.invite)
	if err != nil || v == nil {
		return err
	}
	v.Report = nil // a receipt is about what was sent, not how it did
	s.page(c, http.StatusOK, "candidate_receipt", receiptView{*v})
	return nil
}

// receiptView is the data of the receipt page.
type receiptView struct{ submissionView }

// PageTitle names the receipt.
func (v receiptView) PageTitle() string { return fmt.Sprintf("Receipt for submission %d", v.Sub.ID) }

// newSubmissionView loads the invite's submission named by :id; another
// invite's submission is "not found", like one that does not exist, so
// ids cannot be probed. It returns nil when it rendered a closed page.
func (s *Server) newSubmissionView(c *gin.Context, inv *grader.Invite) (*submissionView, error) {
	if s.closed(c, inv, false) {
		return nil, nil
	}
	sub, err := s.candidateSubmission(c, inv)
	if err != nil {
		return nil, err
	}
	version, err := s.deps.Versions.FindVersion(c.Request.Context(), sub.ExerciseVersionID)
	if err != nil {
		return nil, fmt.Errorf("find version %d: %w", sub.ExerciseVersionID, err)
	}
	url := fmt.Sprintf("%s/submissions/%d", inviteBase(c), sub.ID)
	v := &submissionView{Base: inviteBase(c), Title: version.Spec.Title, Email: inv.Email, Sub: sub, URL: url,
		EventsURL: url + "/events", Done: settled(sub.Status), FinalNotice: sub.Mode == exercises.ModeFinal}
	view, err := s.candidateView(c, sub)
	if err != nil {
		return nil, err
	}
	if view.Report != nil {
		v.Report = newPublicReport(view.Report)
		if err := s.addModelCalls(c, v.Report, view.Report.runID); err != nil {
			return nil, err
		}
	}
	if err := s.addProgress(c, v); err != nil {
		return nil, err
	}
	return v, nil
}

// addModelCalls shows a self-check's model calls, prompts included: the
// candidate's own, on the public set. A call on hidden data never shows
// here (a check run makes none; the filter is depth).
func (s *Server) addModelCalls(c *gin.Context, rep *publicReport, runID int64) error {
	if s.deps.Calls == nil {
		return nil
	}
	calls, err := s.deps.Calls.LLMCalls(c.Request.Context(), runID, true)
	if err != nil {
		return fmt.Errorf("model calls of run %d: %w", runID, err)
	}
	var own []grader.ModelCall
	for _, call := range calls {
		if !call.Hidden {
			own = append(own, call)
			rep.Calls = append(rep.Calls, callLine{ModelCall: call, Request: gunzipText(call.RequestGz), Response: gunzipText(call.ResponseGz)})
		}
	}
	rep.Models = modelUse(0, own)
	return nil
}

// addProgress shows the finished steps of a running check run; the events
// stream then sends the steps after them.
func (s *Server) addProgress(c *gin.Context, v *submissionView) error {
	if v.Sub.Mode != exercises.ModeCheck || v.Sub.Status != grader.StatusRunning {
		return nil
	}
	recs, err := s.deps.Submissions.ListPhaseProgress(c.Request.Context(), v.Sub.ID)
	if err != nil {
		return fmt.Errorf("phase progress of submission %d: %w", v.Sub.ID, err)
	}
	for _, r := range recs {
		v.Progress = append(v.Progress, newPhaseLine(r))
	}
	v.EventsURL += "?from=" + strconv.Itoa(len(recs))
	return nil
}

// candidateSubmission finds the :id submission if it belongs to inv.
func (s *Server) candidateSubmission(c *gin.Context, inv *grader.Invite) (*grader.Submission, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, grader.Errorf(grader.CodeNotFound, "there is no submission %q", c.Param("id"))
	}
	sub, err := s.deps.Submissions.FindSubmission(c.Request.Context(), id)
	if grader.ErrorCode(err) == grader.CodeNotFound || err == nil && sub.InviteID != inv.ID {
		return nil, grader.Errorf(grader.CodeNotFound, "there is no submission %d on this invite", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find submission %d: %w", id, err)
	}
	return sub, nil
}

// settled reports whether a submission's status will not change again.
func settled(st grader.SubmissionStatus) bool {
	return st == grader.StatusGraded || st == grader.StatusFailed || st == grader.StatusCanceled
}
