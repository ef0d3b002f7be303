-- The dialer loop (issue 12): the call reaper and one live outbound call per lead (expand-only).

-- The call reaper looks for live calls by the time of their last event.
CREATE INDEX ix_calls_live_updated ON calls (updated_at) WHERE status IN ('queued', 'initiated', 'ringing', 'in_progress');

-- At most one live outbound call per lead: the dialer's rule (it never queues a lead with a live call), now also the
-- database's. Inbound calls are not limited (a lead may call us while we ring them).
CREATE UNIQUE INDEX ux_calls_one_live_outbound_per_lead ON calls (lead_id)
    WHERE direction = 'outbound' AND lead_id IS NOT NULL AND status IN ('queued', 'initiated', 'ringing', 'in_progress');
