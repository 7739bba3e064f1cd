package postgres_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"takehome/exercises"
	"takehome/grader"
	"takehome/internal/pgtest"
	"takehome/internal/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// t0 is the tests' "now": times round-trip at microsecond precision.
var t0 = time.Date(2030, 1, 2, 3, 4, 5, 6000, time.UTC)

// fakeQueue is an Enqueuer that checks it runs inside the transaction that
// stores the submission, after the whole archive.
type fakeQueue struct {
	mu   sync.Mutex
	jobs []int64 // submission ids, in order
	err  error
}

func (q *fakeQueue) EnqueueGrade(ctx context.Context, tx *sql.Tx, submissionID int64) (int64, error) {
	if q.err != nil {
		return 0, q.err
	}
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM submissions s WHERE id = $1 AND archive_size =
		(SELECT coalesce(sum(length(data)), 0) FROM submission_archive_chunks WHERE submission_id = s.id)`, submissionID).Scan(&n)
	if err != nil {
		return 0, err
	}
	if n != 1 {
		return 0, fmt.Errorf("submission %d is not visible in the transaction", submissionID)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.jobs = append(q.jobs, submissionID)
	return int64(1000 + len(q.jobs)), nil
}

// newStore returns a store working in a transaction rolled back after the test.
func newStore(t *testing.T) (*postgres.Store, *gorm.DB) {
	t.Helper()
	tx := pgtest.Tx(t)
	return postgres.NewStore(tx, &fakeQueue{}), tx
}

// jsonEqual compares JSON values semantically: jsonb reorders object keys.
var jsonEqual = cmp.Comparer(func(a, b json.RawMessage) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return string(a) == string(b)
	}
	return reflect.DeepEqual(x, y)
})

func testVersion(slug string, seed uint64) *exercises.Version {
	return &exercises.Version{
		Spec: exercises.Spec{
			Slug: slug, Kind: exercises.KindTest, Title: "Test " + slug, Brief: "# Brief", Image: "python:3.12",
			Phases:   []exercises.Phase{{Name: "predict", Inputs: []string{"test.jsonl"}, Outputs: []string{"predictions.jsonl"}, Limits: exercises.DefaultLimits()}},
			Headline: "accuracy",
		},
		Seed:       seed,
		StarterKit: []exercises.File{{Name: "README.md", Data: []byte("# Starter")}, {Name: "src/main.py", Data: []byte("print(1)\n")}},
		Assets:     []exercises.File{{Name: "train.csv", Data: []byte("a,b\n1,2\n")}, {Name: "empty.bin", Data: []byte{}}},
		Sets: []exercises.EvalSet{
			{Name: exercises.SetPublic, Items: []exercises.Item{
				{Key: "b", Input: json.RawMessage(`{"x":2}`), Label: json.RawMessage(`1`)},
				{Key: "a", Input: json.RawMessage(`{"x":1,"text":"é \"q\""}`), Label: json.RawMessage(`0`), Meta: json.RawMessage(`{"group":"g1"}`)},
			}},
			{Name: exercises.SetHidden, Items: []exercises.Item{
				{Key: "h2", Input: json.RawMessage(`[1,2.5,"x"]`), Label: json.RawMessage(`"yes"`)},
				{Key: "h1", Input: json.RawMessage(`{"x":3}`)},
			}, Meta: json.RawMessage(`{"reference_auc":0.7}`)},
		},
	}
}

func mustVersion(t *testing.T, s *postgres.Store, slug string) *grader.ExerciseVersion {
	t.Helper()
	v, err := s.CreateVersion(t.Context(), testVersion(slug, 7))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// mustInvite creates an invite on a new version: 3 attempts, expiring a week
// after t0, a 4-hour window; edit changes it first.
func mustInvite(t *testing.T, s *postgres.Store, edit func(*grader.Invite)) (*grader.Invite, string) {
	t.Helper()
	v := mustVersion(t, s, "inv-test")
	inv := &grader.Invite{ExerciseVersionID: v.ID, Email: "cand@example.com", ExpiresAt: t0.Add(7 * 24 * time.Hour), Window: 4 * time.Hour, Attempts: 3}
	if edit != nil {
		edit(inv)
	}
	token, err := s.CreateInvite(t.Context(), inv)
	if err != nil {
		t.Fatal(err)
	}
	return inv, token
}

func mustSubmit(t *testing.T, s *postgres.Store, inviteID int64, mode exercises.Mode, archive string) *grader.Submission {
	t.Helper()
	sub := &grader.Submission{InviteID: inviteID, Mode: mode}
	if _, err := s.CreateSubmission(t.Context(), sub, strings.NewReader(archive), int64(len(archive)), t0); err != nil {
		t.Fatal(err)
	}
	return sub
}

// wantCode fails unless err carries code and, when msg is set, that message.
func wantCode(t *testing.T, err error, code grader.Code, msg string) {
	t.Helper()
	var gerr *grader.Error
	if !errors.As(err, &gerr) || gerr.Code != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	if msg != "" && gerr.Message != msg {
		t.Fatalf("message = %q, want %q", gerr.Message, msg)
	}
}

func count(t *testing.T, db *gorm.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
