-- Model providers an admin configured for the gateway (OpenAI, Azure,
-- vLLM, Ollama, a llama.cpp server, OpenRouter). The key is write-only:
-- no page or API returns it; only the gateway reads it.

-- +goose Up
CREATE TABLE llm_providers (
    name             text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,39}$' AND name <> 'builtin'),
    base_url         text NOT NULL,
    api_key          text NOT NULL DEFAULT '',
    max_tokens_field text NOT NULL CHECK (max_tokens_field IN ('max_completion_tokens', 'max_tokens')),
    updated_at       timestamptz NOT NULL,
    updated_by       text NOT NULL
);

-- +goose Down
DROP TABLE llm_providers;
