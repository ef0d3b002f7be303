-- Dialer pacing and compliance reporting (expand-only).

-- Pacing: at most this many live calls (queued, initiated, ringing, in progress) per campaign. Null = the Worker's
-- Dialer:DefaultMaxConcurrentCalls.
ALTER TABLE campaigns ADD COLUMN max_concurrent_calls integer CHECK (max_concurrent_calls BETWEEN 1 AND 1000);

-- Leads the dialer could not call for a reason an operator must fix (no usable time zone). One row per lead, the
-- latest finding; deleted when the lead is next found callable. The dialer never calls such a lead meanwhile.
CREATE TABLE dialer_reports (
    lead_id      uuid        PRIMARY KEY REFERENCES leads (id) ON DELETE CASCADE,
    campaign_id  uuid        NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    reason       text        NOT NULL CHECK (reason IN ('unknown_time_zone', 'ambiguous_time_zone')),
    detail       text        NOT NULL CHECK (length(detail) <= 500),
    reported_at  timestamptz NOT NULL
);

CREATE INDEX ix_dialer_reports_campaign ON dialer_reports (campaign_id, reported_at);
