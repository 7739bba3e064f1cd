package postgres

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"gorm.io/gorm"
)

// chunkSize is the most bytes of an archive one row of
// submission_archive_chunks holds.
const chunkSize = 1 << 20

// writeArchive streams the size bytes of archive into the chunks of
// submission id and returns their SHA-256, hex-encoded. It holds one chunk in
// memory at a time and fails when archive holds more or fewer bytes than size.
func writeArchive(ctx context.Context, tx *gorm.DB, id int64, archive io.Reader, size int64) (string, error) {
	stx, err := sqlTx(tx)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	r := io.LimitReader(archive, size+1) // one more byte shows a longer archive
	buf := make([]byte, chunkSize)
	var n int64
	for seq := 0; ; seq++ {
		k, err := io.ReadFull(r, buf)
		if k > 0 {
			h.Write(buf[:k])
			n += int64(k)
			if err := insertChunk(ctx, stx, id, seq, buf[:k]); err != nil {
				return "", err
			}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("read archive: %w", err)
		}
	}
	if n != size {
		return "", fmt.Errorf("archive of submission %d: read %d bytes, want %d", id, n, size)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func insertChunk(ctx context.Context, tx *sql.Tx, id int64, seq int, data []byte) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO submission_archive_chunks (submission_id, seq, data) VALUES ($1, $2, $3)", id, seq, data)
	if err != nil {
		return fmt.Errorf("store chunk %d of the archive: %w", seq, err)
	}
	return nil
}

// SubmissionArchive returns the archive the submission was uploaded as,
// checked against the size and SHA-256 recorded with the submission.
func (s *Store) SubmissionArchive(ctx context.Context, id int64) ([]byte, error) {
	db := s.db.WithContext(ctx)
	var row submissionRow
	if err := db.Select("id", "archive_sha256", "archive_size").Take(&row, id).Error; err != nil {
		return nil, fmt.Errorf("submission archive: %w", dbError(err, fmt.Sprintf("archive of submission %d", id)))
	}
	rows, err := db.Raw("SELECT data FROM submission_archive_chunks WHERE submission_id = ? ORDER BY seq", id).Rows()
	if err != nil {
		return nil, fmt.Errorf("submission archive %d: %w", id, err)
	}
	defer rows.Close()
	data := make([]byte, 0, row.ArchiveSize)
	for rows.Next() {
		var chunk sql.RawBytes
		if err := rows.Scan(&chunk); err != nil {
			return nil, fmt.Errorf("submission archive %d: %w", id, err)
		}
		data = append(data, chunk...)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("submission archive %d: %w", id, err)
	}
	sum := sha256.Sum256(data)
	if int64(len(data)) != row.ArchiveSize || hex.EncodeToString(sum[:]) != row.ArchiveSHA256 {
		return nil, fmt.Errorf("submission archive %d: %d bytes stored do not match the %d recorded or their digest", id, len(data), row.ArchiveSize)
	}
	return data, nil
}
