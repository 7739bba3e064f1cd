package postgres

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"takehome/grader"
)

// ListUsers returns every staff user by email.
func (s *Store) ListUsers(ctx context.Context) ([]grader.User, error) {
	var rows []userRow
	if err := s.db.WithContext(ctx).Order("lower(email)").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	users := make([]grader.User, len(rows))
	for i := range rows {
		users[i] = *rows[i].user()
	}
	return users, nil
}

// FindUser returns the user with the id.
func (s *Store) FindUser(ctx context.Context, id int64) (*grader.User, error) {
	var row userRow
	if err := s.db.WithContext(ctx).Take(&row, id).Error; err != nil {
		return nil, fmt.Errorf("find user: %w", dbError(err, fmt.Sprintf("user %d", id)))
	}
	return row.user(), nil
}

// SetUserRole changes a user's role.
func (s *Store) SetUserRole(ctx context.Context, id int64, role grader.Role) error {
	if role != grader.RoleAdmin && role != grader.RoleInterviewer {
		return grader.Errorf(grader.CodeInvalid, "unknown role %q", role)
	}
	res := s.db.WithContext(ctx).Exec("UPDATE users SET role = ? WHERE id = ?", string(role), id)
	if err := notFoundIfNone(res, fmt.Sprintf("user %d", id)); err != nil {
		return fmt.Errorf("set user role: %w", err)
	}
	return nil
}

// SetUserDisabled disables or enables a user; disabling ends their sessions.
func (s *Store) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec("UPDATE users SET disabled = ? WHERE id = ?", disabled, id)
		if err := notFoundIfNone(res, fmt.Sprintf("user %d", id)); err != nil {
			return err
		}
		if !disabled {
			return nil
		}
		return tx.Exec("DELETE FROM sessions WHERE user_id = ?", id).Error
	})
	if err != nil {
		return fmt.Errorf("set user disabled: %w", err)
	}
	return nil
}

// SetPassword sets a user's password hash and ends their sessions.
func (s *Store) SetPassword(ctx context.Context, userID int64, passwordHash string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return setPassword(tx, userID, passwordHash)
	})
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return nil
}

func setPassword(tx *gorm.DB, userID int64, hash string) error {
	if hash == "" {
		return grader.Errorf(grader.CodeInvalid, "empty password hash")
	}
	res := tx.Exec("UPDATE users SET password_hash = ? WHERE id = ?", hash, userID)
	if err := notFoundIfNone(res, fmt.Sprintf("user %d", userID)); err != nil {
		return err
	}
	return tx.Exec("DELETE FROM sessions WHERE user_id = ?", userID).Error
}

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
