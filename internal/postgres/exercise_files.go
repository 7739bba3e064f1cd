package postgres

import (
	"context"
	"fmt"
	"takehome/exercises"
	"takehome/grader"

	"gorm.io/gorm"
)

type fileRow struct {
	ID        int64
	VersionID int64
	Kind      string
	Name      string
	Data      []byte
}

func (fileRow) TableName() string { return "exercise_files" }

func insertFiles(tx *gorm.DB, versionID int64, kind string, files []exercises.File) error {
	if len(files) == 0 {
		return nil
	}
	rows := make([]fileRow, len(files))
	for i, f := range files {
		rows[i] = fileRow{VersionID: versionID, Kind: kind, Name: f.Name, Data: f.Data}
		if rows[i].Data == nil {
			rows[i].Data = []byte{}
		}
	}
	if err := tx.CreateInBatches(rows, 100).Error; err != nil {
		return dbError(err, fmt.Sprintf("a %s file of exercise version %d", kind, versionID))
	}
	return nil
}

// VersionFiles returns the version's files of a kind (FileStarter or
// FileAsset) in the order they were stored.
func (s *Store) VersionFiles(ctx context.Context, versionID int64, kind string) ([]exercises.File, error) {
	if kind != FileStarter && kind != FileAsset {
		return nil, grader.Errorf(grader.CodeInvalid, "unknown file kind %q", kind)
	}
	db := s.db.WithContext(ctx)
	var rows []fileRow
	if err := db.Where("version_id = ? AND kind = ?", versionID, kind).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("version files: %w", err)
	}
	if len(rows) == 0 { // no files, or no version?
		if err := db.Select("id").Take(&versionRow{}, versionID).Error; err != nil {
			return nil, fmt.Errorf("version files: %w", dbError(err, fmt.Sprintf("exercise version %d", versionID)))
		}
	}
	files := make([]exercises.File, len(rows))
	for i, r := range rows {
		files[i] = exercises.File{Name: r.Name, Data: r.Data}
	}
	return files, nil
}
