-- Model tokens per agent turn (what generating that turn used, as the engine reported it), for the call detail page.
-- Null: not reported for this turn (caller, tool and system turns; calls from before this migration). The call's own
-- totals (calls.input_tokens / output_tokens) stay authoritative: a report with no agent turn to attach to counts there only.
ALTER TABLE call_turns ADD COLUMN input_tokens bigint, ADD COLUMN output_tokens bigint;
