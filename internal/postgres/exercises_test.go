package postgres_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgconn"

	"takehome/exercises"
	"takehome/grader"
	"takehome/internal/pgtest"
	"takehome/internal/postgres"
)

func TestCreateVersionRoundTrip(t *testing.T) {
	s, _ := newStore(t)
	in := testVersion("churn", 1<<63+5) // a seed past int64
	v, err := s.CreateVersion(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	want := &grader.ExerciseVersion{ID: v.ID, Slug: "churn", Number: 1, Seed: in.Seed, Spec: in.Spec, Status: "published", CreatedAt: v.CreatedAt}
	if diff := cmp.Diff(want, v); diff != "" {
		t.Errorf("created (-want +got):\n%s", diff)
	}
	got, err := s.FindVersion(t.Context(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(v, got); diff != "" {
		t.Errorf("found (-want +got):\n%s", diff)
	}
	for kind, files := range map[string][]exercises.File{postgres.FileStarter: in.StarterKit, postgres.FileAsset: in.Assets} {
		got, err := s.VersionFiles(t.Context(), v.ID, kind)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(files, got); diff != "" {
			t.Errorf("%s files (-want +got):\n%s", kind, diff)
		}
	}
	for _, set := range in.Sets {
		got, err := s.EvalSet(t.Context(), v.ID, set.Name)
		if err != nil {
			t.Fatal(err)
		}
		want := exercises.EvalSet{Name: set.Name, Items: append([]exercises.Item(nil), set.Items...), Meta: set.Meta}
		sort.Slice(want.Items, func(i, j int) bool { return want.Items[i].Key < want.Items[j].Key })
		if diff := cmp.Diff(want, got, jsonEqual); diff != "" {
			t.Errorf("eval set %s (-want +got):\n%s", set.Name, diff)
		}
	}
}

func TestVersionNumbersAndLookups(t *testing.T) {
	s, _ := newStore(t)
	a1 := mustVersion(t, s, "a")
	a2 := mustVersion(t, s, "a")
	b1 := mustVersion(t, s, "b")
	if a1.Number != 1 || a2.Number != 2 || b1.Number != 1 {
		t.Fatalf("numbers = %d, %d, %d; want 1, 2, 1", a1.Number, a2.Number, b1.Number)
	}
	latest, err := s.LatestVersion(t.Context(), "a")
	if err != nil {
		t.Fatal(err)
	}
	if latest.ID != a2.ID {
		t.Errorf("latest = version %d, want %d", latest.Number, a2.Number)
	}
	list, err := s.ListVersions(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]grader.ExerciseVersion{*a2, *a1, *b1}, list); diff != "" {
		t.Errorf("list (-want +got):\n%s", diff)
	}

	_, err = s.LatestVersion(t.Context(), "nope")
	wantCode(t, err, grader.CodeNotFound, "")
	_, err = s.FindVersion(t.Context(), b1.ID+100)
	wantCode(t, err, grader.CodeNotFound, "")
	_, err = s.VersionFiles(t.Context(), b1.ID+100, postgres.FileStarter)
	wantCode(t, err, grader.CodeNotFound, "")
	_, err = s.VersionFiles(t.Context(), b1.ID, "secret")
	wantCode(t, err, grader.CodeInvalid, "")
	_, err = s.EvalSet(t.Context(), b1.ID+100, exercises.SetHidden)
	wantCode(t, err, grader.CodeNotFound, "")
	_, err = s.CreateVersion(t.Context(), &exercises.Version{})
	wantCode(t, err, grader.CodeInvalid, "")
}

func TestEnsureVersion(t *testing.T) {
	s, _ := newStore(t)
	first, created, err := s.EnsureVersion(t.Context(), testVersion("seeded", 1))
	if err != nil || !created {
		t.Fatalf("first: created %v, %v", created, err)
	}
	again, created, err := s.EnsureVersion(t.Context(), testVersion("seeded", 1))
	if err != nil || created {
		t.Fatalf("again: created %v, %v", created, err)
	}
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("again (-want +got):\n%s", diff)
	}
	changed := testVersion("seeded", 1)
	changed.Sets[1].Items[0].Label = json.RawMessage(`"no"`) // same seed and spec, new content
	for name, v := range map[string]*exercises.Version{"other seed": testVersion("seeded", 2), "other content": changed} {
		got, created, err := s.EnsureVersion(t.Context(), v)
		if err != nil || !created || got.ID == first.ID {
			t.Errorf("%s: created %v, id %d, %v; want a new version", name, created, got.ID, err)
		}
	}
}

// TestLockedVersion checks the triggers that freeze a version once an invite
// references it.
func TestLockedVersion(t *testing.T) {
	tests := []struct {
		name   string
		stmt   string
		allows bool
	}{
		{"update spec", `UPDATE exercise_versions SET spec = '{}' WHERE id = $1`, false},
		{"update seed", `UPDATE exercise_versions SET seed = 8 WHERE id = $1`, false},
		{"unlock", `UPDATE exercise_versions SET locked_at = NULL WHERE id = $1`, false},
		{"update file", `UPDATE exercise_files SET data = 'x' WHERE version_id = $1`, false},
		{"delete file", `DELETE FROM exercise_files WHERE version_id = $1`, false},
		{"insert file", `INSERT INTO exercise_files (version_id, kind, name, data) VALUES ($1, 'asset', 'new', '')`, false},
		{"delete eval set", `DELETE FROM eval_sets WHERE version_id = $1`, false},
		{"update item label", `UPDATE eval_items SET label = '1' WHERE set_id IN (SELECT id FROM eval_sets WHERE version_id = $1)`, false},
		{"delete item", `DELETE FROM eval_items WHERE set_id IN (SELECT id FROM eval_sets WHERE version_id = $1)`, false},
		{"insert item", `INSERT INTO eval_items (set_id, key) SELECT id, 'new' FROM eval_sets WHERE version_id = $1`, false},
		{"archive", `UPDATE exercise_versions SET status = 'archived' WHERE id = $1`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, tx := newStore(t)
			inv, _ := mustInvite(t, s, nil)
			err := tx.Exec(tt.stmt, inv.ExerciseVersionID).Error
			var pgErr *pgconn.PgError
			switch {
			case tt.allows && err != nil:
				t.Fatalf("refused: %v", err)
			case !tt.allows && (!errors.As(err, &pgErr) || pgErr.Code != "55000"):
				t.Fatalf("error = %v, want the version locked (55000)", err)
			}
		})
	}
	t.Run("unlocked version changes", func(t *testing.T) {
		s, tx := newStore(t)
		v := mustVersion(t, s, "free")
		for _, tt := range tests {
			if err := tx.Exec(tt.stmt, v.ID).Error; err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
		}
	})
}

// TestCreateVersionLarge stores and reads back a hidden set of 50,000 items.
func TestCreateVersionLarge(t *testing.T) {
	const n = 50_000
	s := postgres.NewStore(pgtest.Tx(t), nil)
	v := testVersion("large", 3)
	items := make([]exercises.Item, n)
	for i := range items {
		items[i] = exercises.Item{
			Key:   fmt.Sprintf("item-%06d", n-i),
			Input: json.RawMessage(fmt.Sprintf(`{"question":"what is item %d about, in a sentence or two?","context":"lorem ipsum dolor sit amet"}`, i)),
			Label: json.RawMessage(fmt.Sprintf(`{"answer":"item %d","docs":[%d,%d]}`, i, i, i+1)),
		}
	}
	v.Sets[1].Items = items
	start := time.Now()
	created, err := s.CreateVersion(t.Context(), v)
	if err != nil {
		t.Fatal(err)
	}
	stored := time.Since(start)
	start = time.Now()
	set, err := s.EvalSet(t.Context(), created.ID, exercises.SetHidden)
	if err != nil {
		t.Fatal(err)
	}
	read := time.Since(start)
	t.Logf("%d items: stored in %v, read in %v", n, stored, read)
	if len(set.Items) != n || set.Items[0].Key != "item-000001" || set.Items[n-1].Key != fmt.Sprintf("item-%06d", n) {
		t.Fatalf("read %d items, first %q", len(set.Items), set.Items[0].Key)
	}
	if diff := cmp.Diff(items[n-1], set.Items[0], jsonEqual); diff != "" {
		t.Errorf("first item (-want +got):\n%s", diff)
	}
	if stored > 10*time.Second || read > 10*time.Second {
		t.Errorf("too slow: stored in %v, read in %v", stored, read)
	}
}
