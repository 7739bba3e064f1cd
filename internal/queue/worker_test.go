package queue_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"takehome/exercises"
	"takehome/grader"
	"takehome/internal/archive"
	"takehome/internal/postgres"
)

// fakeSandbox answers steps without containers, for the worker's retry
// logic; the real sandbox is covered by grader/docker and the end-to-end tests.
type fakeSandbox struct {
	opens     atomic.Int32
	failOpens int32 // the first failOpens Opens fail like a dead daemon
	learnExit int   // non-zero: the learn phase exits with it
}

func (f *fakeSandbox) Open(ctx context.Context, spec grader.RunSpec) (grader.Session, error) {
	if f.opens.Add(1) <= f.failOpens {
		return nil, errors.New("docker engine unreachable")
	}
	return fakeSession{f}, nil
}

type fakeSession struct{ f *fakeSandbox }

func (fakeSession) ImageID() string                 { return "sha256:fake" }
func (fakeSession) Runtime() string                 { return "fake" }
func (fakeSession) Close(ctx context.Context) error { return nil }

func (s fakeSession) RunStep(ctx context.Context, step grader.StepRun) (grader.StepResult, error) {
	if step.Name == "learn" {
		if s.f.learnExit != 0 {
			return grader.StepResult{Verdict: grader.VerdictExitNonzero, ExitCode: s.f.learnExit}, nil
		}
		return grader.StepResult{Verdict: grader.VerdictOK}, nil
	}
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(step.Inputs[0].Data))
	for sc.Scan() {
		var it struct {
			Key  string
			A, B float64
		}
		_ = json.Unmarshal(sc.Bytes(), &it)
		fmt.Fprintf(&out, "{\"key\":%q,\"value\":%v}\n", it.Key, it.A+it.B)
	}
	return grader.StepResult{Verdict: grader.VerdictOK, Outputs: []exercises.File{{Name: "answers.jsonl", Data: out.Bytes()}}}, nil
}

type nopObserver struct{}

func (nopObserver) RunDone(string)                                 {}
func (nopObserver) StepDone(string, grader.Verdict, time.Duration) {}

// gradeWith works one submission through a real River queue with sb.
func gradeWith(t *testing.T, sb grader.Sandbox) (*fixture, *grader.Submission) {
	t.Helper()
	f := newFixture(t, 5)
	store := postgres.NewStore(f.db, nil)
	q := newWorkers(t, f, &grader.Grader{
		Store: store, Exercises: exercises.NewRegistry(smokeExercise()), Pipeline: &grader.Pipeline{Sandbox: sb, Logger: slog.New(slog.DiscardHandler)},
		Unpack:   archive.Uploads{Limits: archive.DefaultLimits()}.Unpack,
		Observer: nopObserver{}, WorkerID: "test-worker", Now: time.Now, Logger: slog.New(slog.DiscardHandler),
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- q.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	sub := &grader.Submission{InviteID: f.invite.ID, ExerciseVersionID: f.invite.ExerciseVersionID, Mode: exercises.ModeFinal}
	data := archiveOf(t, "good")
	if _, err := postgres.NewStore(f.db, newJobs(t, f)).CreateSubmission(context.Background(), sub, bytes.NewReader(data), int64(len(data)), time.Now()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		got, err := store.FindSubmission(context.Background(), sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status == grader.StatusGraded {
			return f, got
		}
		if time.Now().After(deadline) {
			t.Fatalf("submission still %s after a minute", got.Status)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func jobAttempt(t *testing.T, f *fixture, id int64) (attempt int, state string) {
	t.Helper()
	sub, _ := postgres.NewStore(f.db, nil).FindSubmission(context.Background(), id)
	if err := f.sqlDB(t).QueryRow("SELECT attempt, state FROM river_job WHERE id = $1", sub.JobID).Scan(&attempt, &state); err != nil {
		t.Fatal(err)
	}
	return attempt, state
}

func TestInfraErrorIsRetried(t *testing.T) {
	sb := &fakeSandbox{failOpens: 1}
	f, sub := gradeWith(t, sb)
	if attempt, state := jobAttempt(t, f, sub.ID); attempt != 2 || state != "completed" {
		t.Errorf("job attempt %d state %s, want attempt 2 completed", attempt, state)
	}
	runs, err := postgres.NewStore(f.db, nil).ListRuns(context.Background(), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].Status != "infra_error" || runs[1].Status != "done" {
		t.Errorf("runs = %+v, want infra_error then done", runs)
	}
	if sub.Score == nil || *sub.Score != 100 {
		t.Errorf("score = %v, want 100", sub.Score)
	}
}

func TestCandidateFailureIsNotRetried(t *testing.T) {
	f, sub := gradeWith(t, &fakeSandbox{learnExit: 3})
	if attempt, state := jobAttempt(t, f, sub.ID); attempt != 1 || state != "completed" {
		t.Errorf("job attempt %d state %s, want attempt 1 completed", attempt, state)
	}
	rep, err := postgres.NewStore(f.db, nil).FindReport(context.Background(), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Result.Valid || len(rep.Result.Problems) != 1 || rep.Result.Problems[0] != "phase learn exited with code 3" {
		t.Errorf("result = %+v, want invalid with the exit code", rep.Result)
	}
}
