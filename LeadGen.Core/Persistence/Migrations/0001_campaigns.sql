-- Campaigns: what the agent sells and how it calls. Later migrations extend this table (expand/contract only:
-- old and new code run side by side during a canary rollout, so never drop or rename in the same release).
CREATE TABLE campaigns (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status      text        NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'running', 'paused', 'completed')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ix_campaigns_status ON campaigns (status);
