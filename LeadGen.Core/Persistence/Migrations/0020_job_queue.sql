-- Durable jobs (transactional outbox). A state change and the job it causes are written in one transaction: the job
-- row lands here, and the outbox relay (Worker) moves committed rows to the job type's Redis Stream, then deletes
-- them. Rows of a rolled-back transaction never exist, and rows written while Redis is down simply wait here.
CREATE TABLE job_outbox (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id        uuid        NOT NULL,
    job_type      text        NOT NULL CHECK (job_type ~ '^[a-z][a-z0-9-]{0,62}$'),
    payload       jsonb       NOT NULL,
    -- W3C trace context of the enqueuing span, so the worker's span joins the request's trace.
    trace_parent  text        CHECK (length(trace_parent) <= 55),
    trace_state   text        CHECK (length(trace_state) <= 512),
    enqueued_at   timestamptz NOT NULL DEFAULT now()
);

-- A job id is enqueued at most once while it waits (recurring jobs use deterministic ids: several Worker
-- instances scheduling the same tick collapse into one row).
CREATE UNIQUE INDEX ux_job_outbox_job_id ON job_outbox (job_id);

-- Wakes the relay (LISTEN leadgen_job_outbox) when a transaction that enqueued jobs commits; NOTIFY is transactional,
-- so a rolled-back enqueue wakes nobody. One notification per statement keeps bulk enqueues cheap.
CREATE FUNCTION job_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('leadgen_job_outbox', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER tr_job_outbox_notify AFTER INSERT ON job_outbox FOR EACH STATEMENT EXECUTE FUNCTION job_outbox_notify();

-- Idempotency: a job's handler commits its effects in the same transaction that inserts the job id here, so a job
-- delivered twice (reclaimed after a crash, or relayed twice) has its effects applied exactly once.
-- The retention job prunes old rows (long after any redelivery is possible).
CREATE TABLE processed_jobs (
    job_id        uuid        PRIMARY KEY,
    job_type      text        NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ix_processed_jobs_processed_at ON processed_jobs (processed_at);
