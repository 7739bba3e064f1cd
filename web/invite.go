package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"takehome/exercises"
	"takehome/grader"
	"takehome/internal/archive"
)

// inviteView is what a candidate sees of their invite and its exercise.
type inviteView struct {
	Title          string         `json:"title"`
	Slug           string         `json:"slug"`
	Version        int            `json:"version"`
	Kind           exercises.Kind `json:"kind"`
	Brief          string         `json:"brief"`
	Phases         []phaseView    `json:"phases"`
	ExpiresAt      time.Time      `json:"expires_at"`
	WindowSeconds  int64          `json:"window_seconds"`
	StartedAt      *time.Time     `json:"started_at"`
	Deadline       time.Time      `json:"deadline"`
	Attempts       int            `json:"attempts"`
	AttemptsUsed   int            `json:"attempts_used"`
	AttemptsLeft   int            `json:"attempts_left"`
	Revoked        bool           `json:"revoked"`
	StarterKitURL  string         `json:"starter_kit_url"`
	SubmissionsURL string         `json:"submissions_url"`
}

// phaseView is a phase as the candidate must implement it.
type phaseView struct {
	Name    string   `json:"name"`
	Inputs  []string `json:"inputs"`
	Outputs []string `json:"outputs"`
}

func (s *Server) newInviteView(inv *grader.Invite, v *grader.ExerciseVersion) inviteView {
	phases := make([]phaseView, len(v.Spec.Phases))
	for i, p := range v.Spec.Phases {
		phases[i] = phaseView{Name: p.Name, Inputs: nonNil(p.Inputs), Outputs: nonNil(p.Outputs)}
	}
	return inviteView{
		Title: v.Spec.Title, Slug: v.Slug, Version: v.Number, Kind: v.Spec.Kind, Brief: v.Spec.Brief,
		Phases:         phases,
		ExpiresAt:      inv.ExpiresAt,
		WindowSeconds:  int64(inv.Window / time.Second),
		StartedAt:      inv.StartedAt,
		Deadline:       inv.Deadline(),
		Attempts:       inv.Attempts,
		AttemptsUsed:   inv.AttemptsUsed,
		AttemptsLeft:   max(inv.Attempts-inv.AttemptsUsed, 0),
		Revoked:        inv.RevokedAt != nil,
		StarterKitURL:  s.link("/api/v1/invite/starter-kit"),
		SubmissionsURL: s.link("/api/v1/submissions"),
	}
}

// getInvite shows the candidate their exercise and where they stand.
func (s *Server) getInvite(c *gin.Context, p principal) error {
	return s.renderInvite(c, p.invite)
}

// startInvite starts the candidate's personal window; starting again changes
// nothing.
func (s *Server) startInvite(c *gin.Context, p principal) error {
	inv, err := s.start(c, p.invite)
	if err != nil {
		return err
	}
	return s.renderInvite(c, inv)
}

// start starts an open invite's window, once; it returns the invite as
// it is now.
func (s *Server) start(c *gin.Context, inv *grader.Invite) (*grader.Invite, error) {
	if err := checkOpen(inv, s.now()); err != nil {
		return nil, err
	}
	if inv.StartedAt != nil {
		return inv, nil
	}
	started, err := s.deps.Invites.StartInvite(c.Request.Context(), inv.ID, s.now())
	if err != nil {
		return nil, fmt.Errorf("start invite %d: %w", inv.ID, err)
	}
	return started, nil
}

func (s *Server) renderInvite(c *gin.Context, inv *grader.Invite) error {
	v, err := s.deps.Versions.FindVersion(c.Request.Context(), inv.ExerciseVersionID)
	if err != nil {
		return fmt.Errorf("find version %d: %w", inv.ExerciseVersionID, err)
	}
	c.JSON(http.StatusOK, s.newInviteView(inv, v))
	return nil
}

// starterKit sends the exercise's starter kit as a zip.
func (s *Server) starterKit(c *gin.Context, p principal) error {
	if p.invite.RevokedAt != nil {
		return errRevoked
	}
	return s.sendStarterKit(c, p.invite)
}

// sendStarterKit sends the starter kit of the invite's exercise version.
func (s *Server) sendStarterKit(c *gin.Context, inv *grader.Invite) error {
	v, err := s.deps.Versions.FindVersion(c.Request.Context(), inv.ExerciseVersionID)
	if err != nil {
		return fmt.Errorf("find version %d: %w", inv.ExerciseVersionID, err)
	}
	files, err := s.deps.Versions.VersionFiles(c.Request.Context(), v.ID, "starter")
	if err != nil {
		return fmt.Errorf("starter files of version %d: %w", v.ID, err)
	}
	data, err := archive.Zip(files)
	if err != nil {
		return fmt.Errorf("zip starter kit of version %d: %w", v.ID, err)
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-starter.zip"`, v.Slug))
	c.Data(http.StatusOK, "application/zip", data)
	return nil
}

var errRevoked = grader.Errorf(grader.CodeForbidden, "this invite has been revoked")

// checkOpen refuses invites that are revoked or past their deadline.
func checkOpen(inv *grader.Invite, now time.Time) error {
	if inv.RevokedAt != nil {
		return errRevoked
	}
	deadline := inv.Deadline()
	if !now.Before(deadline) {
		if deadline.Equal(inv.ExpiresAt) {
			return grader.Errorf(grader.CodeForbidden, "this invite expired at %s", deadline.UTC().Format(time.RFC3339))
		}
		return grader.Errorf(grader.CodeForbidden, "your time window ended at %s", deadline.UTC().Format(time.RFC3339))
	}
	return nil
}

// nonNil makes an empty list render as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
