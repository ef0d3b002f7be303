using System.Text.Json;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Persistence;
using Npgsql;

namespace LeadGen.Core.Campaigns;

/// <summary>Campaign rows in Postgres. Every method can join the caller's transaction.</summary>
public sealed class CampaignStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Columns = """
        id, name, status, description, persona_name, agent_instructions, language, voice, company_name, company_facts,
        product_name, product_facts, qualification_questions::text AS qualification_questions, calling_window_start,
        calling_window_end, default_time_zone, max_attempts, retry_spacing_minutes, caller_id, transfer_number,
        consent_required, voicemail_action, voicemail_message, max_concurrent_calls, voice_mode,
        turn_start_sensitivity, turn_end_sensitivity, turn_prefix_padding_ms, turn_silence_ms, barge_in, record_calls,
        created_at, updated_at
        """;

    private const string SettingsAssignments = """
        description = @description, persona_name = @persona_name, agent_instructions = @agent_instructions,
        language = @language, voice = @voice, company_name = @company_name, company_facts = @company_facts,
        product_name = @product_name, product_facts = @product_facts, qualification_questions = @qualification_questions,
        calling_window_start = @calling_window_start, calling_window_end = @calling_window_end,
        default_time_zone = @default_time_zone, max_attempts = @max_attempts, retry_spacing_minutes = @retry_spacing_minutes,
        caller_id = @caller_id, transfer_number = @transfer_number, consent_required = @consent_required,
        voicemail_action = @voicemail_action, voicemail_message = @voicemail_message,
        max_concurrent_calls = @max_concurrent_calls, voice_mode = @voice_mode,
        turn_start_sensitivity = @turn_start_sensitivity, turn_end_sensitivity = @turn_end_sensitivity,
        turn_prefix_padding_ms = @turn_prefix_padding_ms, turn_silence_ms = @turn_silence_ms, barge_in = @barge_in,
        record_calls = @record_calls
        """;

    public async Task<Campaign> CreateAsync(string name, CampaignSettings settings, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        var now = clock.GetUtcNow();
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"""
            INSERT INTO campaigns (id, name, status, created_at, updated_at) VALUES (@id, @name, 'draft', @now, @now);
            UPDATE campaigns SET {SettingsAssignments} WHERE id = @id RETURNING {Columns}
            """, transaction, cancellationToken);
        scope.With("id", Guid.CreateVersion7(now));
        scope.With("name", name);
        scope.With("now", now);
        AddSettings(scope.Command, settings);
        return (await ReadAsync(scope.Command, cancellationToken)).Single();
    }

    public async Task<Campaign?> GetAsync(Guid id, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"SELECT {Columns} FROM campaigns WHERE id = @id", transaction, cancellationToken);
        scope.With("id", id);
        return (await ReadAsync(scope.Command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>
    /// The campaign that calls from <paramref name="callerId"/> (the number an inbound caller dialled back), running
    /// campaigns first, then the newest; null when none uses that number.
    /// </summary>
    public async Task<Campaign?> FindByCallerIdAsync(string callerId, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"""
            SELECT {Columns} FROM campaigns WHERE caller_id = @caller_id ORDER BY (status = 'running') DESC, id DESC LIMIT 1
            """, transaction, cancellationToken);
        scope.With("caller_id", callerId);
        return (await ReadAsync(scope.Command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Campaigns in id (creation) order, after <paramref name="after"/> when given (keyset paging).</summary>
    public async Task<IReadOnlyList<Campaign>> ListAsync(string? status, Guid? after, int limit, CancellationToken cancellationToken)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"""
            SELECT {Columns} FROM campaigns
            WHERE (@status::text IS NULL OR status = @status) AND (@after::uuid IS NULL OR id > @after)
            ORDER BY id LIMIT @limit
            """, null, cancellationToken);
        scope.With("status", status);
        scope.With("after", after);
        scope.With("limit", limit);
        return await ReadAsync(scope.Command, cancellationToken);
    }

    /// <summary>Replaces name and settings; null when the campaign does not exist.</summary>
    public async Task<Campaign?> UpdateAsync(Guid id, string name, CampaignSettings settings, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"""
            UPDATE campaigns SET name = @name, updated_at = @now, {SettingsAssignments} WHERE id = @id RETURNING {Columns}
            """, transaction, cancellationToken);
        scope.With("id", id);
        scope.With("name", name);
        scope.With("now", clock.GetUtcNow());
        AddSettings(scope.Command, settings);
        return (await ReadAsync(scope.Command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>
    /// Moves the campaign to <paramref name="to"/> if its current status is one of <paramref name="allowedFrom"/>.
    /// Atomic (a single conditional UPDATE), so two operators racing start/pause cannot both win.
    /// </summary>
    public async Task<StatusChange> ChangeStatusAsync(Guid id, IReadOnlyCollection<string> allowedFrom, string to, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"""
            WITH current AS (SELECT status FROM campaigns WHERE id = @id FOR UPDATE),
                 changed AS (UPDATE campaigns SET status = @to, updated_at = @now WHERE id = @id AND status = ANY(@from) RETURNING id)
            SELECT (SELECT status FROM current) AS previous, EXISTS (SELECT 1 FROM changed) AS changed
            """, transaction, cancellationToken);
        scope.With("id", id);
        scope.With("to", to);
        scope.With("from", allowedFrom.ToArray());
        scope.With("now", clock.GetUtcNow());
        await using var reader = await scope.Command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var previous = reader.GetStringOrNull("previous");
        var changed = reader.Get<bool>("changed");
        return previous is null ? StatusChange.NotFound : new StatusChange(true, changed, previous);
    }

    /// <summary>Deletes a campaign that has no leads, calls or imports; otherwise reports why it cannot.</summary>
    public async Task<DeleteOutcome> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, "DELETE FROM campaigns WHERE id = @id", null, cancellationToken);
        scope.With("id", id);
        try
        {
            return await scope.Command.ExecuteNonQueryAsync(cancellationToken) == 1 ? DeleteOutcome.Deleted : DeleteOutcome.NotFound;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return DeleteOutcome.InUse;
        }
    }

    private static void AddSettings(NpgsqlCommand command, CampaignSettings settings)
    {
        void Add(string name, object? value) => command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        Add("description", settings.Description);
        Add("persona_name", settings.PersonaName);
        Add("agent_instructions", settings.AgentInstructions);
        Add("language", settings.Language);
        Add("voice", settings.Voice);
        Add("company_name", settings.CompanyName);
        Add("company_facts", settings.CompanyFacts);
        Add("product_name", settings.ProductName);
        Add("product_facts", settings.ProductFacts);
        command.AddJsonb("qualification_questions", settings.QualificationQuestions);
        Add("calling_window_start", settings.CallingWindowStart);
        Add("calling_window_end", settings.CallingWindowEnd);
        Add("default_time_zone", settings.DefaultTimeZone);
        Add("max_attempts", settings.MaxAttempts);
        Add("retry_spacing_minutes", settings.RetrySpacingMinutes);
        Add("caller_id", settings.CallerId);
        Add("transfer_number", settings.TransferNumber);
        Add("consent_required", settings.ConsentRequired);
        Add("voicemail_action", settings.VoicemailAction);
        Add("voicemail_message", settings.VoicemailMessage);
        Add("max_concurrent_calls", settings.MaxConcurrentCalls);
        Add("voice_mode", settings.VoiceMode);
        Add("turn_start_sensitivity", settings.TurnTaking.StartSensitivity == SpeechSensitivity.High ? "high" : "low");
        Add("turn_end_sensitivity", settings.TurnTaking.EndSensitivity == SpeechSensitivity.High ? "high" : "low");
        Add("turn_prefix_padding_ms", settings.TurnTaking.PrefixPaddingMs);
        Add("turn_silence_ms", settings.TurnTaking.SilenceDurationMs);
        Add("barge_in", settings.TurnTaking.InterruptOnSpeech);
        Add("record_calls", settings.RecordCalls);
    }

    private static async Task<IReadOnlyList<Campaign>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var campaigns = new List<Campaign>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        do
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                campaigns.Add(Map(reader));
            }
        }
        while (await reader.NextResultAsync(cancellationToken));

        return campaigns;
    }

    private static Campaign Map(NpgsqlDataReader reader) => new()
    {
        Id = reader.Get<Guid>("id"),
        Name = reader.Get<string>("name"),
        Status = reader.Get<string>("status"),
        CreatedAt = reader.Get<DateTimeOffset>("created_at"),
        UpdatedAt = reader.Get<DateTimeOffset>("updated_at"),
        Settings = new CampaignSettings
        {
            Description = reader.GetStringOrNull("description"),
            PersonaName = reader.Get<string>("persona_name"),
            AgentInstructions = reader.GetStringOrNull("agent_instructions"),
            Language = reader.Get<string>("language"),
            Voice = reader.GetStringOrNull("voice"),
            CompanyName = reader.GetStringOrNull("company_name"),
            CompanyFacts = reader.GetStringOrNull("company_facts"),
            ProductName = reader.GetStringOrNull("product_name"),
            ProductFacts = reader.GetStringOrNull("product_facts"),
            QualificationQuestions = JsonSerializer.Deserialize<List<QualificationQuestion>>(reader.Get<string>("qualification_questions"), JsonDefaults.Options) ?? [],
            CallingWindowStart = reader.Get<TimeOnly>("calling_window_start"),
            CallingWindowEnd = reader.Get<TimeOnly>("calling_window_end"),
            DefaultTimeZone = reader.GetStringOrNull("default_time_zone"),
            MaxAttempts = reader.Get<int>("max_attempts"),
            RetrySpacingMinutes = reader.Get<int>("retry_spacing_minutes"),
            CallerId = reader.GetStringOrNull("caller_id"),
            TransferNumber = reader.GetStringOrNull("transfer_number"),
            ConsentRequired = reader.Get<bool>("consent_required"),
            VoicemailAction = reader.Get<string>("voicemail_action"),
            VoicemailMessage = reader.GetStringOrNull("voicemail_message"),
            MaxConcurrentCalls = reader.GetOrNull<int>("max_concurrent_calls"),
            VoiceMode = reader.Get<string>("voice_mode"),
            TurnTaking = new RealtimeTurnTaking(
                reader.Get<string>("turn_start_sensitivity") == "high" ? SpeechSensitivity.High : SpeechSensitivity.Low,
                reader.Get<string>("turn_end_sensitivity") == "high" ? SpeechSensitivity.High : SpeechSensitivity.Low,
                reader.Get<int>("turn_prefix_padding_ms"),
                reader.Get<int>("turn_silence_ms"),
                reader.Get<bool>("barge_in")),
            RecordCalls = reader.Get<bool>("record_calls"),
        },
    };
}

/// <param name="Found">False when the campaign does not exist.</param>
/// <param name="Changed">True when the status was changed now.</param>
/// <param name="PreviousStatus">The status before the call (null when not found).</param>
public sealed record StatusChange(bool Found, bool Changed, string? PreviousStatus)
{
    public static StatusChange NotFound { get; } = new(false, false, null);
}

public enum DeleteOutcome
{
    Deleted,
    NotFound,
    InUse,
}
