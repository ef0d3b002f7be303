-- Campaign settings the agent and the dialer read: persona and prompt, what is sold, the ordered qualification
-- questions, when and how often to call, caller ID, consent and voicemail policy. Expand-only: every column has a
-- default (or is nullable) so code that predates this migration keeps inserting campaigns.
ALTER TABLE campaigns
    ADD COLUMN description             text,
    ADD COLUMN persona_name            text        NOT NULL DEFAULT 'Alex' CHECK (length(persona_name) BETWEEN 1 AND 100),
    ADD COLUMN agent_instructions      text        CHECK (length(agent_instructions) <= 20000),
    ADD COLUMN language                text        NOT NULL DEFAULT 'en-US' CHECK (length(language) BETWEEN 2 AND 35),
    ADD COLUMN voice                   text,
    ADD COLUMN company_name            text        CHECK (length(company_name) <= 200),
    ADD COLUMN company_facts           text        CHECK (length(company_facts) <= 20000),
    ADD COLUMN product_name            text        CHECK (length(product_name) <= 200),
    ADD COLUMN product_facts           text        CHECK (length(product_facts) <= 20000),
    -- Ordered array of {"key": "budget", "question": "..."}; order is the order the agent asks them.
    ADD COLUMN qualification_questions jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(qualification_questions) = 'array'),
    -- Local time in the lead's own time zone. The dialer additionally enforces the legal 08:00-21:00 window.
    ADD COLUMN calling_window_start    time        NOT NULL DEFAULT '09:00',
    ADD COLUMN calling_window_end      time        NOT NULL DEFAULT '20:00',
    -- Used for leads whose zone is neither given nor derivable from the number (IANA id, e.g. America/Chicago).
    ADD COLUMN default_time_zone       text,
    ADD COLUMN max_attempts            integer     NOT NULL DEFAULT 3 CHECK (max_attempts BETWEEN 1 AND 20),
    ADD COLUMN retry_spacing_minutes   integer     NOT NULL DEFAULT 240 CHECK (retry_spacing_minutes BETWEEN 1 AND 43200),
    ADD COLUMN caller_id               text        CHECK (caller_id ~ '^\+[1-9][0-9]{6,14}$'),
    ADD COLUMN transfer_number         text        CHECK (transfer_number ~ '^\+[1-9][0-9]{6,14}$'),
    ADD COLUMN consent_required        boolean     NOT NULL DEFAULT true,
    ADD COLUMN voicemail_action        text        NOT NULL DEFAULT 'hang_up' CHECK (voicemail_action IN ('leave_message', 'hang_up')),
    ADD COLUMN voicemail_message       text        CHECK (length(voicemail_message) <= 2000),
    ADD CONSTRAINT ck_campaigns_window CHECK (calling_window_start < calling_window_end),
    ADD CONSTRAINT ck_campaigns_voicemail_message CHECK (voicemail_action <> 'leave_message' OR voicemail_message IS NOT NULL);
