package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"takehome/exercises"
	"takehome/grader"
)

// Kinds of version file, for VersionFiles.
const (
	FileStarter = "starter" // the starter kit handed to the candidate
	FileAsset   = "asset"   // public files phases may receive as inputs
)

type versionRow struct {
	ID        int64
	Slug      string
	Number    int
	Seed      int64 // the bits of the uint64 seed
	Spec      []byte
	Digest    []byte
	Status    string
	LockedAt  *time.Time
	CreatedAt time.Time
}

func (versionRow) TableName() string { return "exercise_versions" }

func (r *versionRow) version() (*grader.ExerciseVersion, error) {
	var spec exercises.Spec
	if err := json.Unmarshal(r.Spec, &spec); err != nil {
		return nil, fmt.Errorf("decode spec of exercise version %d: %w", r.ID, err)
	}
	return &grader.ExerciseVersion{
		ID: r.ID, Slug: r.Slug, Number: r.Number, Seed: uint64(r.Seed), Spec: spec,
		Status: r.Status, CreatedAt: utc(r.CreatedAt),
	}, nil
}

func versions(rows []versionRow) ([]grader.ExerciseVersion, error) {
	out := make([]grader.ExerciseVersion, len(rows))
	for i := range rows {
		v, err := rows[i].version()
		if err != nil {
			return nil, err
		}
		out[i] = *v
	}
	return out, nil
}

// CreateVersion stores v as the next published version of its exercise.
func (s *Store) CreateVersion(ctx context.Context, v *exercises.Version) (*grader.ExerciseVersion, error) {
	enc, err := encodeVersion(v)
	if err != nil {
		return nil, err
	}
	var out *grader.ExerciseVersion
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockSlug(tx, v.Spec.Slug); err != nil {
			return err
		}
		out, err = insertVersion(tx, v, enc)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("create version of %s: %w", v.Spec.Slug, err)
	}
	return out, nil
}

// EnsureVersion returns the version of v's exercise with the same content
// (spec, seed, files and eval sets), creating it when there is none: seeding
// twice stores one version, and a changed generator stores a new one.
func (s *Store) EnsureVersion(ctx context.Context, v *exercises.Version) (*grader.ExerciseVersion, bool, error) {
	enc, err := encodeVersion(v)
	if err != nil {
		return nil, false, err
	}
	var out *grader.ExerciseVersion
	created := false
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockSlug(tx, v.Spec.Slug); err != nil {
			return err
		}
		var row versionRow
		res := tx.Where("slug = ? AND digest = ?", v.Spec.Slug, enc.digest).Order("number DESC").Limit(1).Find(&row)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 1 {
			out, err = row.version()
			return err
		}
		created = true
		out, err = insertVersion(tx, v, enc)
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("ensure version of %s: %w", v.Spec.Slug, err)
	}
	return out, created, nil
}

type encodedVersion struct {
	spec   []byte
	digest []byte
}

func encodeVersion(v *exercises.Version) (encodedVersion, error) {
	if v == nil || v.Spec.Slug == "" {
		return encodedVersion{}, grader.Errorf(grader.CodeInvalid, "an exercise version needs a slug")
	}
	spec, err := json.Marshal(v.Spec)
	if err != nil {
		return encodedVersion{}, fmt.Errorf("encode spec of %s: %w", v.Spec.Slug, err)
	}
	h := sha256.New()
	if err := json.NewEncoder(h).Encode(v); err != nil {
		return encodedVersion{}, fmt.Errorf("digest version of %s: %w", v.Spec.Slug, err)
	}
	return encodedVersion{spec: spec, digest: h.Sum(nil)}, nil
}

// lockSlug serializes version creation per exercise until the transaction
// ends, so numbers are allocated without gaps or races.
func lockSlug(tx *gorm.DB, slug string) error {
	return tx.Exec("SELECT pg_advisory_xact_lock(hashtext(?))", "exercise:"+slug).Error
}

func insertVersion(tx *gorm.DB, v *exercises.Version, enc encodedVersion) (*grader.ExerciseVersion, error) {
	var number int
	if err := tx.Raw("SELECT coalesce(max(number), 0) + 1 FROM exercise_versions WHERE slug = ?", v.Spec.Slug).Scan(&number).Error; err != nil {
		return nil, err
	}
	row := versionRow{Slug: v.Spec.Slug, Number: number, Seed: int64(v.Seed), Spec: enc.spec, Digest: enc.digest, Status: "published"}
	if err := tx.Create(&row).Error; err != nil {
		return nil, dbError(err, fmt.Sprintf("version %d of %s", number, v.Spec.Slug))
	}
	if err := insertFiles(tx, row.ID, FileStarter, v.StarterKit); err != nil {
		return nil, err
	}
	if err := insertFiles(tx, row.ID, FileAsset, v.Assets); err != nil {
		return nil, err
	}
	for _, set := range v.Sets {
		if err := insertEvalSet(tx, row.ID, set); err != nil {
			return nil, err
		}
	}
	return row.version()
}

// FindVersion returns the exercise version with the id.
func (s *Store) FindVersion(ctx context.Context, id int64) (*grader.ExerciseVersion, error) {
	var row versionRow
	if err := s.db.WithContext(ctx).Take(&row, id).Error; err != nil {
		return nil, fmt.Errorf("find version: %w", dbError(err, fmt.Sprintf("exercise version %d", id)))
	}
	return s.finishVersion(ctx, &row)
}

// finishVersion decodes a row and applies an admin's model settings.
func (s *Store) finishVersion(ctx context.Context, row *versionRow) (*grader.ExerciseVersion, error) {
	v, err := row.version()
	if err != nil {
		return nil, err
	}
	return v, s.withModelSettings(ctx, []*grader.ExerciseVersion{v})
}

// LatestVersion returns the published version of the exercise with the
// highest number.
func (s *Store) LatestVersion(ctx context.Context, slug string) (*grader.ExerciseVersion, error) {
	var row versionRow
	err := s.db.WithContext(ctx).Where("slug = ? AND status = ?", slug, "published").Order("number DESC").Take(&row).Error
	if err != nil {
		return nil, fmt.Errorf("latest version: %w", dbError(err, fmt.Sprintf("published version of exercise %q", slug)))
	}
	return s.finishVersion(ctx, &row)
}

// ListVersions returns every exercise version by slug, newest first.
func (s *Store) ListVersions(ctx context.Context) ([]grader.ExerciseVersion, error) {
	var rows []versionRow
	if err := s.db.WithContext(ctx).Order("slug, number DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list versions: %w", err)
	}
	vs, err := versions(rows)
	if err != nil {
		return nil, err
	}
	ptrs := make([]*grader.ExerciseVersion, len(vs))
	for i := range vs {
		ptrs[i] = &vs[i]
	}
	return vs, s.withModelSettings(ctx, ptrs)
}

// CreateDraftVersion stores v as the next version of its exercise, in
// draft: invisible to invites until an admin publishes it.
func (s *Store) CreateDraftVersion(ctx context.Context, v *exercises.Version) (*grader.ExerciseVersion, error) {
	var out *grader.ExerciseVersion
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if out, err = (&Store{db: tx, enq: s.enq}).CreateVersion(ctx, v); err != nil {
			return err
		}
		out.Status = "draft"
		return tx.Exec("UPDATE exercise_versions SET status = 'draft' WHERE id = ?", out.ID).Error
	})
	if err != nil {
		return nil, fmt.Errorf("create draft version: %w", err)
	}
	return out, nil
}

// SetVersionStatus publishes, archives or drafts a version. A version that
// has invites cannot go back to draft.
func (s *Store) SetVersionStatus(ctx context.Context, id int64, status string) error {
	switch status {
	case "draft", "published", "archived":
	default:
		return grader.Errorf(grader.CodeInvalid, "unknown version status %q", status)
	}
	cond := "id = ?"
	if status == "draft" {
		cond += " AND locked_at IS NULL"
	}
	res := s.db.WithContext(ctx).Exec("UPDATE exercise_versions SET status = ? WHERE "+cond, status, id)
	if err := notFoundIfNone(res, fmt.Sprintf("unlocked exercise version %d", id)); err != nil {
		return fmt.Errorf("set version status: %w", err)
	}
	return nil
}
