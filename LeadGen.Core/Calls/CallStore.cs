using System.Text.Json.Nodes;
using LeadGen.Core.Leads;
using LeadGen.Core.Persistence;
using Npgsql;

namespace LeadGen.Core.Calls;

/// <summary>Calls and their transcript turns in Postgres. Every write can join the caller's transaction.</summary>
public sealed class CallStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Columns = """
        id, lead_id, campaign_id, direction, provider, provider_call_id, from_number, to_number, status, answered_by,
        created_at, started_at, answered_at, ended_at, duration_seconds, disposition, recording_url, summary,
        extracted::text AS extracted, analysis::text AS analysis, model, input_tokens, output_tokens, error, erased_at, updated_at, recording_key, cost_usd, cost_detail::text AS cost_detail
        """;

    public async Task<Call> CreateAsync(NewCall call, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        var now = clock.GetUtcNow();
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"""
            INSERT INTO calls (id, lead_id, campaign_id, direction, provider, provider_call_id, from_number, to_number, status, model, created_at, updated_at)
            VALUES (@id, @lead_id, @campaign_id, @direction, @provider, @provider_call_id, @from_number, @to_number, @status, @model, @now, @now)
            RETURNING {Columns}
            """, transaction, cancellationToken);
        scope.With("id", call.Id ?? Guid.CreateVersion7(now));
        scope.With("lead_id", call.LeadId);
        scope.With("campaign_id", call.CampaignId);
        scope.With("direction", call.Direction);
        scope.With("provider", call.Provider);
        scope.With("provider_call_id", call.ProviderCallId);
        scope.With("from_number", call.FromNumber);
        scope.With("to_number", call.ToNumber);
        scope.With("status", call.Status);
        scope.With("model", call.Model);
        scope.With("now", now);
        return (await ReadAsync(scope.Command, cancellationToken)).Single();
    }

    public async Task<Call?> GetAsync(Guid id, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"SELECT {Columns} FROM calls WHERE id = @id", transaction, cancellationToken);
        scope.With("id", id);
        return (await ReadAsync(scope.Command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Locks the call row (SELECT ... FOR UPDATE) inside the caller's transaction.</summary>
    public async Task<Call?> GetForUpdateAsync(Guid id, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"SELECT {Columns} FROM calls WHERE id = @id FOR UPDATE", transaction, cancellationToken);
        scope.With("id", id);
        return (await ReadAsync(scope.Command, cancellationToken)).SingleOrDefault();
    }

    public async Task<Call?> GetByProviderCallIdAsync(string provider, string providerCallId, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"""
            SELECT {Columns} FROM calls WHERE provider = @provider AND provider_call_id = @provider_call_id
            """, transaction, cancellationToken);
        scope.With("provider", provider);
        scope.With("provider_call_id", providerCallId);
        return (await ReadAsync(scope.Command, cancellationToken)).SingleOrDefault();
    }

    public async Task<Page<Call>> ListAsync(CallQuery query, CancellationToken cancellationToken)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"""
            SELECT {Columns} FROM calls
            WHERE (@campaign_id::uuid IS NULL OR campaign_id = @campaign_id)
              AND (@lead_id::uuid IS NULL OR lead_id = @lead_id)
              AND (@status::text IS NULL OR status = @status)
              AND (@disposition::text IS NULL OR disposition = @disposition)
              AND (@after::uuid IS NULL OR id > @after)
            ORDER BY id
            LIMIT @limit
            """, null, cancellationToken);
        scope.With("campaign_id", query.CampaignId);
        scope.With("lead_id", query.LeadId);
        scope.With("status", query.Status);
        scope.With("disposition", query.Disposition);
        scope.With("after", query.After);
        scope.With("limit", query.Limit + 1);
        var rows = await ReadAsync(scope.Command, cancellationToken);
        return rows.Count > query.Limit
            ? new Page<Call>(rows.Take(query.Limit).ToList(), rows[query.Limit - 1].Id)
            : new Page<Call>(rows, null);
    }

    /// <summary>Records the provider's id once the call is placed.</summary>
    public async Task<bool> SetProviderCallIdAsync(Guid id, string providerCallId, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            UPDATE calls SET provider_call_id = @provider_call_id, updated_at = @now WHERE id = @id
            """, transaction, cancellationToken);
        scope.With("id", id);
        scope.With("provider_call_id", providerCallId);
        scope.With("now", clock.GetUtcNow());
        return await scope.Command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Applies a telephony status event, forward only (<see cref="CallStatuses.Rank"/>): a status ranked at or below the
    /// stored one (a late, repeated or reordered event, or the place-call job's own result arriving after the provider's
    /// callback) leaves the status as it is, and the first final status wins. Null fields keep their stored value;
    /// the first end time wins. Returns what changed, or null when the call does not exist.
    /// </summary>
    public async Task<CallStatusChange?> UpdateStatusAsync(Guid id, CallStatusUpdate update, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(update);
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            WITH current AS (
                SELECT id, status AS previous,
                       CASE WHEN status = ANY(@final) THEN @final_rank ELSE array_position(@live, status) - 1 END AS previous_rank
                FROM calls WHERE id = @id FOR UPDATE)
            UPDATE calls SET
                status = CASE WHEN @rank > current.previous_rank THEN @status ELSE calls.status END,
                answered_by = COALESCE(@answered_by, answered_by),
                started_at = COALESCE(started_at, @started_at::timestamptz),
                answered_at = COALESCE(answered_at, @answered_at::timestamptz),
                ended_at = COALESCE(ended_at, CASE WHEN @rank > current.previous_rank THEN @ended_at::timestamptz END),
                duration_seconds = COALESCE(@duration_seconds, duration_seconds),
                error = COALESCE(@error, error),
                updated_at = @now
            FROM current
            WHERE calls.id = current.id
            RETURNING current.previous, calls.status, calls.lead_id, calls.campaign_id, calls.direction
            """, transaction, cancellationToken);
        scope.With("id", id);
        scope.With("status", update.Status);
        scope.With("rank", CallStatuses.Rank(update.Status));
        scope.With("final", CallStatuses.Final.ToArray());
        scope.With("final_rank", CallStatuses.Live.Count);
        scope.With("live", CallStatuses.Live.ToArray());
        scope.With("answered_by", update.AnsweredBy);
        scope.With("started_at", update.StartedAt?.ToUniversalTime());
        scope.With("answered_at", update.AnsweredAt?.ToUniversalTime());
        scope.With("ended_at", update.EndedAt?.ToUniversalTime());
        scope.With("duration_seconds", update.DurationSeconds);
        scope.With("error", update.Error is { Length: > 1000 } text ? text[..1000] : update.Error);
        scope.With("now", clock.GetUtcNow());
        await using var reader = await scope.Command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new CallStatusChange(
            id,
            reader.GetString(0),
            reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetGuid(2),
            reader.IsDBNull(3) ? null : reader.GetGuid(3),
            reader.GetString(4));
    }

    /// <summary>
    /// The place-call job's claim, just before dialling: queued → initiated (started now). False when the call was not
    /// queued any more (someone else claimed, cancelled or reaped it).
    /// </summary>
    public async Task<bool> ClaimForDialAsync(Guid id, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        var now = clock.GetUtcNow();
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            UPDATE calls SET status = 'initiated', started_at = @now, updated_at = @now WHERE id = @id AND status = 'queued'
            """, transaction, cancellationToken);
        scope.With("id", id);
        scope.With("now", now);
        return await scope.Command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Calls that hold a slot and have had no event (no status change, no transcript turn) for longer than the bound
    /// of their status, oldest first, locked (<c>SKIP LOCKED</c>: several Workers share the work).
    /// </summary>
    public async Task<IReadOnlyList<Call>> ListStaleAsync(IReadOnlyDictionary<string, TimeSpan> bounds, int limit, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        var now = clock.GetUtcNow();
        var statuses = bounds.Keys.ToArray();
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"""
            SELECT {Columns} FROM calls
            JOIN unnest(@statuses, @cutoffs) AS bound (bound_status, cutoff) ON bound.bound_status = calls.status
            WHERE calls.status = ANY(@statuses)
              AND calls.updated_at < bound.cutoff
              AND NOT EXISTS (SELECT 1 FROM call_turns t WHERE t.call_id = calls.id AND t.started_at >= bound.cutoff)
            ORDER BY calls.updated_at
            LIMIT @limit
            FOR UPDATE OF calls SKIP LOCKED
            """, transaction, cancellationToken);
        scope.With("statuses", statuses);
        scope.With("cutoffs", statuses.Select(status => now - bounds[status]).ToArray());
        scope.With("limit", limit);
        return await ReadAsync(scope.Command, cancellationToken);
    }

    /// <summary>Who answered (answering-machine detection: human, machine, unknown); the status is left alone.</summary>
    public async Task<bool> SetAnsweredByAsync(Guid id, string answeredBy, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            UPDATE calls SET answered_by = @answered_by, updated_at = @now WHERE id = @id
            """, transaction, cancellationToken);
        scope.With("id", id);
        scope.With("answered_by", answeredBy);
        scope.With("now", clock.GetUtcNow());
        return await scope.Command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Records the business outcome: disposition, and (when given) summary, extracted fields merged in, recording.</summary>
    public async Task<bool> RecordOutcomeAsync(Guid id, CallOutcome outcome, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            UPDATE calls SET
                disposition = COALESCE(@disposition, disposition),
                summary = COALESCE(@summary, summary),
                extracted = extracted || COALESCE(@extracted, '{}'::jsonb),
                recording_url = COALESCE(@recording_url, recording_url),
                updated_at = @now
            WHERE id = @id AND erased_at IS NULL
            """, transaction, cancellationToken);
        scope.With("id", id);
        scope.With("disposition", outcome.Disposition);
        scope.With("summary", outcome.Summary);
        scope.Command.AddJsonb("extracted", outcome.Extracted);
        scope.With("recording_url", outcome.RecordingUrl);
        scope.With("now", clock.GetUtcNow());
        return await scope.Command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Stores post-call analysis (replacing an earlier one: analysis is idempotent) and its summary.</summary>
    public async Task<bool> SaveAnalysisAsync(Guid id, string? summary, JsonObject analysis, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            UPDATE calls SET analysis = @analysis, summary = COALESCE(@summary, summary), updated_at = @now
            WHERE id = @id AND erased_at IS NULL
            """, transaction, cancellationToken);
        scope.With("id", id);
        scope.Command.AddJsonb("analysis", analysis);
        scope.With("summary", summary);
        scope.With("now", clock.GetUtcNow());
        return await scope.Command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Adds model token usage to the call's running totals.</summary>
    public async Task<bool> AddTokenUsageAsync(Guid id, long inputTokens, long outputTokens, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            UPDATE calls SET input_tokens = input_tokens + @input, output_tokens = output_tokens + @output, updated_at = @now WHERE id = @id
            """, transaction, cancellationToken);
        scope.With("id", id);
        scope.With("input", inputTokens);
        scope.With("output", outputTokens);
        scope.With("now", clock.GetUtcNow());
        return await scope.Command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Appends a transcript turn. Seq is the caller's (one writer per call); re-saving the same seq replaces it.</summary>
    public async Task AppendTurnAsync(CallTurn turn, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            INSERT INTO call_turns (call_id, seq, speaker, text, started_at, ended_at, interrupted, input_tokens, output_tokens)
            VALUES (@call_id, @seq, @speaker, @text, @started_at, @ended_at, @interrupted, @input_tokens, @output_tokens)
            ON CONFLICT (call_id, seq) DO UPDATE SET speaker = EXCLUDED.speaker, text = EXCLUDED.text,
                started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, interrupted = EXCLUDED.interrupted,
                input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens
            """, transaction, cancellationToken);
        scope.With("call_id", turn.CallId);
        scope.With("seq", turn.Seq);
        scope.With("speaker", turn.Speaker);
        scope.With("text", turn.Text);
        scope.With("started_at", turn.StartedAt.ToUniversalTime());
        scope.With("ended_at", turn.EndedAt?.ToUniversalTime());
        scope.With("interrupted", turn.Interrupted);
        scope.With("input_tokens", turn.InputTokens);
        scope.With("output_tokens", turn.OutputTokens);
        await scope.Command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<CallTurn>> GetTranscriptAsync(Guid callId, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            SELECT call_id, seq, speaker, text, started_at, ended_at, interrupted, input_tokens, output_tokens
            FROM call_turns WHERE call_id = @call_id ORDER BY seq
            """, transaction, cancellationToken);
        scope.With("call_id", callId);
        return await scope.Command.ReadListAsync(reader => new CallTurn
        {
            CallId = reader.Get<Guid>("call_id"),
            Seq = reader.Get<int>("seq"),
            Speaker = reader.Get<string>("speaker"),
            Text = reader.Get<string>("text"),
            StartedAt = reader.Get<DateTimeOffset>("started_at"),
            EndedAt = reader.GetOrNull<DateTimeOffset>("ended_at"),
            Interrupted = reader.Get<bool>("interrupted"),
            InputTokens = reader.GetOrNull<long>("input_tokens"),
            OutputTokens = reader.GetOrNull<long>("output_tokens"),
        }, cancellationToken);
    }

    private static async Task<IReadOnlyList<Call>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        return await command.ReadListAsync(reader => new Call
        {
            Id = reader.Get<Guid>("id"),
            LeadId = reader.GetOrNull<Guid>("lead_id"),
            CampaignId = reader.GetOrNull<Guid>("campaign_id"),
            Direction = reader.Get<string>("direction"),
            Provider = reader.Get<string>("provider"),
            ProviderCallId = reader.GetStringOrNull("provider_call_id"),
            FromNumber = reader.GetStringOrNull("from_number"),
            ToNumber = reader.GetStringOrNull("to_number"),
            Status = reader.Get<string>("status"),
            AnsweredBy = reader.GetStringOrNull("answered_by"),
            CreatedAt = reader.Get<DateTimeOffset>("created_at"),
            StartedAt = reader.GetOrNull<DateTimeOffset>("started_at"),
            AnsweredAt = reader.GetOrNull<DateTimeOffset>("answered_at"),
            EndedAt = reader.GetOrNull<DateTimeOffset>("ended_at"),
            DurationSeconds = reader.GetOrNull<int>("duration_seconds"),
            Disposition = reader.GetStringOrNull("disposition"),
            RecordingUrl = reader.GetStringOrNull("recording_url"),
            RecordingKey = reader.GetStringOrNull("recording_key"),
            CostUsd = reader.GetOrNull<decimal>("cost_usd"),
            CostDetail = reader.GetStringOrNull("cost_detail") is { } costDetail ? System.Text.Json.Nodes.JsonNode.Parse(costDetail)?.AsObject() : null,
            Summary = reader.GetStringOrNull("summary"),
            Extracted = reader.GetJsonObject("extracted"),
            Analysis = reader.GetJsonObjectOrNull("analysis"),
            Model = reader.GetStringOrNull("model"),
            InputTokens = reader.Get<long>("input_tokens"),
            OutputTokens = reader.Get<long>("output_tokens"),
            Error = reader.GetStringOrNull("error"),
            ErasedAt = reader.GetOrNull<DateTimeOffset>("erased_at"),
            UpdatedAt = reader.Get<DateTimeOffset>("updated_at"),
        }, cancellationToken);
    }
}

/// <summary>What a status event did to a call: its status before and after (equal when the event was stale).</summary>
public sealed record CallStatusChange(Guid CallId, string Previous, string Current, Guid? LeadId, Guid? CampaignId, string Direction)
{
    /// <summary>True once, for the event that gave the call its final status.</summary>
    public bool BecameFinal => !CallStatuses.Final.Contains(Previous) && CallStatuses.Final.Contains(Current);
}

/// <summary>A telephony status event; null fields keep what is stored.</summary>
public sealed record CallStatusUpdate
{
    public required string Status { get; init; }

    public string? AnsweredBy { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public int? DurationSeconds { get; init; }

    public string? Error { get; init; }
}

/// <summary>The business outcome of a call; null fields keep what is stored, extracted fields are merged in.</summary>
public sealed record CallOutcome
{
    public string? Disposition { get; init; }

    public string? Summary { get; init; }

    public JsonObject? Extracted { get; init; }

    public string? RecordingUrl { get; init; }
}
