-- Imports report progress as they run; updated_at is their heartbeat. A running import whose heartbeat stops (the
-- process died: its transaction rolled back, nothing was imported) is reported as failed instead of running forever.
ALTER TABLE import_jobs ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
