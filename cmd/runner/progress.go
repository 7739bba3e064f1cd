package main

import (
	"context"
	"log/slog"

	"takehome/grader"
	"takehome/internal/postgres"
)

// progressSaver records each finished step, so the candidate's status page
// shows the phases while the run goes on. A failed save only costs the live
// view: the report has every phase.
func progressSaver(store *postgres.Store, log *slog.Logger) func(context.Context, int64, int, grader.PhaseRecord) {
	return func(ctx context.Context, runID int64, seq int, rec grader.PhaseRecord) {
		if err := store.SavePhaseProgress(context.WithoutCancel(ctx), runID, seq, rec); err != nil {
			log.Warn("save phase progress", "run_id", runID, "seq", seq, "err", err)
		}
	}
}
