-- What an admin changed of a version's model access: provider, whether
-- hidden-data phases may use it, prices, output caps and budgets. The
-- models themselves (names, kinds) stay the spec's. It applies to runs
-- graded after the change.

-- +goose Up
CREATE TABLE llm_version_settings (
    exercise_version_id bigint PRIMARY KEY REFERENCES exercise_versions (id) ON DELETE CASCADE,
    access              jsonb NOT NULL,
    updated_at          timestamptz NOT NULL,
    updated_by          text NOT NULL
);

-- +goose Down
DROP TABLE llm_version_settings;
