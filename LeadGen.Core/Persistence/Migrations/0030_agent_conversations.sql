-- Live agent conversations driven through the text conversation API: the model-facing history (including tool calls
-- and the thought signatures Gemini needs back) and what the tools have done so far. A row exists only while the
-- conversation is open: when it ends the row is deleted, and the transcript lives on in call_turns (which erasure
-- and retention already cover). Expand-only: a new table nothing older reads.
CREATE TABLE agent_conversations (
    call_id     uuid        PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
    lead_id     uuid        NOT NULL REFERENCES leads (id),
    engine      text        NOT NULL CHECK (engine IN ('offline', 'vertex', 'apikey')),
    -- json, not jsonb: kept verbatim (jsonb reorders keys, and the serialised history relies on "$type" coming first).
    history     json        NOT NULL CHECK (json_typeof(history) = 'array'),
    state       jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(state) = 'object'),
    next_seq    integer     NOT NULL DEFAULT 0 CHECK (next_seq >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ix_agent_conversations_lead ON agent_conversations (lead_id);
