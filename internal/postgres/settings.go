package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"takehome/grader"
)

const inviteDefaultsKey = "invite_defaults"

// InviteDefaults returns the admin's invite defaults, or the built-in ones.
func (s *Store) InviteDefaults(ctx context.Context) (grader.InviteDefaults, error) {
	d := grader.DefaultInviteDefaults
	var raw []string
	if err := s.db.WithContext(ctx).Raw("SELECT value::text FROM settings WHERE key = ?", inviteDefaultsKey).Scan(&raw).Error; err != nil {
		return d, fmt.Errorf("read invite defaults: %w", err)
	}
	if len(raw) == 0 {
		return d, nil
	}
	if err := json.Unmarshal([]byte(raw[0]), &d); err != nil {
		return d, fmt.Errorf("decode invite defaults: %w", err)
	}
	return d, nil
}

// SetInviteDefaults stores the invite defaults after checking them.
func (s *Store) SetInviteDefaults(ctx context.Context, d grader.InviteDefaults) error {
	if err := d.Check(); err != nil {
		return err
	}
	b, _ := json.Marshal(d) // three ints always encode
	err := s.db.WithContext(ctx).Exec(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, now())
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`, inviteDefaultsKey, b).Error
	if err != nil {
		return fmt.Errorf("set invite defaults: %w", err)
	}
	return nil
}
