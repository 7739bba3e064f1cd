package postgres

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// MigrateDownTo rolls our schema back to version, for tests of a stale
// schema.
func MigrateDownTo(ctx context.Context, db *gorm.DB, version int64) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	p, err := newGoose(sqlDB)
	if err != nil {
		return err
	}
	if _, err := p.DownTo(ctx, version); err != nil {
		return fmt.Errorf("migrate down to %d: %w", version, err)
	}
	return nil
}

// LatestMigration is the version of the newest embedded migration.
func LatestMigration() (int64, error) {
	entries, err := migrations.ReadDir("migrations")
	if err != nil {
		return 0, err
	}
	return int64(len(entries)), nil
}

// Groups is how many statements the batcher has written.
func (b *AuditBatcher) Groups() int64 { return b.groups.Load() }
