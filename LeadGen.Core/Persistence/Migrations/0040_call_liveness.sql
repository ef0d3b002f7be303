-- The dialer loop (issue 12): the call reaper and one live outbound call per lead (expand-only).

-- The call reaper looks for live calls by the time of their last event.
CREATE INDEX ix_calls_live_updated ON calls (updated_at) WHERE status IN ('queued', 'initiated', 'ringing', 'in_progress');

-- At most one live outbound call per lead: the dialer's rule (it never queues a lead with a live call), now also the
-- database's. Inbound calls are not limited (a lead may call us while we ring them).
-- Older code could leave a stand-in provider's calls open for ever; before the index, such extra live calls of one lead
-- (all but its newest) are ended as failed, so the migration cannot fail on an existing database; the newest stays
-- live and the reaper settles it and its lead.
UPDATE calls SET status = 'failed', error = 'Closed by migration 0040: another live call of the same lead was newer.',
                 ended_at = now(), updated_at = now()
WHERE id IN (
    SELECT id FROM (
        SELECT id, row_number() OVER (PARTITION BY lead_id ORDER BY created_at DESC, id DESC) AS newest_first
        FROM calls
        WHERE direction = 'outbound' AND lead_id IS NOT NULL AND status IN ('queued', 'initiated', 'ringing', 'in_progress')
    ) live
    WHERE newest_first > 1);

CREATE UNIQUE INDEX ux_calls_one_live_outbound_per_lead ON calls (lead_id)
    WHERE direction = 'outbound' AND lead_id IS NOT NULL AND status IN ('queued', 'initiated', 'ringing', 'in_progress');
