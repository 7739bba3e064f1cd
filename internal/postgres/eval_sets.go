package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"

	"takehome/exercises"
)

type evalSetRow struct {
	ID        int64
	VersionID int64
	Name      string
	Meta      []byte
}

func (evalSetRow) TableName() string { return "eval_sets" }

type itemRow struct {
	Key   string
	Input []byte
	Label []byte
	Meta  []byte
}

// insertEvalSet stores a set and its items. The items go in as one jsonb
// array unpacked by the server: one statement for tens of thousands of rows.
func insertEvalSet(tx *gorm.DB, versionID int64, set exercises.EvalSet) error {
	row := evalSetRow{VersionID: versionID, Name: set.Name}
	if len(set.Meta) > 0 {
		row.Meta = jsonb(set.Meta)
	}
	if err := tx.Create(&row).Error; err != nil {
		return dbError(err, fmt.Sprintf("eval set %q", set.Name))
	}
	if len(set.Items) == 0 {
		return nil
	}
	items, err := json.Marshal(set.Items)
	if err != nil {
		return fmt.Errorf("encode eval set %q: %w", set.Name, err)
	}
	err = tx.Exec(`INSERT INTO eval_items (set_id, key, input, label, meta)
		SELECT ?, e->>'key', nullif(e->'input', 'null'), nullif(e->'label', 'null'), nullif(e->'meta', 'null')
		FROM jsonb_array_elements(?::jsonb) AS e`, row.ID, string(jsonb(items))).Error // a string: gorm expands a []byte after "("
	if err != nil {
		return dbError(err, fmt.Sprintf("an item of eval set %q", set.Name))
	}
	return nil
}

// EvalSet returns the version's eval set with the name, items ordered by key
// (bytewise). JSON values come back as jsonb prints them: the same values,
// with object keys reordered and a space after colons and commas.
func (s *Store) EvalSet(ctx context.Context, versionID int64, name string) (exercises.EvalSet, error) {
	db := s.db.WithContext(ctx)
	var set evalSetRow
	if err := db.Where("version_id = ? AND name = ?", versionID, name).Take(&set).Error; err != nil {
		return exercises.EvalSet{}, fmt.Errorf("eval set: %w", dbError(err, fmt.Sprintf("eval set %q of exercise version %d", name, versionID)))
	}
	var rows []itemRow
	if err := db.Table("eval_items").Select("key, input, label, meta").Where("set_id = ?", set.ID).Order("key").Find(&rows).Error; err != nil {
		return exercises.EvalSet{}, fmt.Errorf("eval set %q: %w", name, err)
	}
	items := make([]exercises.Item, len(rows))
	for i, r := range rows {
		items[i] = exercises.Item{Key: r.Key, Input: r.Input, Label: r.Label, Meta: r.Meta}
	}
	return exercises.EvalSet{Name: set.Name, Items: items, Meta: set.Meta}, nil
}
