package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// RecordLogin remembers a sign-in attempt (PruneLoginAttempts forgets old ones).
func (s *Store) RecordLogin(ctx context.Context, email, ip string, ok bool, at time.Time) error {
	err := s.db.WithContext(ctx).Exec("INSERT INTO login_attempts (email, ip, ok, at) VALUES (?, ?, ?, ?)",
		pgText(strings.ToLower(strings.TrimSpace(truncate(email, 320)))), pgText(ip), ok, at).Error
	if err != nil {
		return fmt.Errorf("record login: %w", err)
	}
	return nil
}

// FailedLogins counts failed sign-ins since since: for the email, since the
// later of since and its last successful sign-in; from the ip, all of them
// (an attacker's own account must not reset the ip's count).
func (s *Store) FailedLogins(ctx context.Context, email, ip string, since time.Time) (byEmail, byIP int, err error) {
	email = strings.ToLower(strings.TrimSpace(email))
	db := s.db.WithContext(ctx)
	err = db.Raw(`SELECT count(*) FROM login_attempts a WHERE a.email = ? AND NOT a.ok AND a.at > greatest(?::timestamptz,
		(SELECT max(at) FROM login_attempts b WHERE b.email = a.email AND b.ok))`, email, since).Scan(&byEmail).Error
	if err == nil {
		err = db.Raw("SELECT count(*) FROM login_attempts WHERE ip = ? AND NOT ok AND at > ?", ip, since).Scan(&byIP).Error
	}
	if err != nil {
		return 0, 0, fmt.Errorf("count failed logins: %w", err)
	}
	return byEmail, byIP, nil
}

// PruneLoginAttempts deletes sign-in attempts older than before and returns
// how many. The lockout looks back minutes, so a retention of days loses
// nothing it needs.
func (s *Store) PruneLoginAttempts(ctx context.Context, before time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Exec("DELETE FROM login_attempts WHERE at < ?", before)
	if res.Error != nil {
		return 0, fmt.Errorf("prune login attempts: %w", res.Error)
	}
	return res.RowsAffected, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
