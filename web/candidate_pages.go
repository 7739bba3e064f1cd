package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"takehome/grader"
)

// candidatePageRoutes are the server-rendered pages a candidate reaches from
// their invite link. The invite token in the path is the candidate's key:
// the access log redacts it and no page sends a Referer.
func (s *Server) candidatePageRoutes() []route {
	return []route{
		{http.MethodGet, "/invite/:token", candidate, s.invitePage},
		{http.MethodPost, "/invite/:token/start", candidate, s.startPage},
		{http.MethodGet, "/invite/:token/kit", candidate, s.kitPage},
		{http.MethodGet, "/invite/:token/upload", candidate, s.uploadPage},
		{http.MethodPost, "/invite/:token/submissions", candidate, s.submitPage},
		{http.MethodGet, "/invite/:token/submissions/:id", candidate, s.submissionPage},
		{http.MethodGet, "/invite/:token/submissions/:id/events", candidate, s.submissionEvents},
		{http.MethodGet, "/invite/:token/submissions/:id/receipt", candidate, s.receiptPage},
	}
}

// inviteBase is the path every page of an invite starts with.
func inviteBase(c *gin.Context) string { return "/invite/" + c.Param("token") }

// invitePage shows the brief, the deadline, the window and what is left.
func (s *Server) invitePage(c *gin.Context, p principal) error {
	if s.closed(c, p.invite, true) {
		return nil
	}
	v, err := s.deps.Versions.FindVersion(c.Request.Context(), p.invite.ExerciseVersionID)
	if err != nil {
		return fmt.Errorf("find version %d: %w", p.invite.ExerciseVersionID, err)
	}
	subs, err := s.inviteSubmissions(c, p.invite)
	if err != nil {
		return err
	}
	s.page(c, http.StatusOK, "candidate_invite", newInvitePage(inviteBase(c), p.invite, v, subs, s.now()))
	return nil
}

// startPage starts the candidate's personal window and goes back to the
// invite page.
func (s *Server) startPage(c *gin.Context, p principal) error {
	if s.closed(c, p.invite, true) {
		return nil
	}
	if _, err := s.start(c, p.invite); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, inviteBase(c))
	return nil
}

// kitPage sends the starter kit once the window has started.
func (s *Server) kitPage(c *gin.Context, p principal) error {
	if s.closed(c, p.invite, true) {
		return nil
	}
	if p.invite.StartedAt == nil {
		return errNotStarted
	}
	return s.sendStarterKit(c, p.invite)
}

var errNotStarted = grader.Errorf(grader.CodeConflict, "press Start on your invite page first: your time window starts then")

// inviteSubmissions lists the invite's submissions for its pages.
func (s *Server) inviteSubmissions(c *gin.Context, inv *grader.Invite) ([]submissionItem, error) {
	subs, err := s.deps.Submissions.ListInviteSubmissions(c.Request.Context(), inv.ID)
	if err != nil {
		return nil, fmt.Errorf("list submissions of invite %d: %w", inv.ID, err)
	}
	items := make([]submissionItem, len(subs))
	for i := range subs {
		items[i] = newSubmissionItem(inviteBase(c), &subs[i])
	}
	return items, nil
}

// closed renders the page of an invite that no longer lets its candidate
// in and reports whether it did: a revoked invite is closed to everything
// (403); a deadline that passed (410) closes the pages that lead to a new
// submission (needOpen), while receipts and results stay readable.
func (s *Server) closed(c *gin.Context, inv *grader.Invite, needOpen bool) bool {
	now := s.now()
	var v closedView
	switch {
	case inv.RevokedAt != nil:
		v = closedView{Status: http.StatusForbidden, Heading: "This invite has been revoked",
			Message: "The team that invited you withdrew this invite. If you think this is a mistake, reply to the email that brought you here."}
	case needOpen && !now.Before(inv.Deadline()):
		v = closedView{Status: http.StatusGone, Heading: "This invite has expired", Message: expiredMessage(inv)}
		subs, err := s.inviteSubmissions(c, inv)
		if err != nil {
			s.pageError(c, err)
			return true
		}
		v.Submissions = subs
	default:
		return false
	}
	s.page(c, v.Status, "candidate_closed", v)
	return true
}

func expiredMessage(inv *grader.Invite) string {
	end := inv.Deadline().UTC().Format("2006-01-02 15:04 UTC")
	if inv.Deadline().Equal(inv.ExpiresAt) {
		return "This invite could be used until " + end + ". Ask your contact for a new one if you still want to take part."
	}
	return "Your personal time window ended at " + end + ". Your submissions made before then are kept; their receipts are below."
}

// quotaLeft refuses a new submission once every attempt is used.
func quotaLeft(inv *grader.Invite) error {
	if inv.AttemptsUsed >= inv.Attempts {
		return grader.Errorf(grader.CodeQuota, "you have used all %d of your submissions", inv.Attempts)
	}
	return nil
}

// remaining says how long is left until t, for people: "2 days 3 hours".
func remaining(now, t time.Time) string {
	d := t.Sub(now)
	switch {
	case d <= 0:
		return "no time"
	case d < time.Hour:
		return plural(int(d.Minutes()), "minute")
	case d < 48*time.Hour:
		return plural(int(d.Hours()), "hour") + " " + plural(int(d.Minutes())%60, "minute")
	}
	return plural(int(d.Hours())/24, "day") + " " + plural(int(d.Hours())%24, "hour")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
