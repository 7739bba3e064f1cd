package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"takehome/grader"
)

type inviteRow struct {
	ID            int64
	TokenHash     []byte
	VersionID     int64
	Email         string
	ExpiresAt     time.Time
	WindowSeconds int64
	StartedAt     *time.Time
	Attempts      int
	RevokedAt     *time.Time
	CreatedAt     time.Time
	AttemptsUsed  int `gorm:"->"` // computed by inviteQuery
}

func (inviteRow) TableName() string { return "invites" }

func (r *inviteRow) invite() *grader.Invite {
	return &grader.Invite{
		ID: r.ID, ExerciseVersionID: r.VersionID, Email: r.Email, ExpiresAt: utc(r.ExpiresAt),
		Window: time.Duration(r.WindowSeconds) * time.Second, StartedAt: utcPtr(r.StartedAt),
		Attempts: r.Attempts, AttemptsUsed: r.AttemptsUsed, RevokedAt: utcPtr(r.RevokedAt), CreatedAt: utc(r.CreatedAt),
	}
}

// inviteQuery selects invites with the number of submissions made.
func inviteQuery(db *gorm.DB) *gorm.DB {
	return db.Model(&inviteRow{}).
		Select("invites.*, (SELECT count(*) FROM submissions s WHERE s.invite_id = invites.id) AS attempts_used")
}

// CreateInvite stores inv, fills its ID and CreatedAt and returns its token.
// Only the token's SHA-256 is stored. The version is locked from now on: its
// content can no longer change.
func (s *Store) CreateInvite(ctx context.Context, inv *grader.Invite) (string, error) {
	var token string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		token, err = insertInvite(tx, inv)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("create invite: %w", err)
	}
	return token, nil
}

// CreateInvites stores every invite, and the audit event audit makes of
// each once its ID is known, in one transaction: a batch (a CSV of
// candidates) is created whole or not at all. It returns the tokens in order.
func (s *Store) CreateInvites(ctx context.Context, invs []*grader.Invite, audit func(*grader.Invite) grader.AuditEvent) ([]string, error) {
	tokens := make([]string, len(invs))
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for i, inv := range invs {
			var err error
			if tokens[i], err = insertInvite(tx, inv); err != nil {
				return fmt.Errorf("invite %d (%s): %w", i+1, inv.Email, err)
			}
			if err := addAudit(tx, audit(inv)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("create invites: %w", err)
	}
	return tokens, nil
}

// insertInvite stores inv in tx, fills its ID and CreatedAt and returns
// its token.
func insertInvite(tx *gorm.DB, inv *grader.Invite) (string, error) {
	if err := validInvite(inv); err != nil {
		return "", err
	}
	token, err := newToken("inv_")
	if err != nil {
		return "", err
	}
	row := inviteRow{
		TokenHash: tokenHash(token), VersionID: inv.ExerciseVersionID, Email: strings.TrimSpace(inv.Email),
		ExpiresAt: inv.ExpiresAt, WindowSeconds: int64(inv.Window / time.Second), StartedAt: inv.StartedAt,
		Attempts: inv.Attempts, RevokedAt: inv.RevokedAt,
	}
	if err := lockVersion(tx, inv.ExerciseVersionID); err != nil {
		return "", err
	}
	if err := dbError(tx.Create(&row).Error, "invite"); err != nil {
		return "", err
	}
	inv.ID, inv.CreatedAt, inv.AttemptsUsed = row.ID, utc(row.CreatedAt), 0
	return token, nil
}

func validInvite(inv *grader.Invite) error {
	switch {
	case inv.ExpiresAt.IsZero():
		return grader.Errorf(grader.CodeInvalid, "an invite needs an expiry")
	case inv.Attempts < 1:
		return grader.Errorf(grader.CodeInvalid, "an invite needs at least one attempt")
	case inv.Window < 0:
		return grader.Errorf(grader.CodeInvalid, "an invite's window cannot be negative")
	}
	return nil
}

// lockVersion marks a version as referenced, which freezes its content, and
// refuses archived versions.
func lockVersion(tx *gorm.DB, id int64) error {
	var status string
	res := tx.Raw("UPDATE exercise_versions SET locked_at = coalesce(locked_at, now()) WHERE id = ? RETURNING status", id).Scan(&status)
	if err := notFoundIfNone(res, fmt.Sprintf("exercise version %d", id)); err != nil {
		return err
	}
	if status == "archived" {
		return grader.Errorf(grader.CodeInvalid, "exercise version %d is archived", id)
	}
	return nil
}

// FindInviteByToken returns the invite with the token, or CodeUnauthorized.
// Revoked and expired invites are returned: the caller decides.
func (s *Store) FindInviteByToken(ctx context.Context, token string) (*grader.Invite, error) {
	var row inviteRow
	res := inviteQuery(s.db.WithContext(ctx)).Where("token_hash = ?", tokenHash(token)).Limit(1).Find(&row)
	if res.Error != nil {
		return nil, fmt.Errorf("find invite by token: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, grader.Errorf(grader.CodeUnauthorized, "unknown invite")
	}
	return row.invite(), nil
}

// FindInvite returns the invite with the id.
func (s *Store) FindInvite(ctx context.Context, id int64) (*grader.Invite, error) {
	var row inviteRow
	if err := inviteQuery(s.db.WithContext(ctx)).Where("invites.id = ?", id).Take(&row).Error; err != nil {
		return nil, fmt.Errorf("find invite: %w", dbError(err, fmt.Sprintf("invite %d", id)))
	}
	return row.invite(), nil
}

// StartInvite starts the invite's personal window at now, unless it has
// started already, and returns the invite.
func (s *Store) StartInvite(ctx context.Context, id int64, now time.Time) (*grader.Invite, error) {
	err := s.db.WithContext(ctx).Exec("UPDATE invites SET started_at = ? WHERE id = ? AND started_at IS NULL", now, id).Error
	if err != nil {
		return nil, fmt.Errorf("start invite %d: %w", id, err)
	}
	return s.FindInvite(ctx, id)
}

// RevokeInvite makes the invite refuse further submissions from now on.
func (s *Store) RevokeInvite(ctx context.Context, id int64, now time.Time) error {
	res := s.db.WithContext(ctx).Exec("UPDATE invites SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?", now, id)
	if err := notFoundIfNone(res, fmt.Sprintf("invite %d", id)); err != nil {
		return fmt.Errorf("revoke invite: %w", err)
	}
	return nil
}

// inviteSummaryRow is flat: gorm's Raw scan does not fill embedded structs.
type inviteSummaryRow struct {
	ID            int64
	VersionID     int64
	Email         string
	ExpiresAt     time.Time
	WindowSeconds int64
	StartedAt     *time.Time
	Attempts      int
	RevokedAt     *time.Time
	CreatedAt     time.Time
	AttemptsUsed  int
	Slug          string
	Version       int
}

func (r *inviteSummaryRow) summary() grader.InviteSummary {
	inv := inviteRow{
		ID: r.ID, VersionID: r.VersionID, Email: r.Email, ExpiresAt: r.ExpiresAt, WindowSeconds: r.WindowSeconds,
		StartedAt: r.StartedAt, Attempts: r.Attempts, RevokedAt: r.RevokedAt, CreatedAt: r.CreatedAt, AttemptsUsed: r.AttemptsUsed,
	}
	return grader.InviteSummary{Invite: *inv.invite(), Slug: r.Slug, Version: r.Version}
}

// ListInvites returns the latest invites, newest first, with their exercise.
func (s *Store) ListInvites(ctx context.Context, limit int) ([]grader.InviteSummary, error) {
	var rows []inviteSummaryRow
	err := s.db.WithContext(ctx).Raw(`SELECT invites.id, invites.version_id, invites.email, invites.expires_at,
		invites.window_seconds, invites.started_at, invites.attempts, invites.revoked_at, invites.created_at, v.slug, v.number AS version,
		(SELECT count(*) FROM submissions s WHERE s.invite_id = invites.id) AS attempts_used
		FROM invites JOIN exercise_versions v ON v.id = invites.version_id
		ORDER BY invites.id DESC LIMIT ?`, listLimit(limit)).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list invites: %w", err)
	}
	out := make([]grader.InviteSummary, len(rows))
	for i := range rows {
		out[i] = rows[i].summary()
	}
	return out, nil
}

// ExtendInvite moves an invite's expiry.
func (s *Store) ExtendInvite(ctx context.Context, id int64, expires time.Time) error {
	res := s.db.WithContext(ctx).Exec("UPDATE invites SET expires_at = ? WHERE id = ? AND revoked_at IS NULL", expires, id)
	if err := notFoundIfNone(res, fmt.Sprintf("unrevoked invite %d", id)); err != nil {
		return fmt.Errorf("extend invite: %w", err)
	}
	return nil
}
