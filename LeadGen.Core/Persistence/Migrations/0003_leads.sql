-- Leads: one person to call for one campaign. The phone number (E.164) is the lead's identity inside a campaign.
-- Erasure (GDPR-style) blanks every personal column and sets erased_at; the row stays so counts and call history
-- aggregates remain correct.
CREATE TABLE leads (
    id                uuid        PRIMARY KEY,
    campaign_id       uuid        NOT NULL REFERENCES campaigns (id),
    name              text        CHECK (length(name) <= 200),
    phone             text        CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    email             text        CHECK (length(email) <= 254),
    company           text        CHECK (length(company) <= 200),
    role              text        CHECK (length(role) <= 200),
    time_zone         text        CHECK (length(time_zone) <= 64),
    source            text        CHECK (length(source) <= 100),
    consent_given_at  timestamptz,
    consent_method    text        CHECK (length(consent_method) <= 100),
    status            text        NOT NULL DEFAULT 'new'
                      CHECK (status IN ('new', 'queued', 'calling', 'qualified', 'disqualified', 'callback', 'do_not_call', 'unreachable')),
    attempts          integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at   timestamptz,
    last_attempt_at   timestamptz,
    score             integer     CHECK (score BETWEEN 0 AND 100),
    qualification     jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(qualification) = 'object'),
    import_id         uuid,
    erased_at         timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ck_leads_phone_present CHECK (phone IS NOT NULL OR erased_at IS NOT NULL)
);

-- Duplicate rule: one lead per phone number per campaign (erased leads have no phone and never collide).
CREATE UNIQUE INDEX ux_leads_campaign_phone ON leads (campaign_id, phone);
-- Console: keyset paging by id (UUIDv7, so id order is creation order), optionally filtered by status.
CREATE INDEX ix_leads_campaign_id ON leads (campaign_id, id);
CREATE INDEX ix_leads_campaign_status_id ON leads (campaign_id, status, id);
-- Dialer: leads that may be called next, by due time.
CREATE INDEX ix_leads_dialable ON leads (campaign_id, next_attempt_at NULLS FIRST, id) WHERE status IN ('new', 'callback');
-- Inbound calls and do-not-call propagation look leads up by number across campaigns.
CREATE INDEX ix_leads_phone ON leads (phone);
