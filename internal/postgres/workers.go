package postgres

import (
	"context"
	"fmt"
	"time"
)

// Heartbeat records that the worker with the id is alive at now.
func (s *Store) Heartbeat(ctx context.Context, id, host string, now time.Time) error {
	err := s.db.WithContext(ctx).Exec(`INSERT INTO workers (id, host, started_at, heartbeat_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET host = excluded.host, heartbeat_at = excluded.heartbeat_at`, id, host, now, now).Error
	if err != nil {
		return fmt.Errorf("heartbeat of worker %s: %w", id, err)
	}
	return nil
}

// AliveWorkers returns the ids of the workers with a heartbeat at or after
// since, each mapped to true. The map is never nil.
func (s *Store) AliveWorkers(ctx context.Context, since time.Time) (map[string]bool, error) {
	var ids []string
	if err := s.db.WithContext(ctx).Raw("SELECT id FROM workers WHERE heartbeat_at >= ?", since).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("alive workers: %w", err)
	}
	alive := make(map[string]bool, len(ids))
	for _, id := range ids {
		alive[id] = true
	}
	return alive, nil
}

// DeleteDeadWorkers deletes the workers whose last heartbeat is older than
// lastSeenBefore and returns how many. The reaper needs only live workers:
// objects of a deleted one are judged dead, as they were.
func (s *Store) DeleteDeadWorkers(ctx context.Context, lastSeenBefore time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Exec("DELETE FROM workers WHERE heartbeat_at < ?", lastSeenBefore)
	if res.Error != nil {
		return 0, fmt.Errorf("delete dead workers: %w", res.Error)
	}
	return res.RowsAffected, nil
}
