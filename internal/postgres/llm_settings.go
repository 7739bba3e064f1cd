package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"takehome/exercises"
	"takehome/grader"
)

type settingsRow struct {
	ExerciseVersionID int64 `gorm:"primaryKey"`
	Access            []byte
	UpdatedAt         time.Time
	UpdatedBy         string
}

func (settingsRow) TableName() string { return "llm_version_settings" }

// SetModelAccess stores an admin's change to a version's model access. The
// models must be the spec's (same names and kinds, in order): prices,
// caps, the provider, budgets and the hidden-data rule may change.
func (s *Store) SetModelAccess(ctx context.Context, versionID int64, a exercises.ModelAccess, by string, at time.Time) error {
	v, err := s.FindVersion(ctx, versionID)
	if err != nil {
		return err
	}
	if v.Spec.Models == nil {
		return grader.Errorf(grader.CodeInvalid, "%s v%d gives no phase model access", v.Slug, v.Number)
	}
	if err := sameModels(v.Spec.Models.Models, a.Models); err != nil {
		return err
	}
	if err := a.Check(v.Spec.PhaseNames()); err != nil {
		return grader.Errorf(grader.CodeInvalid, "%s", err.Error())
	}
	data, err := json.Marshal(a)
	if err != nil {
		return err
	}
	row := settingsRow{ExerciseVersionID: versionID, Access: data, UpdatedAt: at, UpdatedBy: pgText(by)}
	err = s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "exercise_version_id"}}, DoUpdates: clause.AssignmentColumns([]string{"access", "updated_at", "updated_by"}),
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("set model access of version %d: %w", versionID, err)
	}
	return nil
}

func sameModels(spec, edited []exercises.Model) error {
	if len(spec) != len(edited) {
		return grader.Errorf(grader.CodeInvalid, "the version has %d models; prices can change, the list cannot", len(spec))
	}
	for i := range spec {
		if spec[i].Name != edited[i].Name || spec[i].Kind != edited[i].Kind {
			return grader.Errorf(grader.CodeInvalid, "model %d is %s (%s) in the version's spec", i+1, spec[i].Name, spec[i].Kind)
		}
	}
	return nil
}

// withModelSettings replaces the model access of the versions an admin
// changed with the change, and says who made it.
func (s *Store) withModelSettings(ctx context.Context, vs []*grader.ExerciseVersion) error {
	ids := make([]int64, 0, len(vs))
	for _, v := range vs {
		if v.Spec.Models != nil {
			ids = append(ids, v.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var rows []settingsRow
	if err := s.db.WithContext(ctx).Where("exercise_version_id IN ?", ids).Find(&rows).Error; err != nil {
		return fmt.Errorf("model settings: %w", err)
	}
	byID := map[int64]settingsRow{}
	for _, r := range rows {
		byID[r.ExerciseVersionID] = r
	}
	for _, v := range vs {
		r, ok := byID[v.ID]
		if !ok {
			continue
		}
		var a exercises.ModelAccess
		if err := json.Unmarshal(r.Access, &a); err != nil {
			return fmt.Errorf("model settings of version %d: %w", v.ID, err)
		}
		v.Spec.Models, v.ModelsEditedBy, v.ModelsEditedAt = &a, r.UpdatedBy, utc(r.UpdatedAt)
	}
	return nil
}
