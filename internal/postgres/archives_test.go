package postgres_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"takehome/exercises"
	"takehome/grader"
	"takehome/internal/pgtest"
	"takehome/internal/postgres"
)

// noise returns n bytes that do not compress.
func noise(n int) []byte {
	data := make([]byte, n)
	_, _ = rand.NewChaCha8([32]byte{7}).Read(data)
	return data
}

func TestSubmissionArchiveChunks(t *testing.T) {
	s, tx := newStore(t)
	inv, _ := mustInvite(t, s, func(inv *grader.Invite) { inv.Attempts = 10 })
	tests := []struct {
		name   string
		data   []byte
		chunks int
	}{
		{"empty", []byte{}, 0},
		{"one byte", []byte("x"), 1},
		{"exactly one chunk", noise(1 << 20), 1},
		{"two and a half chunks", noise(5 << 19), 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := &grader.Submission{InviteID: inv.ID, Mode: exercises.ModeCheck, IdempotencyKey: tt.name}
			// A reader without WriterTo and short reads, like a request body.
			r := io.MultiReader(bytes.NewReader(tt.data))
			if _, err := s.CreateSubmission(t.Context(), sub, r, int64(len(tt.data)), t0); err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(tt.data)
			if sub.ArchiveSHA256 != hex.EncodeToString(sum[:]) || sub.ArchiveSize != int64(len(tt.data)) {
				t.Errorf("recorded %s, %d bytes", sub.ArchiveSHA256, sub.ArchiveSize)
			}
			if n := count(t, tx, "SELECT count(*) FROM submission_archive_chunks WHERE submission_id = ?", sub.ID); n != tt.chunks {
				t.Errorf("%d chunks, want %d", n, tt.chunks)
			}
			got, err := s.SubmissionArchive(t.Context(), sub.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.data) {
				t.Errorf("read back %d bytes, not the %d stored", len(got), len(tt.data))
			}
		})
	}
	t.Run("damaged", func(t *testing.T) {
		sub := mustSubmit(t, s, inv.ID, exercises.ModeCheck, string(noise(3<<20)))
		if err := tx.Exec("DELETE FROM submission_archive_chunks WHERE submission_id = ? AND seq = 1", sub.ID).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := s.SubmissionArchive(t.Context(), sub.ID); err == nil || grader.ErrorCode(err) != grader.CodeInternal {
			t.Errorf("SubmissionArchive of a damaged archive: %v, want an internal error", err)
		}
	})
}

// TestCreateSubmissionArchiveSize refuses an archive whose length is not the
// size given, leaving nothing behind.
func TestCreateSubmissionArchiveSize(t *testing.T) {
	s, tx := newStore(t)
	inv, _ := mustInvite(t, s, nil)
	for _, tt := range []struct {
		name string
		data string
		size int64
	}{
		{"shorter", "12345", 6},
		{"longer", "12345", 4},
		{"longer than a chunk", strings.Repeat("x", 1<<20+1), 1 << 20},
		{"negative", "", -1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sub := &grader.Submission{InviteID: inv.ID, Mode: exercises.ModeCheck}
			created, err := s.CreateSubmission(t.Context(), sub, strings.NewReader(tt.data), tt.size, t0)
			if err == nil || created {
				t.Fatalf("created %v, error %v; want an error", created, err)
			}
			for _, table := range []string{"submissions", "submission_archive_chunks"} {
				if n := count(t, tx, "SELECT count(*) FROM "+table); n != 0 {
					t.Errorf("%d rows in %s, want 0", n, table)
				}
			}
		})
	}
}

// TestMigrateArchiveChunks moves archives out of the chunks and back in.
func TestMigrateArchiveChunks(t *testing.T) {
	db := openURL(t, pgtest.URL(t))
	s := postgres.NewStore(db, &fakeQueue{})
	inv, _ := mustInvite(t, s, func(inv *grader.Invite) { inv.Attempts = 5 })
	archives := map[int64][]byte{}
	for _, data := range [][]byte{noise(5 << 19), {}, []byte("small")} {
		sub := mustSubmit(t, s, inv.ID, exercises.ModeCheck, string(data))
		archives[sub.ID] = data
	}
	if err := postgres.MigrateDownTo(t.Context(), db, 5); err != nil {
		t.Fatal(err)
	}
	for id, want := range archives {
		var got []byte
		if err := db.Raw("SELECT data FROM submission_archives WHERE submission_id = ?", id).Row().Scan(&got); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("submission %d: %d bytes after migrating down, want %d", id, len(got), len(want))
		}
	}
	if err := postgres.Migrate(t.Context(), db); err != nil {
		t.Fatal(err)
	}
	for id, want := range archives {
		got, err := s.SubmissionArchive(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("submission %d: %d bytes after migrating up, want %d", id, len(got), len(want))
		}
	}
	if n := count(t, db, "SELECT count(*) FROM submission_archive_chunks"); n != 3+0+1 {
		t.Errorf("%d chunks, want 4", n)
	}
}
