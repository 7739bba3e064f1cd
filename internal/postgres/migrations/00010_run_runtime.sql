-- The OCI runtime a run's containers used (runc, runsc for gVisor): the
-- run record says which sandbox graded it, next to the image id.

-- +goose Up
ALTER TABLE runs ADD COLUMN runtime text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE runs DROP COLUMN runtime;
