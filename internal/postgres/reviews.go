package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"takehome/exercises"
	"takehome/grader"
)

// summaryRow is a row of summarySelect: the submission with its
// candidate, exercise and latest decision.
type summaryRow struct {
	submissionRow
	Email    string
	Slug     string
	Version  int
	Decision *string
}

func (r *summaryRow) summary() grader.SubmissionSummary {
	s := grader.SubmissionSummary{Submission: *r.submission(), Email: r.Email, Slug: r.Slug, Version: r.Version}
	if r.Decision != nil {
		s.Decision = grader.Decision(*r.Decision)
	}
	return s
}

// summarySelect reads submissions with their candidate, exercise and latest
// decision.
const summarySelect = `SELECT s.id, s.invite_id, s.version_id, s.mode, s.status, s.archive_sha256, s.archive_size,
	s.job_id, s.score, s.created_at, s.graded_at, i.email, v.slug, v.number AS version, d.decision
	FROM submissions s
	JOIN invites i ON i.id = s.invite_id
	JOIN exercise_versions v ON v.id = s.version_id
	LEFT JOIN LATERAL (SELECT r.decision FROM reviews r
		WHERE r.submission_id = s.id AND r.decision IS NOT NULL
		ORDER BY r.updated_at DESC LIMIT 1) d ON true`

// ListSubmissionSummaries returns the rows of the staff's submission list.
func (s *Store) ListSubmissionSummaries(ctx context.Context, f grader.SummaryFilter) ([]grader.SubmissionSummary, error) {
	where, args := []string{"true"}, []any{}
	add := func(cond string, arg any) { where = append(where, cond); args = append(args, arg) }
	if f.VersionID != 0 {
		add("s.version_id = ?", f.VersionID)
	}
	if f.Slug != "" {
		add("v.slug = ?", f.Slug)
	}
	if f.Status != "" {
		add("s.status = ?", string(f.Status))
	}
	if f.References {
		add("i.email LIKE ?", grader.ReferenceEmailLike)
	}
	switch f.Decision {
	case "":
	case "none":
		where = append(where, "d.decision IS NULL")
	default:
		d, err := grader.ParseDecision(f.Decision)
		if err != nil {
			return nil, err
		}
		add("d.decision = ?", string(d))
	}
	order := "s.id DESC"
	if f.ByScore {
		order = "s.score DESC NULLS LAST, s.id DESC"
	}
	q := summarySelect + " WHERE " + strings.Join(where, " AND ") + " ORDER BY " + order + " LIMIT ? OFFSET ?"
	args = append(args, listLimit(f.Limit), max(f.Offset, 0))
	rows, err := s.scanSummaries(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list submission summaries: %w", err)
	}
	out := make([]grader.SubmissionSummary, len(rows))
	for i := range rows {
		out[i] = rows[i].summary()
	}
	return out, nil
}

// scanSummaries runs a summarySelect query and scans its rows by hand:
// the staff list is the busiest page, and gorm's reflective scan cost more
// than the query.
func (s *Store) scanSummaries(ctx context.Context, q string, args ...any) ([]summaryRow, error) {
	rows, err := s.db.WithContext(ctx).Raw(q, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []summaryRow
	for rows.Next() {
		var r summaryRow
		err := rows.Scan(&r.ID, &r.InviteID, &r.VersionID, &r.Mode, &r.Status, &r.ArchiveSHA256, &r.ArchiveSize,
			&r.JobID, &r.Score, &r.CreatedAt, &r.GradedAt, &r.Email, &r.Slug, &r.Version, &r.Decision)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindSubmissionSummary returns one row of the staff's submission list.
func (s *Store) FindSubmissionSummary(ctx context.Context, id int64) (*grader.SubmissionSummary, error) {
	rows, err := s.scanSummaries(ctx, summarySelect+" WHERE s.id = ?", id)
	if err != nil {
		return nil, fmt.Errorf("find submission summary: %w", err)
	}
	if len(rows) == 0 {
		return nil, grader.Errorf(grader.CodeNotFound, "submission %d not found", id)
	}
	sum := rows[0].summary()
	return &sum, nil
}

type reviewRow struct {
	SubmissionID int64
	UserID       int64
	Email        string
	Scores       []byte
	Decision     *string
	Comment      string
	UpdatedAt    time.Time
}

// ListReviews returns the reviews of a submission, latest first.
func (s *Store) ListReviews(ctx context.Context, submissionID int64) ([]grader.Review, error) {
	var rows []reviewRow
	err := s.db.WithContext(ctx).Raw(`SELECT r.submission_id, r.user_id, u.email, r.scores, r.decision, r.comment, r.updated_at
		FROM reviews r JOIN users u ON u.id = r.user_id WHERE r.submission_id = ? ORDER BY r.updated_at DESC, r.id DESC`,
		submissionID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list reviews: %w", err)
	}
	out := make([]grader.Review, len(rows))
	for i, r := range rows {
		out[i] = grader.Review{SubmissionID: r.SubmissionID, UserID: r.UserID, Reviewer: r.Email, Comment: r.Comment, UpdatedAt: utc(r.UpdatedAt)}
		if r.Decision != nil {
			out[i].Decision = grader.Decision(*r.Decision)
		}
		if err := json.Unmarshal(r.Scores, &out[i].Scores); err != nil {
			return nil, fmt.Errorf("decode review scores: %w", err)
		}
	}
	return out, nil
}

// SaveReview creates or replaces the reviewer's review of a submission.
func (s *Store) SaveReview(ctx context.Context, r *grader.Review, now time.Time) error {
	for k, v := range r.Scores {
		if v < 1 || v > 4 {
			return grader.Errorf(grader.CodeInvalid, "score of %q must be 1 to 4, got %d", k, v)
		}
	}
	if _, err := grader.ParseDecision(string(r.Decision)); err != nil {
		return err
	}
	scores, err := json.Marshal(nonNilScores(r.Scores))
	if err != nil {
		return fmt.Errorf("save review: %w", err)
	}
	var decision *string
	if r.Decision != "" {
		d := string(r.Decision)
		decision = &d
	}
	err = s.db.WithContext(ctx).Exec(`INSERT INTO reviews (submission_id, user_id, scores, decision, comment, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (submission_id, user_id) DO UPDATE
		SET scores = EXCLUDED.scores, decision = EXCLUDED.decision, comment = EXCLUDED.comment, updated_at = EXCLUDED.updated_at`,
		r.SubmissionID, r.UserID, jsonb(scores), decision, pgText(r.Comment), now).Error
	if err != nil {
		return fmt.Errorf("save review: %w", dbError(err, fmt.Sprintf("review of submission %d", r.SubmissionID)))
	}
	r.UpdatedAt = now
	return nil
}

func nonNilScores(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}

// CohortScores returns the scores of the graded submissions of a version in
// a mode, lowest first; reference submissions are not candidates and do not
// count.
func (s *Store) CohortScores(ctx context.Context, versionID int64, mode exercises.Mode) ([]float64, error) {
	rows, err := s.db.WithContext(ctx).Raw(`SELECT s.score FROM submissions s JOIN invites i ON i.id = s.invite_id
		WHERE s.version_id = ? AND s.mode = ? AND s.status = 'graded' AND s.score IS NOT NULL AND i.email NOT LIKE ?
		ORDER BY s.score`, versionID, string(mode), grader.ReferenceEmailLike).Rows()
	if err != nil {
		return nil, fmt.Errorf("cohort scores: %w", err)
	}
	defer rows.Close()
	var scores []float64 // scanned by hand: a cohort has thousands of rows
	for rows.Next() {
		var f float64
		if err := rows.Scan(&f); err != nil {
			return nil, fmt.Errorf("cohort scores: %w", err)
		}
		scores = append(scores, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cohort scores: %w", err)
	}
	return scores, nil
}

// ListExerciseSlugs returns the slugs of the stored exercise versions, for
// the list's filter.
func (s *Store) ListExerciseSlugs(ctx context.Context) ([]string, error) {
	var slugs []string
	if err := s.db.WithContext(ctx).Raw("SELECT DISTINCT slug FROM exercise_versions ORDER BY slug").Scan(&slugs).Error; err != nil {
		return nil, fmt.Errorf("list exercise slugs: %w", err)
	}
	return slugs, nil
}
