package postgres

import (
	"context"
	"fmt"
	"takehome/grader"
	"time"

	"gorm.io/gorm"
)

type resetRow struct {
	TokenHash []byte `gorm:"primaryKey"`
	UserID    int64
	CreatedBy *int64
	ExpiresAt time.Time
	UsedAt    *time.Time
}

func (resetRow) TableName() string { return "password_resets" }

// CreatePasswordReset returns a one-time link token that lets the user set
// a new password until expires; only its SHA-256 is stored. Earlier unused
// links of the user stop working.
func (s *Store) CreatePasswordReset(ctx context.Context, userID, createdBy int64, expires time.Time) (string, error) {
	token, err := newToken("pr_")
	if err != nil {
		return "", err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("DELETE FROM password_resets WHERE user_id = ? AND used_at IS NULL", userID).Error; err != nil {
			return err
		}
		return tx.Create(&resetRow{TokenHash: tokenHash(token), UserID: userID, CreatedBy: &createdBy, ExpiresAt: expires}).Error
	})
	if err != nil {
		return "", fmt.Errorf("create password reset: %w", dbError(err, fmt.Sprintf("user %d", userID)))
	}
	return token, nil
}

// FindPasswordReset returns the user of a live, unused reset link, or
// CodeNotFound.
func (s *Store) FindPasswordReset(ctx context.Context, token string, now time.Time) (*grader.User, error) {
	var row userRow
	res := s.db.WithContext(ctx).Raw(`SELECT u.* FROM password_resets r JOIN users u ON u.id = r.user_id
		WHERE r.token_hash = ? AND r.used_at IS NULL AND r.expires_at > ? AND NOT u.disabled`, tokenHash(token), now).Scan(&row)
	if res.Error != nil {
		return nil, fmt.Errorf("find password reset: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, grader.Errorf(grader.CodeNotFound, "this password reset link is not valid: it may have expired or been used; ask an admin for a new one")
	}
	return row.user(), nil
}

// UsePasswordReset sets the password of the link's user, spends the link
// and ends the user's sessions, in one transaction.
func (s *Store) UsePasswordReset(ctx context.Context, token, passwordHash string, now time.Time) (*grader.User, error) {
	var u *grader.User
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if u, err = (&Store{db: tx}).FindPasswordReset(ctx, token, now); err != nil {
			return err
		}
		res := tx.Exec("UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL", now, tokenHash(token))
		if err := notFoundIfNone(res, "password reset link"); err != nil {
			return err
		}
		return setPassword(tx, u.ID, passwordHash)
	})
	if err != nil {
		return nil, fmt.Errorf("use password reset: %w", err)
	}
	return u, nil
}

// DeleteExpiredPasswordResets deletes the reset links that expired before
// now, used or not, and returns how many.
func (s *Store) DeleteExpiredPasswordResets(ctx context.Context, now time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Exec("DELETE FROM password_resets WHERE expires_at <= ?", now)
	if res.Error != nil {
		return 0, fmt.Errorf("delete expired password resets: %w", res.Error)
	}
	return res.RowsAffected, nil
}
