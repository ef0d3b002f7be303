-- The do-not-call list: numbers never to be dialled, across every campaign. It deliberately survives lead erasure
-- (keeping the number is what honours the opt-out).
CREATE TABLE do_not_call (
    phone     text        PRIMARY KEY CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    reason    text        CHECK (length(reason) <= 500),
    source    text        NOT NULL DEFAULT 'api' CHECK (length(source) BETWEEN 1 AND 50),
    added_at  timestamptz NOT NULL DEFAULT now()
);
