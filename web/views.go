package web

import (
	"time"

	"takehome/exercises"
	"takehome/grader"
)

// candidateSubmission is what a candidate sees of a submission. A final
// submission never carries anything of its hidden run: no report, no score.
type candidateSubmission struct {
	ID            int64                   `json:"id"`
	Mode          exercises.Mode          `json:"mode"`
	Status        grader.SubmissionStatus `json:"status"`
	CreatedAt     time.Time               `json:"created_at"`
	GradedAt      *time.Time              `json:"graded_at,omitempty"`
	ArchiveSHA256 string                  `json:"archive_sha256,omitempty"`
	ArchiveSize   int64                   `json:"archive_size,omitempty"`
	Report        *candidateReport        `json:"report,omitempty"`
}

// candidateReport is the outcome of a check run as its candidate sees it.
type candidateReport struct {
	Result   *exercises.Result    `json:"result"`
	Phases   []grader.PhaseRecord `json:"phases"`
	GradedAt time.Time            `json:"graded_at"`
	runID    int64                // whose model calls the page lists
}

// statusOnly is the view every candidate may have of their submission.
func statusOnly(sub *grader.Submission) candidateSubmission {
	return candidateSubmission{ID: sub.ID, Mode: sub.Mode, Status: sub.Status, CreatedAt: sub.CreatedAt, GradedAt: sub.GradedAt}
}

// receipt is the answer to an upload: the status and what was received.
func receipt(sub *grader.Submission) candidateSubmission {
	v := statusOnly(sub)
	v.ArchiveSHA256, v.ArchiveSize = sub.ArchiveSHA256, sub.ArchiveSize
	return v
}

// newCandidateReport keeps what a candidate may see of a check run: the
// findings are notes for interviewers, staff-only tables (e.g. gold
// evidence) are for staff.
func newCandidateReport(r *grader.Report) *candidateReport {
	v := &candidateReport{Phases: nonNil(r.Phases), GradedAt: r.GradedAt, runID: r.RunID}
	if r.Result != nil {
		res := *r.Result
		res.Findings = nil
		res.Tables = nil
		for _, t := range r.Result.Tables {
			if !t.StaffOnly {
				res.Tables = append(res.Tables, t)
			}
		}
		v.Result = &res
	}
	return v
}

// staffSubmission is a submission with its report, when graded, for staff.
type staffSubmission struct {
	grader.Submission
	Report *grader.Report `json:"report,omitempty"`
}

// submissionList is a page of submissions for staff.
type submissionList struct {
	Submissions []grader.Submission `json:"submissions"`
	Limit       int                 `json:"limit"`
	Offset      int                 `json:"offset"`
}
