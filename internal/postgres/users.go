package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"takehome/grader"

	"gorm.io/gorm"
)

type userRow struct {
	ID           int64
	Email        string
	Role         string
	PasswordHash string
	Disabled     bool
	CreatedAt    time.Time
}

func (userRow) TableName() string { return "users" }

func (r *userRow) user() *grader.User {
	return &grader.User{ID: r.ID, Email: r.Email, Role: grader.Role(r.Role), Disabled: r.Disabled, CreatedAt: utc(r.CreatedAt)}
}

type apiTokenRow struct {
	ID         int64
	UserID     int64
	TokenHash  []byte
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

func (apiTokenRow) TableName() string { return "api_tokens" }

// CreateUser adds a staff user. Emails are unique regardless of case.
func (s *Store) CreateUser(ctx context.Context, email string, role grader.Role, passwordHash string) (*grader.User, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return nil, grader.Errorf(grader.CodeInvalid, "email is required")
	}
	if role != grader.RoleAdmin && role != grader.RoleInterviewer {
		return nil, grader.Errorf(grader.CodeInvalid, "unknown role %q", role)
	}
	row := userRow{Email: email, Role: string(role), PasswordHash: passwordHash}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return nil, fmt.Errorf("create user: %w", dbError(err, "user "+email))
	}
	return row.user(), nil
}

// CreateAPIToken returns a new API token for the user. Only its SHA-256 is
// stored: the token cannot be shown again.
func (s *Store) CreateAPIToken(ctx context.Context, userID int64) (string, error) {
	token, err := newToken("tk_")
	if err != nil {
		return "", err
	}
	row := apiTokenRow{UserID: userID, TokenHash: tokenHash(token)}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return "", fmt.Errorf("create api token: %w", dbError(err, fmt.Sprintf("token of user %d", userID)))
	}
	return token, nil
}

// FindUserByAPIToken returns the token's user, or CodeUnauthorized when the
// token is unknown or the user disabled. It records when the token was last
// used, at most once a minute.
func (s *Store) FindUserByAPIToken(ctx context.Context, token string) (*grader.User, error) {
	db := s.db.WithContext(ctx)
	hash := tokenHash(token)
	var row userRow
	res := db.Joins("JOIN api_tokens t ON t.user_id = users.id").Where("t.token_hash = ?", hash).Limit(1).Find(&row)
	if res.Error != nil {
		return nil, fmt.Errorf("find user by api token: %w", res.Error)
	}
	if res.RowsAffected == 0 || row.Disabled {
		return nil, grader.Errorf(grader.CodeUnauthorized, "invalid API token")
	}
	err := db.Exec(`UPDATE api_tokens SET last_used_at = now()
		WHERE token_hash = ? AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, hash).Error
	if err != nil {
		return nil, fmt.Errorf("record api token use: %w", err)
	}
	return row.user(), nil
}

// FindUserByEmail returns the user with the email, in any case, and its
// password hash.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (*grader.User, string, error) {
	var row userRow
	err := s.db.WithContext(ctx).Where("lower(email) = lower(?)", strings.TrimSpace(email)).Take(&row).Error
	if err != nil {
		return nil, "", fmt.Errorf("find user by email: %w", dbError(err, "user"))
	}
	return row.user(), row.PasswordHash, nil
}

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
