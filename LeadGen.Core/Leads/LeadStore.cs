using System.Text;
using System.Text.Json.Nodes;
using LeadGen.Core.Persistence;
using Npgsql;

namespace LeadGen.Core.Leads;

/// <summary>Lead rows in Postgres. Every write can join the caller's transaction (e.g. with an outbox row).</summary>
public sealed class LeadStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    internal const string Columns = """
        id, campaign_id, name, phone, email, company, role, time_zone, source, consent_given_at, consent_method, status,
        attempts, next_attempt_at, last_attempt_at, score, qualification::text AS qualification, import_id, erased_at,
        created_at, updated_at
        """;

    /// <summary>Inserts a lead; a number on the do-not-call list is stored with status do_not_call. Null on a duplicate phone.</summary>
    public async Task<Lead?> CreateAsync(Guid campaignId, NewLead lead, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        var now = clock.GetUtcNow();
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"""
            INSERT INTO leads (id, campaign_id, name, phone, email, company, role, time_zone, source, consent_given_at,
                               consent_method, status, created_at, updated_at)
            VALUES (@id, @campaign_id, @name, @phone, @email, @company, @role, @time_zone, @source, @consent_given_at,
                    @consent_method,
                    CASE WHEN EXISTS (SELECT 1 FROM do_not_call WHERE phone = @phone) THEN 'do_not_call' ELSE 'new' END,
                    @now, @now)
            ON CONFLICT (campaign_id, phone) DO NOTHING
            RETURNING {Columns}
            """, transaction, cancellationToken);
        scope.With("id", Guid.CreateVersion7(now));
        scope.With("campaign_id", campaignId);
        scope.With("name", lead.Name);
        scope.With("phone", lead.Phone);
        scope.With("email", lead.Email);
        scope.With("company", lead.Company);
        scope.With("role", lead.Role);
        scope.With("time_zone", lead.TimeZone);
        scope.With("source", lead.Source);
        scope.With("consent_given_at", lead.ConsentGivenAt?.ToUniversalTime());
        scope.With("consent_method", lead.ConsentMethod);
        scope.With("now", now);
        return (await ReadAsync(scope.Command, cancellationToken)).SingleOrDefault();
    }

    public async Task<Lead?> GetAsync(Guid id, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"SELECT {Columns} FROM leads WHERE id = @id", transaction, cancellationToken);
        scope.With("id", id);
        return (await ReadAsync(scope.Command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Locks the lead row (SELECT ... FOR UPDATE) inside the caller's transaction.</summary>
    public async Task<Lead?> GetForUpdateAsync(Guid id, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"SELECT {Columns} FROM leads WHERE id = @id FOR UPDATE", transaction, cancellationToken);
        scope.With("id", id);
        return (await ReadAsync(scope.Command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Non-erased leads with this number in any campaign (inbound calls, do-not-call propagation).</summary>
    public async Task<IReadOnlyList<Lead>> FindByPhoneAsync(string phone, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"SELECT {Columns} FROM leads WHERE phone = @phone ORDER BY id", transaction, cancellationToken);
        scope.With("phone", phone);
        return await ReadAsync(scope.Command, cancellationToken);
    }

    public async Task<Page<Lead>> ListAsync(LeadQuery query, CancellationToken cancellationToken)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"""
            SELECT {Columns} FROM leads
            WHERE (@campaign_id::uuid IS NULL OR campaign_id = @campaign_id)
              AND (@status::text IS NULL OR status = @status)
              AND (@phone::text IS NULL OR phone = @phone)
              AND (@search::text IS NULL OR name ILIKE @search OR email ILIKE @search OR company ILIKE @search)
              AND (@after::uuid IS NULL OR id > @after)
            ORDER BY id
            LIMIT @limit
            """, null, cancellationToken);
        scope.With("campaign_id", query.CampaignId);
        scope.With("status", query.Status);
        scope.With("phone", query.Phone);
        scope.With("search", query.Search is null ? null : "%" + EscapeLike(query.Search) + "%");
        scope.With("after", query.After);
        scope.With("limit", query.Limit + 1);
        var rows = await ReadAsync(scope.Command, cancellationToken);
        return rows.Count > query.Limit
            ? new Page<Lead>(rows.Take(query.Limit).ToList(), rows[query.Limit - 1].Id)
            : new Page<Lead>(rows, null);
    }

    /// <summary>Applies the present fields of <paramref name="patch"/>. Erased leads cannot be changed.</summary>
    public async Task<LeadUpdate> UpdateAsync(Guid id, LeadPatch patch, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        var assignments = new StringBuilder("updated_at = @now");
        var parameters = new List<(string Name, object? Value)> { ("id", id), ("now", clock.GetUtcNow()) };
        void Set<T>(string column, PatchField<T> field, Func<T, object?>? convert = null)
        {
            if (field.HasValue)
            {
                assignments.Append(", ").Append(column).Append(" = @").Append(column);
                parameters.Add((column, convert is null ? field.Value : convert(field.Value)));
            }
        }

        Set("name", patch.Name);
        Set("phone", patch.Phone);
        Set("email", patch.Email);
        Set("company", patch.Company);
        Set("role", patch.Role);
        Set("time_zone", patch.TimeZone);
        Set("source", patch.Source);
        Set("consent_given_at", patch.ConsentGivenAt, value => value?.ToUniversalTime());
        Set("consent_method", patch.ConsentMethod);
        Set("status", patch.Status);
        Set("next_attempt_at", patch.NextAttemptAt, value => value?.ToUniversalTime());
        Set("score", patch.Score);
        if (patch.Qualification.HasValue)
        {
            assignments.Append(", qualification = @qualification");
        }

        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"""
            UPDATE leads SET {assignments} WHERE id = @id AND erased_at IS NULL RETURNING {Columns}
            """, transaction, cancellationToken);
        foreach (var (name, value) in parameters)
        {
            scope.With(name, value);
        }

        if (patch.Qualification.HasValue)
        {
            scope.Command.AddJsonb("qualification", patch.Qualification.Value);
        }

        try
        {
            var updated = (await ReadAsync(scope.Command, cancellationToken)).SingleOrDefault();
            if (updated is not null)
            {
                return new LeadUpdate(LeadUpdateOutcome.Updated, updated);
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return new LeadUpdate(LeadUpdateOutcome.DuplicatePhone, null);
        }

        var existing = await GetAsync(id, cancellationToken, transaction);
        return new LeadUpdate(existing is null ? LeadUpdateOutcome.NotFound : LeadUpdateOutcome.Erased, existing);
    }

    /// <summary>Sets the lifecycle status (and optionally when to try next) — the dialer's and the agent's write.</summary>
    public async Task<bool> SetStatusAsync(Guid id, string status, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            UPDATE leads SET status = @status, next_attempt_at = @next_attempt_at, updated_at = @now WHERE id = @id
            """, transaction, cancellationToken);
        scope.With("id", id);
        scope.With("status", status);
        scope.With("next_attempt_at", nextAttemptAt?.ToUniversalTime());
        scope.With("now", clock.GetUtcNow());
        return await scope.Command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Compare-and-set on status: moves the lead to <paramref name="to"/> only if it is currently in one of
    /// <paramref name="allowedFrom"/>. False when it was not (someone else moved it first).
    /// </summary>
    public async Task<bool> TryTransitionAsync(Guid id, IReadOnlyCollection<string> allowedFrom, string to, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            UPDATE leads SET status = @to, updated_at = @now WHERE id = @id AND status = ANY(@from)
            """, transaction, cancellationToken);
        scope.With("id", id);
        scope.With("to", to);
        scope.With("from", allowedFrom.ToArray());
        scope.With("now", clock.GetUtcNow());
        return await scope.Command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Counts a call attempt now: attempts + 1, last_attempt_at = now.</summary>
    public async Task<bool> RecordAttemptAsync(Guid id, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        var now = clock.GetUtcNow();
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            UPDATE leads SET attempts = attempts + 1, last_attempt_at = @now, updated_at = @now WHERE id = @id
            """, transaction, cancellationToken);
        scope.With("id", id);
        scope.With("now", now);
        return await scope.Command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// The place-call job's write when it claims a call: the lead is being called (queued → calling), its attempt is
    /// counted now and its due time is cleared. False when the lead was not queued.
    /// </summary>
    public async Task<bool> StartAttemptAsync(Guid id, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        var now = clock.GetUtcNow();
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            UPDATE leads SET status = 'calling', attempts = attempts + 1, last_attempt_at = @now, next_attempt_at = NULL, updated_at = @now
            WHERE id = @id AND status = 'queued'
            """, transaction, cancellationToken);
        scope.With("id", id);
        scope.With("now", now);
        return await scope.Command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// What deciding a lead's next step after its call ended needs, read with the lead locked (FOR UPDATE): its status
    /// and attempts, its campaign's retry rules, whether a booked callback is pending, and whether another call to the
    /// lead is still live. Null when the lead does not exist.
    /// </summary>
    public async Task<LeadAfterCallFacts?> GetAfterCallFactsAsync(Guid id, Guid endedCallId, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            SELECT l.status, l.attempts, l.last_attempt_at, c.max_attempts, c.retry_spacing_minutes,
                   EXISTS (SELECT 1 FROM callbacks b WHERE b.lead_id = l.id AND b.status = 'scheduled') AS callback_booked,
                   EXISTS (SELECT 1 FROM calls o WHERE o.lead_id = l.id AND o.id <> @call_id
                             AND o.status IN ('queued', 'initiated', 'ringing', 'in_progress')) AS other_live_call
            FROM leads l JOIN campaigns c ON c.id = l.campaign_id
            WHERE l.id = @id
            FOR UPDATE OF l
            """, transaction, cancellationToken);
        scope.With("id", id);
        scope.With("call_id", endedCallId);
        var rows = await scope.Command.ReadListAsync(reader => new LeadAfterCallFacts(
            reader.Get<string>("status"),
            reader.Get<int>("attempts"),
            reader.GetOrNull<DateTimeOffset>("last_attempt_at"),
            reader.Get<int>("max_attempts"),
            TimeSpan.FromMinutes(reader.Get<int>("retry_spacing_minutes")),
            reader.Get<bool>("callback_booked"),
            reader.Get<bool>("other_live_call")), cancellationToken);
        return rows.SingleOrDefault();
    }

    /// <summary>
    /// Compare-and-set of the dialer's lead states: moves the lead to <paramref name="to"/> due at
    /// <paramref name="nextAttemptAt"/> only if it is still in <paramref name="from"/>. False when it was not.
    /// </summary>
    public async Task<bool> TryMoveAsync(Guid id, string from, string to, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            UPDATE leads SET status = @to, next_attempt_at = @next_attempt_at, updated_at = @now WHERE id = @id AND status = @from
            """, transaction, cancellationToken);
        scope.With("id", id);
        scope.With("from", from);
        scope.With("to", to);
        scope.With("next_attempt_at", nextAttemptAt?.ToUniversalTime());
        scope.With("now", clock.GetUtcNow());
        return await scope.Command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Stores a qualification outcome: score, answers merged into the existing qualification JSON (new keys win),
    /// and optionally a new status.
    /// </summary>
    public async Task<bool> RecordQualificationAsync(Guid id, int? score, JsonObject answers, string? status, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            UPDATE leads
            SET score = COALESCE(@score, score), qualification = qualification || @answers,
                status = COALESCE(@status, status), updated_at = @now
            WHERE id = @id AND erased_at IS NULL
            """, transaction, cancellationToken);
        scope.With("id", id);
        scope.With("score", score);
        scope.Command.AddJsonb("answers", answers);
        scope.With("status", status);
        scope.With("now", clock.GetUtcNow());
        return await scope.Command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// A callback was booked: the lead moves to callback, due at <paramref name="scheduledFor"/> — unless it is on the
    /// do-not-call list or erased. Returns the lead's campaign, or null when the lead did not move.
    /// </summary>
    public async Task<Guid?> MoveToCallbackAsync(Guid id, DateTimeOffset scheduledFor, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            UPDATE leads SET status = 'callback', next_attempt_at = @scheduled_for, updated_at = @now
            WHERE id = @id AND status <> 'do_not_call' AND erased_at IS NULL
            RETURNING campaign_id
            """, transaction, cancellationToken);
        scope.With("id", id);
        scope.With("scheduled_for", scheduledFor.ToUniversalTime());
        scope.With("now", clock.GetUtcNow());
        return await scope.Command.ExecuteScalarAsync(cancellationToken) is Guid campaignId ? campaignId : null;
    }

    /// <summary>
    /// Marks every lead with this number (all campaigns) do_not_call and clears its due time; returns how many changed.
    /// <see cref="Compliance.DoNotCallRegistry"/> calls it in the transaction that lists the number.
    /// </summary>
    public async Task<int> MarkDoNotCallAsync(string phone, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            UPDATE leads SET status = 'do_not_call', next_attempt_at = NULL, updated_at = @now
            WHERE phone = @phone AND status <> 'do_not_call'
            """, transaction, cancellationToken);
        scope.With("phone", phone);
        scope.With("now", clock.GetUtcNow());
        return await scope.Command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task<IReadOnlyList<Lead>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        return await command.ReadListAsync(Map, cancellationToken);
    }

    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);

    private static Lead Map(NpgsqlDataReader reader) => new()
    {
        Id = reader.Get<Guid>("id"),
        CampaignId = reader.Get<Guid>("campaign_id"),
        Name = reader.GetStringOrNull("name"),
        Phone = reader.GetStringOrNull("phone"),
        Email = reader.GetStringOrNull("email"),
        Company = reader.GetStringOrNull("company"),
        Role = reader.GetStringOrNull("role"),
        TimeZone = reader.GetStringOrNull("time_zone"),
        Source = reader.GetStringOrNull("source"),
        ConsentGivenAt = reader.GetOrNull<DateTimeOffset>("consent_given_at"),
        ConsentMethod = reader.GetStringOrNull("consent_method"),
        Status = reader.Get<string>("status"),
        Attempts = reader.Get<int>("attempts"),
        NextAttemptAt = reader.GetOrNull<DateTimeOffset>("next_attempt_at"),
        LastAttemptAt = reader.GetOrNull<DateTimeOffset>("last_attempt_at"),
        Score = reader.GetOrNull<int>("score"),
        Qualification = reader.GetJsonObject("qualification"),
        ImportId = reader.GetOrNull<Guid>("import_id"),
        ErasedAt = reader.GetOrNull<DateTimeOffset>("erased_at"),
        CreatedAt = reader.Get<DateTimeOffset>("created_at"),
        UpdatedAt = reader.Get<DateTimeOffset>("updated_at"),
    };
}

public enum LeadUpdateOutcome
{
    Updated,
    NotFound,
    Erased,
    DuplicatePhone,

    /// <summary>The change would make a listed number callable again (remove it from the do-not-call list first).</summary>
    NumberOnDoNotCallList,
}

public sealed record LeadUpdate(LeadUpdateOutcome Outcome, Lead? Lead);

/// <summary>A lead as <see cref="LeadLifecycle"/> sees it when one of its calls has ended.</summary>
public sealed record LeadAfterCallFacts(
    string Status, int Attempts, DateTimeOffset? LastAttemptAt, int MaxAttempts, TimeSpan RetrySpacing, bool CallbackBooked, bool OtherLiveCall);
