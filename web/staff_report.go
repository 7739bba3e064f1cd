package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"takehome/exercises"
	"takehome/grader"
	"takehome/web/render"
)

// reportView is the data of a submission's report page.
type reportView struct {
	Sub       *grader.SubmissionSummary
	Candidate string // "Candidate 12", or the email once revealed
	Revealed  bool
	Graded    bool
	Core      reportCore
	Phases    []staffPhase
	Timeline  template.HTML
	Models    *modelUseView // nil when the run made no model calls
	Notes     template.HTML
	NotesFile string // set when the notes come from the archive's NOTES.md, not the manifest
	Files     template.HTML
	FileCount int
	Rubric    []rubricRow
	Mine      grader.Review
	Reviews   []grader.Review
	Decisions []grader.Decision
	IsAdmin   bool
	Body      template.HTML   // the graded part rendered ("report_body"), cached
	kind      exercises.Kind  // picks the rubric
	reviews   []grader.Review // every review, cached with the rest
}

// PageTitle names the page.
func (v reportView) PageTitle() string { return fmt.Sprintf("Submission %d", v.Sub.ID) }

// reportCore is what a report shows of its result; the compare page shows
// two side by side.
type reportCore struct {
	ID       int64
	Score    *float64
	Valid    bool
	Problems []string
	Headline *exercises.Metric
	Metrics  []exercises.Metric
	Charts   []template.HTML
	Cohort   template.HTML
	Findings []string
	Tables   []exercises.Table
	Expected *float64
}

// staffPhase is a row of the phase timeline with its log made plain text.
type staffPhase struct {
	grader.PhaseRecord
	LogText string
}

// rubricRow is a criterion with the reviewer's current score.
type rubricRow struct {
	criterion
	Score int
}

// reportPage shows a submission's report to staff; reading it is audited.
func (s *Server) reportPage(c *gin.Context, p principal) error {
	return s.showReport(c, p, false)
}

// revealPage shows the report with the candidate's email; the reveal is
// audited. It answers the POST directly so a link cannot reveal.
func (s *Server) revealPage(c *gin.Context, p principal) error {
	return s.showReport(c, p, true)
}

func (s *Server) showReport(c *gin.Context, p principal, reveal bool) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := s.buildReport(c, p, id)
	if err != nil {
		return err
	}
	action := "report.view"
	if reveal {
		action = "candidate.reveal"
		v.Candidate, v.Revealed = v.Sub.Email, true
	}
	if err := s.record(c, p.actor(), action, fmt.Sprintf("submission:%d", id), nil); err != nil {
		return err
	}
	s.page(c, http.StatusOK, "staff_report", v)
	return nil
}

// buildReport gathers everything the report page shows: the part that is
// the same for every reader, cached (pageCache), and the reviews.
func (s *Server) buildReport(c *gin.Context, p principal, id int64) (reportView, error) {
	v, err := s.reports.load(strconv.FormatInt(id, 10), s.now, func() (reportView, error) {
		return s.buildReportBase(c, id)
	})
	if err != nil {
		return v, err
	}
	v.IsAdmin = p.role() == admin
	fillReviews(&v, p)
	return v, nil
}

// buildReportBase reads and draws what every reader of the report sees.
func (s *Server) buildReportBase(c *gin.Context, id int64) (reportView, error) {
	sum, err := s.deps.Staff.FindSubmissionSummary(c.Request.Context(), id)
	if err != nil {
		return reportView{}, err
	}
	v := reportView{Sub: sum, Candidate: candidateLabel(sum.InviteID),
		Decisions: []grader.Decision{grader.DecisionAdvance, grader.DecisionHold, grader.DecisionReject}}
	ver, err := s.deps.Versions.FindVersion(c.Request.Context(), sum.ExerciseVersionID)
	if err != nil {
		return v, err
	}
	v.kind = ver.Spec.Kind
	rep, err := s.deps.Submissions.FindReport(c.Request.Context(), id)
	switch {
	case grader.ErrorCode(err) == grader.CodeNotFound:
	case err != nil:
		return v, err
	default:
		v.Graded = true
		if v.Core, err = s.core(c, sum, rep, true); err != nil {
			return v, err
		}
		v.Phases, v.Timeline = staffPhases(rep.Phases), phaseTimeline(rep.Phases)
		calls, err := s.deps.Staff.LLMCalls(c.Request.Context(), rep.RunID, false)
		if err != nil {
			return v, err
		}
		v.Models = modelUse(id, calls)
		if rep.Notes != "" {
			v.Notes = render.Markdown(rep.Notes)
		}
	}
	files, err := s.archiveFiles(c, id)
	v.Files, v.FileCount = s.treeOf(c, id, files, err), len(files)
	if v.Notes == "" {
		if f, ok := exercises.FindFile(files, notesFile); ok {
			v.Notes, v.NotesFile = render.Markdown(string(f.Data)), notesFile
		}
	}
	if v.reviews, err = s.deps.Staff.ListReviews(c.Request.Context(), id); err != nil {
		return v, err
	}
	v.Body, err = s.renderPart("staff_report", "report_body", v)
	return v, err
}

// core turns a report's result into what the page draws; withCohort adds
// the distribution of the version's scores with this one marked.
func (s *Server) core(c *gin.Context, sum *grader.SubmissionSummary, rep *grader.Report, withCohort bool) (reportCore, error) {
	k := reportCore{ID: sum.ID, Score: sum.Score, Expected: rep.ExpectedScore}
	if r := rep.Result; r != nil {
		k.Valid, k.Problems, k.Headline, k.Metrics, k.Findings, k.Tables = r.Valid, r.Problems, r.Headline, r.Metrics, r.Findings, r.Tables
		if r.Score != nil {
			k.Score = r.Score
		}
		for _, ch := range r.Charts {
			k.Charts = append(k.Charts, render.Chart(ch))
		}
	}
	if !withCohort {
		return k, nil
	}
	scores, err := s.deps.Staff.CohortScores(c.Request.Context(), sum.ExerciseVersionID, sum.Mode)
	if err != nil {
		return k, err
	}
	if len(scores) > 0 {
		k.Cohort = render.Histogram(fmt.Sprintf("Scores of %d %s submissions of %s v%d", len(scores), sum.Mode, sum.Slug, sum.Version), scores, k.Score, 10)
	}
	return k, nil
}

func staffPhases(phases []grader.PhaseRecord) []staffPhase {
	out := make([]staffPhase, len(phases))
	for i, ph := range phases {
		text := render.StripANSI(ph.Log.Head)
		if ph.Log.Dropped > 0 {
			text += fmt.Sprintf("\n… %s of log not kept …\n", grader.FormatBytes(ph.Log.Dropped))
		}
		text += render.StripANSI(ph.Log.Tail)
		out[i] = staffPhase{PhaseRecord: ph, LogText: text}
	}
	return out
}

// fillReviews adds the rubric with the reader's scores and every review.
func fillReviews(v *reportView, p principal) {
	v.Reviews = v.reviews
	for _, r := range v.reviews {
		if r.UserID == p.user.ID {
			v.Mine = r
		}
	}
	for _, cr := range rubricFor(v.kind) {
		v.Rubric = append(v.Rubric, rubricRow{criterion: cr, Score: v.Mine.Scores[cr.Key]})
	}
}

// saveReview stores the reviewer's rubric scores, decision and comment.
func (s *Server) saveReview(c *gin.Context, p principal) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	sum, err := s.deps.Staff.FindSubmissionSummary(c.Request.Context(), id)
	if err != nil {
		return err
	}
	ver, err := s.deps.Versions.FindVersion(c.Request.Context(), sum.ExerciseVersionID)
	if err != nil {
		return err
	}
	r := grader.Review{SubmissionID: id, UserID: p.user.ID, Scores: map[string]int{}, Comment: strings.TrimSpace(c.PostForm("comment"))}
	for _, cr := range rubricFor(ver.Spec.Kind) {
		raw := c.PostForm("score_" + cr.Key)
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 4 {
			return grader.Errorf(grader.CodeInvalid, "score of %s must be 1 to 4", cr.Name)
		}
		r.Scores[cr.Key] = n
	}
	if len(r.Comment) > 10000 {
		return grader.Errorf(grader.CodeInvalid, "the comment is longer than 10000 characters")
	}
	if r.Decision, err = grader.ParseDecision(c.PostForm("decision")); err != nil {
		return err
	}
	if err := s.deps.Staff.SaveReview(c.Request.Context(), &r, s.now()); err != nil {
		return err
	}
	detail := map[string]any{"decision": string(r.Decision), "scores": r.Scores}
	if err := s.record(c, p.actor(), "review.save", fmt.Sprintf("submission:%d", id), detail); err != nil {
		return err
	}
	s.flash(c, "Review saved.")
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/staff/submissions/%d#review", id))
	return nil
}

// pathID reads the :id path parameter.
func pathID(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, grader.Errorf(grader.CodeNotFound, "no such record %q", c.Param("id"))
	}
	return id, nil
}

// codeURL links a file of a submission's archive in the code browser.
func codeURL(id int64, path string) string {
	return fmt.Sprintf("/staff/submissions/%d/code?file=%s", id, url.QueryEscape(path))
}
