-- Turn-taking of a campaign's live (native_audio) calls, sent to the voice model as its voice activity detection:
-- how readily the caller's speech starts and ends a turn, the speech needed before a start counts, the silence that
-- ends a turn, and whether the caller can interrupt the agent. Defaults suit phone audio. Expand-only: every column has
-- a default, so older code keeps inserting campaigns.
ALTER TABLE campaigns
    ADD COLUMN turn_start_sensitivity text    NOT NULL DEFAULT 'low'  CHECK (turn_start_sensitivity IN ('low', 'high')),
    ADD COLUMN turn_end_sensitivity   text    NOT NULL DEFAULT 'high' CHECK (turn_end_sensitivity IN ('low', 'high')),
    ADD COLUMN turn_prefix_padding_ms integer NOT NULL DEFAULT 100    CHECK (turn_prefix_padding_ms BETWEEN 0 AND 2000),
    ADD COLUMN turn_silence_ms        integer NOT NULL DEFAULT 500    CHECK (turn_silence_ms BETWEEN 100 AND 5000),
    ADD COLUMN barge_in               boolean NOT NULL DEFAULT true;
