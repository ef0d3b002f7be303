-- The console's overview reads today's calls and the last 24 hours by creation time.
CREATE INDEX IF NOT EXISTS ix_calls_created_at ON calls (created_at);
