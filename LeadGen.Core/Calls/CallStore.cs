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
        extracted::text AS extracted, analysis::text AS analysis, model, input_tokens, output_tokens, error, erased_at, updated_at
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
    /// Applies a telephony status event. Fields left null keep their stored value; a final status is never
    /// overwritten by a late non-final one (webhooks arrive out of order).
    /// </summary>
    public async Task<bool> UpdateStatusAsync(Guid id, CallStatusUpdate update, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            UPDATE calls SET
                status = CASE WHEN status = ANY(@final) AND NOT (@status = ANY(@final)) THEN status ELSE @status END,
                answered_by = COALESCE(@answered_by, answered_by),
                started_at = COALESCE(started_at, @started_at),
                answered_at = COALESCE(answered_at, @answered_at),
                ended_at = COALESCE(@ended_at, ended_at),
                duration_seconds = COALESCE(@duration_seconds, duration_seconds),
                error = COALESCE(@error, error),
                updated_at = @now
            WHERE id = @id
            """, transaction, cancellationToken);
        scope.With("id", id);
        scope.With("status", update.Status);
        scope.With("final", CallStatuses.Final.ToArray());
        scope.With("answered_by", update.AnsweredBy);
        scope.With("started_at", update.StartedAt?.ToUniversalTime());
        scope.With("answered_at", update.AnsweredAt?.ToUniversalTime());
        scope.With("ended_at", update.EndedAt?.ToUniversalTime());
        scope.With("duration_seconds", update.DurationSeconds);
        scope.With("error", update.Error);
        scope.With("now", clock.GetUtcNow());
        return await scope.Command.ExecuteNonQueryAsync(cancellationToken) == 1;
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
            INSERT INTO call_turns (call_id, seq, speaker, text, started_at, ended_at, interrupted)
            VALUES (@call_id, @seq, @speaker, @text, @started_at, @ended_at, @interrupted)
            ON CONFLICT (call_id, seq) DO UPDATE SET speaker = EXCLUDED.speaker, text = EXCLUDED.text,
                started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, interrupted = EXCLUDED.interrupted
            """, transaction, cancellationToken);
        scope.With("call_id", turn.CallId);
        scope.With("seq", turn.Seq);
        scope.With("speaker", turn.Speaker);
        scope.With("text", turn.Text);
        scope.With("started_at", turn.StartedAt.ToUniversalTime());
        scope.With("ended_at", turn.EndedAt?.ToUniversalTime());
        scope.With("interrupted", turn.Interrupted);
        await scope.Command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<CallTurn>> GetTranscriptAsync(Guid callId, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            SELECT call_id, seq, speaker, text, started_at, ended_at, interrupted FROM call_turns WHERE call_id = @call_id ORDER BY seq
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
