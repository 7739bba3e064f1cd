package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"takehome/grader"
)

// listPageSize is the number of rows on a page of the submission list.
const listPageSize = 50

// listView is the data of the submission list.
type listView struct {
	Rows      template.HTML
	Count     int
	Exercises []string
	Statuses  []grader.SubmissionStatus
	Decisions []string
	Filter    listFilter
	PrevURL   string
	NextURL   string
}

// PageTitle names the page.
func (listView) PageTitle() string { return "Submissions" }

// listFilter is the list's query, as the form shows it.
type listFilter struct {
	Exercise, Status, Decision, Sort string
	Page                             int
}

// listRows renders the table's rows, blind: the candidate is a number.
// The busiest staff page builds them here rather than in the template:
// html/template's reflective escaping of 50 rows took half its CPU. Every
// value goes through htmlEsc.
func listRows(rows []grader.SubmissionSummary) template.HTML {
	var b strings.Builder
	for _, r := range rows {
		ref := ""
		if isReferenceEmail(r.Email) {
			ref = ` <span class="badge">reference</span>`
		}
		decision := `<span class="muted">—</span>`
		if r.Decision != "" {
			decision = `<span class="badge ` + htmlEsc(string(r.Decision)) + `">` + htmlEsc(string(r.Decision)) + `</span>`
		}
		id := strconv.FormatInt(r.ID, 10)
		fmt.Fprintf(&b, `<tr><td><a href="/staff/submissions/%s">%s</a></td><td>%s%s</td><td>%s v%d</td><td>%s</td>`+
			`<td><span class="badge %s">%s</span></td><td class="num">%s</td><td>%s</td><td>%s</td></tr>`+"\n",
			id, id, htmlEsc(candidateLabel(r.InviteID)), ref, htmlEsc(r.Slug), r.Version, htmlEsc(string(r.Mode)),
			htmlEsc(string(r.Status)), htmlEsc(string(r.Status)), htmlEsc(formatScore(r.Score)), decision, htmlEsc(formatTime(r.CreatedAt)))
	}
	return template.HTML(b.String())
}

// submissionListPage lists submissions, filtered and sorted, blind. Its
// content is the same for every staff member and is cached (listCache).
func (s *Server) submissionListPage(c *gin.Context, _ principal) error {
	f, sf, err := parseListFilter(c)
	if err != nil {
		return err
	}
	content, err := s.listContent(c.Request.Context(), f, sf)
	if err != nil {
		return err
	}
	s.page(c, http.StatusOK, "staff_list", prerendered{title: listView{}.PageTitle(), content: content})
	return nil
}

// listContent returns the rendered content of one page of the list, from
// the cache when fresh.
func (s *Server) listContent(ctx context.Context, f listFilter, sf grader.SummaryFilter) (template.HTML, error) {
	return s.lists.load(f.url(f.Page), s.now, func() (template.HTML, error) {
		return s.buildListContent(ctx, f, sf)
	})
}

// buildListContent reads one page of the list and renders it.
func (s *Server) buildListContent(ctx context.Context, f listFilter, sf grader.SummaryFilter) (template.HTML, error) {
	rows, err := s.deps.Staff.ListSubmissionSummaries(ctx, sf)
	if err != nil {
		return "", err
	}
	slugs, err := s.deps.Staff.ListExerciseSlugs(ctx)
	if err != nil {
		return "", err
	}
	v := listView{Filter: f, Exercises: slugs, Decisions: []string{"advance", "hold", "reject", "none"},
		Statuses: []grader.SubmissionStatus{grader.StatusQueued, grader.StatusRunning, grader.StatusGraded, grader.StatusFailed, grader.StatusCanceled}}
	more := len(rows) > listPageSize
	rows = rows[:min(len(rows), listPageSize)]
	v.Rows, v.Count = listRows(rows), len(rows)
	if f.Page > 1 {
		v.PrevURL = f.url(f.Page - 1)
	}
	if more {
		v.NextURL = f.url(f.Page + 1)
	}
	return s.renderContent("staff_list", v)
}

// candidateLabel names a candidate without revealing who: by invite.
func candidateLabel(inviteID int64) string { return fmt.Sprintf("Candidate %d", inviteID) }

// parseListFilter reads the list's query: exercise, status, decision,
// sort (newest or score) and page.
func parseListFilter(c *gin.Context) (listFilter, grader.SummaryFilter, error) {
	f := listFilter{Exercise: c.Query("exercise"), Status: c.Query("status"), Decision: c.Query("decision"), Sort: c.Query("sort"), Page: 1}
	sf := grader.SummaryFilter{Slug: f.Exercise, Status: grader.SubmissionStatus(f.Status), Decision: f.Decision, Limit: listPageSize + 1}
	switch sf.Status {
	case "", grader.StatusQueued, grader.StatusRunning, grader.StatusGraded, grader.StatusFailed, grader.StatusCanceled:
	default:
		return f, sf, grader.Errorf(grader.CodeInvalid, "unknown status %q", f.Status)
	}
	if f.Decision != "none" {
		if _, err := grader.ParseDecision(f.Decision); err != nil {
			return f, sf, err
		}
	}
	switch f.Sort {
	case "", "newest":
	case "score":
		sf.ByScore = true
	default:
		return f, sf, grader.Errorf(grader.CodeInvalid, "unknown sort %q: want newest or score", f.Sort)
	}
	if p := c.Query("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 100000 {
			return f, sf, grader.Errorf(grader.CodeInvalid, "page must be a number from 1")
		}
		f.Page = n
	}
	sf.Offset = (f.Page - 1) * listPageSize
	return f, sf, nil
}

// url is the list's address for another page with the same filter.
func (f listFilter) url(page int) string {
	q := url.Values{}
	for k, v := range map[string]string{"exercise": f.Exercise, "status": f.Status, "decision": f.Decision, "sort": f.Sort} {
		if v != "" {
			q.Set(k, v)
		}
	}
	q.Set("page", strconv.Itoa(page))
	return "/staff/submissions?" + q.Encode()
}

func isReferenceEmail(email string) bool {
	_, ok := grader.ReferenceName(email)
	return ok
}
