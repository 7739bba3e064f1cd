package postgres

import (
	"context"
	"fmt"
	"time"

	"takehome/grader"
)

// Session lifetimes: a session ends after SessionIdle without use, and at
// the latest SessionMax after sign-in.
const (
	SessionIdle = 12 * time.Hour
	SessionMax  = 7 * 24 * time.Hour
	// sessionTouch is how stale last_seen_at may get: most requests then
	// only read.
	sessionTouch = time.Minute
)

type sessionRow struct {
	TokenHash  []byte `gorm:"primaryKey"`
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	IP         string `gorm:"column:ip"`
	UserAgent  string
}

func (sessionRow) TableName() string { return "sessions" }

// CreateSession starts a session for the user and returns its token; only
// the token's SHA-256 is stored.
func (s *Store) CreateSession(ctx context.Context, userID int64, now time.Time, ip, userAgent string) (string, error) {
	token, err := newToken("")
	if err != nil {
		return "", err
	}
	row := sessionRow{
		TokenHash: tokenHash(token), UserID: userID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(SessionIdle), IP: pgText(ip), UserAgent: pgText(truncate(userAgent, 300)),
	}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return "", fmt.Errorf("create session: %w", dbError(err, fmt.Sprintf("session of user %d", userID)))
	}
	return token, nil
}

// FindSession returns the user of a live session and slides its expiry,
// at most once a minute. An unknown or expired session, or one of a
// disabled user, is CodeUnauthorized.
func (s *Store) FindSession(ctx context.Context, token string, now time.Time) (*grader.User, error) {
	db := s.db.WithContext(ctx)
	var rows []struct { // flat: gorm's Raw scan does not fill embedded structs
		ID          int64
		Email       string
		Role        string
		Disabled    bool
		CreatedAt   time.Time
		SCreatedAt  time.Time
		SLastSeenAt time.Time
	}
	err := db.Raw(`SELECT u.id, u.email, u.role, u.disabled, u.created_at, s.created_at AS s_created_at, s.last_seen_at AS s_last_seen_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?`,
		tokenHash(token), now).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	if len(rows) == 0 || rows[0].Disabled {
		return nil, grader.Errorf(grader.CodeUnauthorized, "session expired")
	}
	sess := rows[0]
	user := userRow{ID: sess.ID, Email: sess.Email, Role: sess.Role, Disabled: sess.Disabled, CreatedAt: sess.CreatedAt}
	if now.Sub(sess.SLastSeenAt) > sessionTouch {
		expires := now.Add(SessionIdle)
		if limit := sess.SCreatedAt.Add(SessionMax); expires.After(limit) {
			expires = limit
		}
		err := db.Exec("UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?", now, expires, tokenHash(token)).Error
		if err != nil {
			return nil, fmt.Errorf("touch session: %w", err)
		}
	}
	return user.user(), nil
}

// DeleteSession ends a session; an unknown token is not an error.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	if err := s.db.WithContext(ctx).Exec("DELETE FROM sessions WHERE token_hash = ?", tokenHash(token)).Error; err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions deletes the sessions that expired before now and
// returns how many.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Exec("DELETE FROM sessions WHERE expires_at <= ?", now)
	if res.Error != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", res.Error)
	}
	return res.RowsAffected, nil
}
