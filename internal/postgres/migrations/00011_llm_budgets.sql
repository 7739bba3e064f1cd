-- Model-gateway budgets: what a run may spend on model calls, in micro-USD,
-- for the whole run (phase '') and optionally per phase, and each call's
-- reservation of its worst-case cost until it settles to the actual cost.

-- +goose Up
CREATE TABLE llm_budgets (
    run_id         bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    phase          text   NOT NULL DEFAULT '',
    limit_micro    bigint NOT NULL CHECK (limit_micro >= 0),
    spent_micro    bigint NOT NULL DEFAULT 0 CHECK (spent_micro >= 0),
    reserved_micro bigint NOT NULL DEFAULT 0 CHECK (reserved_micro >= 0),
    PRIMARY KEY (run_id, phase)
);

CREATE TABLE llm_calls (
    id             bigserial PRIMARY KEY,
    run_id         bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    phase          text   NOT NULL,
    state          text   NOT NULL CHECK (state IN ('reserved', 'settled')),
    reserved_micro bigint NOT NULL CHECK (reserved_micro >= 0),
    cost_micro     bigint CHECK (cost_micro >= 0),
    cost_source    text   NOT NULL DEFAULT '' CHECK (cost_source IN ('', 'provider', 'estimated', 'swept')),
    reserved_at    timestamptz NOT NULL,
    settled_at     timestamptz
);
-- The sweeper looks for reservations that never settled.
CREATE INDEX llm_calls_unsettled ON llm_calls (reserved_at) WHERE state = 'reserved';

-- +goose Down
DROP TABLE llm_calls;
DROP TABLE llm_budgets;
