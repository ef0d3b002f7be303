-- Calls (outbound and inbound) and their transcripts. lead_id is null for inbound calls from unknown numbers.
CREATE TABLE calls (
    id                uuid        PRIMARY KEY,
    lead_id           uuid        REFERENCES leads (id),
    campaign_id       uuid        REFERENCES campaigns (id),
    direction         text        NOT NULL CHECK (direction IN ('outbound', 'inbound')),
    provider          text        NOT NULL CHECK (length(provider) BETWEEN 1 AND 50),
    provider_call_id  text        CHECK (length(provider_call_id) <= 100),
    from_number       text,
    to_number         text,
    status            text        NOT NULL DEFAULT 'queued'
                      CHECK (status IN ('queued', 'initiated', 'ringing', 'in_progress', 'completed', 'busy', 'no_answer', 'failed', 'canceled')),
    answered_by       text        CHECK (answered_by IN ('human', 'machine', 'unknown')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    answered_at       timestamptz,
    ended_at          timestamptz,
    duration_seconds  integer     CHECK (duration_seconds >= 0),
    -- Outcome for people (qualified, disqualified, callback, do_not_call, voicemail, no_answer, busy, failed,
    -- transferred, hung_up); free text so later features can add outcomes without a migration.
    disposition       text        CHECK (length(disposition) <= 50),
    recording_url     text,
    summary           text,
    extracted         jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(extracted) = 'object'),
    analysis          jsonb,
    model             text,
    input_tokens      bigint      NOT NULL DEFAULT 0 CHECK (input_tokens >= 0),
    output_tokens     bigint      NOT NULL DEFAULT 0 CHECK (output_tokens >= 0),
    error             text,
    erased_at         timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX ux_calls_provider_call_id ON calls (provider, provider_call_id) WHERE provider_call_id IS NOT NULL;
CREATE INDEX ix_calls_lead ON calls (lead_id, created_at);
CREATE INDEX ix_calls_campaign_id ON calls (campaign_id, id);
CREATE INDEX ix_calls_live ON calls (status) WHERE status IN ('queued', 'initiated', 'ringing', 'in_progress');

CREATE TABLE call_turns (
    call_id      uuid        NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    seq          integer     NOT NULL CHECK (seq >= 0),
    speaker      text        NOT NULL CHECK (speaker IN ('agent', 'caller', 'system', 'tool')),
    text         text        NOT NULL,
    started_at   timestamptz NOT NULL,
    ended_at     timestamptz,
    interrupted  boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (call_id, seq)
);
