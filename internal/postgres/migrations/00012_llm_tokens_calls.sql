-- Model-gateway tokens (one per step that may call models, stored as the
-- SHA-256 of the token) and the full record of every call.

-- +goose Up
CREATE TABLE llm_tokens (
    token_hash  bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    run_id      bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    phase       text   NOT NULL,
    step        text   NOT NULL,
    hidden      boolean NOT NULL,
    provider    text   NOT NULL,
    models      jsonb  NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
CREATE INDEX llm_tokens_run ON llm_tokens (run_id);

ALTER TABLE llm_calls DROP CONSTRAINT llm_calls_state_check;
ALTER TABLE llm_calls ADD CONSTRAINT llm_calls_state_check CHECK (state IN ('reserved', 'settled', 'refused'));
ALTER TABLE llm_calls
    ADD COLUMN step              text    NOT NULL DEFAULT '',
    ADD COLUMN hidden            boolean NOT NULL DEFAULT false,
    ADD COLUMN endpoint          text    NOT NULL DEFAULT '',
    ADD COLUMN model             text    NOT NULL DEFAULT '',
    ADD COLUMN served_model      text    NOT NULL DEFAULT '',
    ADD COLUMN provider          text    NOT NULL DEFAULT '',
    ADD COLUMN stream            boolean NOT NULL DEFAULT false,
    ADD COLUMN status            text    NOT NULL DEFAULT '',
    ADD COLUMN http_status       integer NOT NULL DEFAULT 0,
    ADD COLUMN prompt_tokens     integer NOT NULL DEFAULT 0,
    ADD COLUMN completion_tokens integer NOT NULL DEFAULT 0,
    ADD COLUMN capped            boolean NOT NULL DEFAULT false,
    ADD COLUMN first_token_us    bigint  NOT NULL DEFAULT 0,
    ADD COLUMN total_us          bigint  NOT NULL DEFAULT 0,
    ADD COLUMN request_gz        bytea,
    ADD COLUMN response_gz       bytea,
    ADD COLUMN request_sha256    bytea,
    ADD COLUMN response_sha256   bytea;
CREATE INDEX llm_calls_run ON llm_calls (run_id, id);

-- +goose Down
DROP INDEX llm_calls_run;
ALTER TABLE llm_calls
    DROP COLUMN step, DROP COLUMN hidden, DROP COLUMN endpoint, DROP COLUMN model, DROP COLUMN served_model,
    DROP COLUMN provider, DROP COLUMN stream, DROP COLUMN status, DROP COLUMN http_status,
    DROP COLUMN prompt_tokens, DROP COLUMN completion_tokens, DROP COLUMN capped,
    DROP COLUMN first_token_us, DROP COLUMN total_us, DROP COLUMN request_gz, DROP COLUMN response_gz,
    DROP COLUMN request_sha256, DROP COLUMN response_sha256;
DELETE FROM llm_calls WHERE state = 'refused';
ALTER TABLE llm_calls DROP CONSTRAINT llm_calls_state_check;
ALTER TABLE llm_calls ADD CONSTRAINT llm_calls_state_check CHECK (state IN ('reserved', 'settled'));
DROP TABLE llm_tokens;
