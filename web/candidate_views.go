package web

import (
	"fmt"
	"html/template"
	"time"

	"takehome/exercises"
	"takehome/grader"
	"takehome/web/render"
)

// invitePage is the data of the invite landing page.
type invitePage struct {
	Base         string // "/invite/<token>": every link of the candidate's pages starts here
	Title        string
	Email        string
	Brief        template.HTML
	Phases       []phaseView
	ExpiresAt    time.Time
	Window       string // "" when the invite has no personal window
	StartedAt    *time.Time
	Deadline     time.Time
	Remaining    string
	Attempts     int
	AttemptsLeft int
	Submissions  []submissionItem
}

// PageTitle names the page after the exercise.
func (v invitePage) PageTitle() string { return v.Title }

func newInvitePage(base string, inv *grader.Invite, v *grader.ExerciseVersion, subs []submissionItem, now time.Time) invitePage {
	phases := make([]phaseView, len(v.Spec.Phases))
	for i, p := range v.Spec.Phases {
		phases[i] = phaseView{Name: p.Name, Inputs: p.Inputs, Outputs: p.Outputs}
	}
	page := invitePage{
		Base: base, Title: v.Spec.Title, Email: inv.Email, Brief: render.Markdown(v.Spec.Brief), Phases: phases,
		ExpiresAt: inv.ExpiresAt, StartedAt: inv.StartedAt, Deadline: inv.Deadline(), Remaining: remaining(now, inv.Deadline()),
		Attempts: inv.Attempts, AttemptsLeft: max(inv.Attempts-inv.AttemptsUsed, 0), Submissions: subs,
	}
	if inv.Window > 0 {
		page.Window = windowText(inv.Window)
	}
	return page
}

// windowText prints a window length: "4 hours", "90 minutes", "2 days".
func windowText(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		return plural(int(d/(24*time.Hour)), "day")
	case d%time.Hour == 0:
		return plural(int(d/time.Hour), "hour")
	}
	return plural(int(d.Round(time.Minute)/time.Minute), "minute")
}

// submissionItem is one line of the candidate's list of submissions.
type submissionItem struct {
	ID        int64
	Mode      exercises.Mode
	Status    grader.SubmissionStatus
	CreatedAt time.Time
	URL       string
	Receipt   string
}

func newSubmissionItem(base string, sub *grader.Submission) submissionItem {
	url := fmt.Sprintf("%s/submissions/%d", base, sub.ID)
	return submissionItem{ID: sub.ID, Mode: sub.Mode, Status: sub.Status, CreatedAt: sub.CreatedAt, URL: url, Receipt: url + "/receipt"}
}

// closedView is the page of an invite that no longer lets its candidate in.
type closedView struct {
	Status      int
	Heading     string
	Message     string
	Submissions []submissionItem // receipts that stay readable
}

// PageTitle names the page after its heading.
func (v closedView) PageTitle() string { return v.Heading }
