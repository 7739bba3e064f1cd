package web

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"takehome/grader"
)

// Bounds of a CSV of invites.
const (
	maxInvitesPerCSV  = 500
	maxInviteCSVBytes = 1 << 20
)

// invitesView is the data of the invites page.
type invitesView struct {
	Invites  []grader.InviteSummary
	Versions []grader.ExerciseVersion // published, for the form
	Created  []createdInvite          // links shown once after creating
	Error    string
	Defaults grader.InviteDefaults
	Now      time.Time
}

// PageTitle names the page.
func (invitesView) PageTitle() string { return "Invites" }

// createdInvite is a new invite's link, shown once: only its hash is kept.
type createdInvite struct {
	Email string
	Link  string
}

// inviteForm is one invite to create.
type inviteForm struct {
	Email       string
	Days        int
	WindowHours int
	Attempts    int
}

// invitesPage lists the latest invites and the forms to create more.
func (s *Server) invitesPage(c *gin.Context, _ principal) error {
	return s.showInvites(c, http.StatusOK, invitesView{})
}

func (s *Server) showInvites(c *gin.Context, status int, v invitesView) error {
	invites, err := s.deps.Staff.ListInvites(c.Request.Context(), 200)
	if err != nil {
		return err
	}
	versions, err := s.deps.Staff.ListVersions(c.Request.Context())
	if err != nil {
		return err
	}
	for _, ver := range versions {
		if ver.Status == "published" {
			v.Versions = append(v.Versions, ver)
		}
	}
	if v.Defaults, err = s.deps.Staff.InviteDefaults(c.Request.Context()); err != nil {
		return err
	}
	v.Invites, v.Now = invites, s.now()
	s.page(c, status, "admin_invites", v)
	return nil
}

// createInvites creates one invite from the form's fields, or one per line
// of the CSV (pasted or uploaded: email[,days,window_hours,attempts]).
func (s *Server) createInvites(c *gin.Context, p principal) error {
	versionID, err := strconv.ParseInt(c.PostForm("version_id"), 10, 64)
	if err != nil {
		return s.showInvites(c, http.StatusBadRequest, invitesView{Error: "Pick an exercise version."})
	}
	ver, err := s.deps.Versions.FindVersion(c.Request.Context(), versionID)
	if err != nil {
		return err
	}
	if ver.Status != "published" {
		return s.showInvites(c, http.StatusBadRequest, invitesView{Error: fmt.Sprintf("%s v%d is %s: publish it first.", ver.Slug, ver.Number, ver.Status)})
	}
	def, err := s.deps.Staff.InviteDefaults(c.Request.Context())
	if err != nil {
		return err
	}
	forms, err := inviteForms(c, def)
	if err != nil {
		return s.showInvites(c, http.StatusBadRequest, invitesView{Error: grader.ErrorMessage(err)})
	}
	invs := make([]*grader.Invite, len(forms))
	formOf := make(map[*grader.Invite]inviteForm, len(forms))
	for i, f := range forms {
		invs[i] = &grader.Invite{ExerciseVersionID: ver.ID, Email: f.Email, ExpiresAt: s.now().Add(time.Duration(f.Days) * 24 * time.Hour),
			Window: time.Duration(f.WindowHours) * time.Hour, Attempts: f.Attempts}
		formOf[invs[i]] = f
	}
	audit := func(inv *grader.Invite) grader.AuditEvent {
		f := formOf[inv]
		detail, _ := json.Marshal(map[string]any{"email": inv.Email, "version_id": ver.ID, "days": f.Days,
			"window_hours": f.WindowHours, "attempts": f.Attempts}) // strings and numbers always encode
		return grader.AuditEvent{Actor: p.actor(), Action: "invite.create", Target: fmt.Sprintf("invite:%d", inv.ID), Detail: detail, At: s.now()}
	}
	tokens, err := s.deps.Staff.CreateInvites(c.Request.Context(), invs, audit)
	if err != nil {
		return err
	}
	created := make([]createdInvite, len(invs))
	for i, inv := range invs {
		created[i] = createdInvite{Email: inv.Email, Link: s.absURL(c, "/invite/"+tokens[i])}
	}
	return s.showInvites(c, http.StatusOK, invitesView{Created: created})
}

// inviteForms reads the invites to create: the CSV when given, else the
// single form.
func inviteForms(c *gin.Context, d grader.InviteDefaults) ([]inviteForm, error) {
	def := inviteForm{Days: d.Days, WindowHours: d.WindowHours, Attempts: d.Attempts}
	text := c.PostForm("csv")
	if fh, err := c.FormFile("csv_file"); err == nil {
		if fh.Size > maxInviteCSVBytes {
			return nil, grader.Errorf(grader.CodeInvalid, "the CSV file is larger than 1 MB")
		}
		f, err := fh.Open()
		if err != nil {
			return nil, fmt.Errorf("open csv: %w", err)
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, maxInviteCSVBytes))
		if err != nil {
			return nil, fmt.Errorf("read csv: %w", err)
		}
		text = string(b)
	}
	if strings.TrimSpace(text) != "" {
		return parseInviteCSV(text, def)
	}
	row := []string{c.PostForm("email"), c.PostForm("days"), c.PostForm("window_hours"), c.PostForm("attempts")}
	f, err := parseInviteRow(row, def)
	if err != nil {
		return nil, err
	}
	return []inviteForm{f}, nil
}

// parseInviteCSV reads email[,days,window_hours,attempts] lines; a first
// line starting with "email" is a header.
func parseInviteCSV(text string, def inviteForm) ([]inviteForm, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord, r.TrimLeadingSpace = -1, true
	var out []inviteForm
	for line := 1; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, grader.Errorf(grader.CodeInvalid, "CSV line %d: %v", line, err)
		}
		if line == 1 && strings.EqualFold(strings.TrimSpace(rec[0]), "email") {
			continue
		}
		f, err := parseInviteRow(rec, def)
		if err != nil {
			return nil, grader.Errorf(grader.CodeInvalid, "CSV line %d: %s", line, grader.ErrorMessage(err))
		}
		if out = append(out, f); len(out) > maxInvitesPerCSV {
			return nil, grader.Errorf(grader.CodeInvalid, "at most %d invites at once", maxInvitesPerCSV)
		}
	}
	if len(out) == 0 {
		return nil, grader.Errorf(grader.CodeInvalid, "the CSV has no invites")
	}
	return out, nil
}

// parseInviteRow checks one invite: an email, then optional numbers.
func parseInviteRow(rec []string, def inviteForm) (inviteForm, error) {
	f := def
	f.Email = strings.TrimSpace(rec[0])
	if !strings.Contains(f.Email, "@") || len(f.Email) > 320 || strings.ContainsAny(f.Email, " \t\r\n") {
		return f, grader.Errorf(grader.CodeInvalid, "%q is not an email address", f.Email)
	}
	fields := []struct {
		name    string
		dst     *int
		lo, max int
	}{{"days", &f.Days, 1, grader.MaxInviteDays}, {"window hours", &f.WindowHours, 0, grader.MaxInviteWindowHours}, {"attempts", &f.Attempts, 1, grader.MaxInviteAttempts}}
	for i, fd := range fields {
		if i+1 >= len(rec) || strings.TrimSpace(rec[i+1]) == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(rec[i+1]))
		if err != nil || n < fd.lo || n > fd.max {
			return f, grader.Errorf(grader.CodeInvalid, "%s must be a whole number from %d to %d", fd.name, fd.lo, fd.max)
		}
		*fd.dst = n
	}
	return f, nil
}

// revokeInvite stops an invite from being used.
func (s *Server) revokeInvite(c *gin.Context, p principal) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.deps.Staff.RevokeInvite(c.Request.Context(), id, s.now()); err != nil {
		return err
	}
	if err := s.record(c, p.actor(), "invite.revoke", fmt.Sprintf("invite:%d", id), nil); err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("Invite %d revoked.", id))
	c.Redirect(http.StatusSeeOther, "/admin/invites")
	return nil
}

// extendInvite moves an invite's expiry to days from now.
func (s *Server) extendInvite(c *gin.Context, p principal) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	days, err := strconv.Atoi(c.PostForm("days"))
	if err != nil || days < 1 || days > grader.MaxInviteDays {
		return grader.Errorf(grader.CodeInvalid, "days must be a whole number from 1 to %d", grader.MaxInviteDays)
	}
	expires := s.now().Add(time.Duration(days) * 24 * time.Hour)
	if err := s.deps.Staff.ExtendInvite(c.Request.Context(), id, expires); err != nil {
		return err
	}
	if err := s.record(c, p.actor(), "invite.extend", fmt.Sprintf("invite:%d", id), map[string]any{"days": days}); err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("Invite %d now expires %s.", id, formatTime(expires)))
	c.Redirect(http.StatusSeeOther, "/admin/invites")
	return nil
}
