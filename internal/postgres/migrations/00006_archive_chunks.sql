-- Archives move to rows of at most 1 MiB, so that storing an upload streams
-- it (neither the server nor one statement holds it whole) and reading it
-- back is a loop over its chunks in seq order.

-- +goose Up
CREATE TABLE submission_archive_chunks (
    submission_id bigint NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    seq           integer NOT NULL CHECK (seq >= 0),
    data          bytea NOT NULL CHECK (length(data) BETWEEN 1 AND 1048576),
    PRIMARY KEY (submission_id, seq)
);
-- Archives are compressed already: skip TOAST compression.
ALTER TABLE submission_archive_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- An empty archive has no chunks.
INSERT INTO submission_archive_chunks (submission_id, seq, data)
SELECT a.submission_id, c.seq, substring(a.data FROM c.seq * 1048576 + 1 FOR 1048576)
FROM submission_archives a
CROSS JOIN LATERAL generate_series(0, (length(a.data) - 1) / 1048576) AS c (seq)
WHERE length(a.data) > 0;

DROP TABLE submission_archives;

-- +goose Down
CREATE TABLE submission_archives (
    submission_id bigint PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    data          bytea NOT NULL
);
ALTER TABLE submission_archives ALTER COLUMN data SET STORAGE EXTERNAL;

INSERT INTO submission_archives (submission_id, data)
SELECT s.id, coalesce(
    (SELECT string_agg(c.data, ''::bytea ORDER BY c.seq) FROM submission_archive_chunks c WHERE c.submission_id = s.id),
    ''::bytea)
FROM submissions s;

DROP TABLE submission_archive_chunks;
