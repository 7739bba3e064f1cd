-- An eval set's own hidden metadata, e.g. the reference models' scores on it
-- that the scorer shows beside the candidate's. Part of the version's content:
-- the guard triggers of 00002 already refuse changes once the version is locked.

-- +goose Up
ALTER TABLE eval_sets ADD COLUMN meta jsonb;

-- +goose Down
ALTER TABLE eval_sets DROP COLUMN meta;
