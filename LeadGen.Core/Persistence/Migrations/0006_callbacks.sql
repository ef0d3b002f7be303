-- Callbacks a lead asked for ("call me Tuesday after 3"). The dialer treats a due scheduled callback like a due lead.
CREATE TABLE callbacks (
    id             uuid        PRIMARY KEY,
    lead_id        uuid        NOT NULL REFERENCES leads (id),
    campaign_id    uuid        NOT NULL REFERENCES campaigns (id),
    call_id        uuid        REFERENCES calls (id),
    scheduled_for  timestamptz NOT NULL,
    note           text        CHECK (length(note) <= 2000),
    status         text        NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'done', 'canceled')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ix_callbacks_due ON callbacks (scheduled_for) WHERE status = 'scheduled';
CREATE INDEX ix_callbacks_lead ON callbacks (lead_id);
