-- Phases of a run as each finishes, for the candidate's live status page.
-- The report's own phases are written once, with the report; these rows
-- only tell what happened so far.

-- +goose Up
CREATE TABLE phase_progress (
    run_id bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq    integer NOT NULL CHECK (seq >= 0),
    record jsonb NOT NULL,
    PRIMARY KEY (run_id, seq)
);

-- +goose Down
DROP TABLE phase_progress;
