-- Bulk lead imports: one row per upload with live progress, plus the rejected and duplicate rows it reported.
CREATE TABLE import_jobs (
    id               uuid        PRIMARY KEY,
    campaign_id      uuid        NOT NULL REFERENCES campaigns (id),
    format           text        NOT NULL CHECK (format IN ('csv', 'jsonl')),
    atomic           boolean     NOT NULL DEFAULT false,
    status           text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'rolled_back', 'failed')),
    total_bytes      bigint,
    bytes_read       bigint      NOT NULL DEFAULT 0,
    rows_read        integer     NOT NULL DEFAULT 0,
    rows_imported    integer     NOT NULL DEFAULT 0,
    rows_rejected    integer     NOT NULL DEFAULT 0,
    rows_duplicate   integer     NOT NULL DEFAULT 0,
    rows_do_not_call integer     NOT NULL DEFAULT 0,
    ignored_columns  text[]      NOT NULL DEFAULT '{}',
    error            text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz
);

CREATE INDEX ix_import_jobs_campaign ON import_jobs (campaign_id, created_at DESC);

CREATE TABLE import_row_errors (
    import_id   uuid    NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
    row_number  integer NOT NULL,
    kind        text    NOT NULL CHECK (kind IN ('rejected', 'duplicate')),
    column_name text,
    reason      text    NOT NULL
);

-- A row may fail on several columns, so (import, row) is not unique; errors are read in row order.
CREATE INDEX ix_import_row_errors ON import_row_errors (import_id, row_number);
