package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"takehome/grader"
)

// Enqueuer puts a grading job on the queue inside the caller's transaction,
// so the job exists if and only if the submission does. The queue package
// implements it with River's InsertTx.
type Enqueuer interface {
	EnqueueGrade(ctx context.Context, tx *sql.Tx, submissionID int64) (jobID int64, err error)
}

// Store reads and writes the domain. Its methods are safe for concurrent use.
type Store struct {
	db  *gorm.DB
	enq Enqueuer
}

// NewStore returns a Store on db. enq may be nil for a store that never
// creates submissions.
func NewStore(db *gorm.DB, enq Enqueuer) *Store {
	return &Store{db: db, enq: enq}
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.WithContext(ctx).Exec("SELECT 1").Error; err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}

// sqlTx returns the *sql.Tx under a gorm transaction, for River.
func sqlTx(tx *gorm.DB) (*sql.Tx, error) {
	t, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return nil, fmt.Errorf("not in a database/sql transaction (got %T)", tx.Statement.ConnPool)
	}
	return t, nil
}

// PostgreSQL error codes the store maps.
const (
	pgUniqueViolation     = "23505"
	pgForeignKeyViolation = "23503"
	pgCheckViolation      = "23514"
	pgNotNullViolation    = "23502"
	pgLocked              = "55000" // object_not_in_prerequisite_state, raised by our triggers
)

// dbError maps a missing row or a constraint violation about what (e.g.
// "user 3") to a *grader.Error and returns other errors unchanged.
func dbError(err error, what string) error {
	var gerr *grader.Error
	if errors.As(err, &gerr) {
		return err
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return grader.Errorf(grader.CodeNotFound, "%s not found", what)
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return err
	}
	switch pgErr.Code {
	case pgUniqueViolation:
		return grader.Errorf(grader.CodeConflict, "%s already exists", what)
	case pgForeignKeyViolation:
		return grader.Errorf(grader.CodeNotFound, "%s refers to a record that does not exist", what)
	case pgCheckViolation, pgNotNullViolation:
		return grader.Errorf(grader.CodeInvalid, "%s is invalid", what)
	case pgLocked:
		return grader.Errorf(grader.CodeConflict, "%s", pgErr.Message)
	}
	return err
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == pgUniqueViolation
}

// notFoundIfNone turns an update that matched no row into CodeNotFound.
func notFoundIfNone(res *gorm.DB, what string) error {
	if res.Error != nil {
		return dbError(res.Error, what)
	}
	if res.RowsAffected == 0 {
		return grader.Errorf(grader.CodeNotFound, "%s not found", what)
	}
	return nil
}

// newToken returns prefix followed by 32 random bytes in base64url.
func newToken(prefix string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate token: %w", err)
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// tokenHash is what the database keeps of a token.
func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// pgText makes s storable as PostgreSQL text, which holds neither NUL bytes
// nor invalid UTF-8 (both can come from a candidate's program).
func pgText(s string) string {
	return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", "\uFFFD"), "\uFFFD")
}

// utc returns t in UTC; the driver returns times in the local zone.
func utc(t time.Time) time.Time { return t.UTC() }

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// listLimit clamps a requested page size.
func listLimit(n int) int {
	switch {
	case n <= 0:
		return 100
	case n > 1000:
		return 1000
	}
	return n
}
