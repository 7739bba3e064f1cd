package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"takehome/grader"
)

// queueView is the data of the queue page.
type queueView struct {
	Groups []jobGroup
}

// PageTitle names the page.
func (queueView) PageTitle() string { return "Queue" }

// jobGroup is the jobs in one state.
type jobGroup struct {
	Title string
	State string
	Jobs  []grader.QueueJob
}

// jobGroups orders the states the queue page shows.
var jobGroups = []struct{ state, title string }{
	{"running", "Running"}, {"available", "Queued"}, {"scheduled", "Scheduled"}, {"retryable", "Waiting to retry"},
	{"discarded", "Failed"}, {"cancelled", "Cancelled"},
}

// queuePage shows running, queued and failed grading jobs.
func (s *Server) queuePage(c *gin.Context, _ principal) error {
	jobs, err := s.deps.Jobs.ListJobs(c.Request.Context(), 500)
	if err != nil {
		return err
	}
	var v queueView
	for _, g := range jobGroups {
		group := jobGroup{Title: g.title, State: g.state}
		for _, j := range jobs {
			if j.State == g.state {
				group.Jobs = append(group.Jobs, j)
			}
		}
		v.Groups = append(v.Groups, group)
	}
	s.page(c, http.StatusOK, "admin_queue", v)
	return nil
}

// cancelJob cancels a grading job: a queued one never runs, a running one
// has its containers stopped.
func (s *Server) cancelJob(c *gin.Context, p principal) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.deps.Jobs.CancelJob(c.Request.Context(), id); err != nil {
		return err
	}
	if err := s.record(c, p.actor(), "job.cancel", fmt.Sprintf("job:%d", id), nil); err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("Job %d cancelled.", id))
	c.Redirect(http.StatusSeeOther, "/admin/queue")
	return nil
}

// regradeSubmission grades a submission again; its old report is kept as
// superseded.
func (s *Server) regradeSubmission(c *gin.Context, p principal) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	job, err := s.deps.Staff.Regrade(c.Request.Context(), id)
	if err != nil {
		return err
	}
	if err := s.record(c, p.actor(), "submission.regrade", fmt.Sprintf("submission:%d", id), map[string]any{"job_id": job}); err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("Submission %d queued for regrading (job %d).", id, job))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/staff/submissions/%d", id))
	return nil
}

// auditView is the data of the audit log page.
type auditView struct {
	Events []grader.AuditEvent
}

// PageTitle names the page.
func (auditView) PageTitle() string { return "Audit log" }

// auditPage shows the latest audit events.
func (s *Server) auditPage(c *gin.Context, _ principal) error {
	events, err := s.deps.Staff.ListAudit(c.Request.Context(), 500)
	if err != nil {
		return err
	}
	s.page(c, http.StatusOK, "admin_audit", auditView{Events: events})
	return nil
}
