-- Call recordings and cost per call. Expand-only: every column has a default or is nullable, so older code keeps
-- inserting campaigns and calls unchanged.
--   campaigns.record_calls: whether the bridge records the campaign's calls (and the disclosure says so).
--   calls.recording_key: the object key of the call's recording in the recording store (local folder or Cloud
--     Storage bucket); null when there is none, after erasure and after retention.
--   calls.cost_usd / cost_detail: what the call cost (model tokens x the model's price + telephony minutes x the
--     provider's rates), priced from the configured price table when the call is analysed; null until then.
ALTER TABLE campaigns ADD COLUMN record_calls boolean NOT NULL DEFAULT true;

ALTER TABLE calls
    ADD COLUMN recording_key text CHECK (length(recording_key) BETWEEN 1 AND 500),
    ADD COLUMN cost_usd numeric(14, 6) CHECK (cost_usd >= 0),
    ADD COLUMN cost_detail jsonb CHECK (jsonb_typeof(cost_detail) = 'object');

-- Retention looks for recordings of calls that ended long ago.
CREATE INDEX ix_calls_recording ON calls (COALESCE(ended_at, created_at)) WHERE recording_key IS NOT NULL;
