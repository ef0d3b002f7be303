using LeadGen.Core.Leads;
using LeadGen.Core.Persistence;
using Npgsql;

namespace LeadGen.Core.Calls;

/// <summary>Callbacks leads asked for. Scheduling also moves the lead to status callback, due at the same time.</summary>
public sealed class CallbackStore(NpgsqlDataSource dataSource, LeadStore leads, TimeProvider clock)
{
    private const string Columns = "id, lead_id, campaign_id, call_id, scheduled_for, note, status, created_at, updated_at";

    /// <summary>
    /// Schedules a callback and sets the lead to callback with next_attempt_at = <paramref name="scheduledFor"/>
    /// (<see cref="LeadStore.MoveToCallbackAsync"/>), in one transaction (so the dialer never sees one without the other).
    /// Earlier scheduled callbacks of the lead are canceled: the newest request wins.
    /// </summary>
    public async Task<Callback> ScheduleAsync(Guid leadId, Guid? callId, DateTimeOffset scheduledFor, string? note, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null) =>
        await DbTransactionScope.RunAsync(dataSource, transaction, async unit =>
        {
            var campaignId = await leads.MoveToCallbackAsync(leadId, scheduledFor, cancellationToken, unit)
                ?? throw new InvalidOperationException($"Lead {leadId} does not exist, is erased or is on the do-not-call list; no callback scheduled.");
            var now = clock.GetUtcNow();
            await using var scope = await DbCommandScope.OpenAsync(dataSource, $"""
                WITH superseded AS (
                    UPDATE callbacks SET status = 'canceled', updated_at = @now
                    WHERE lead_id = @lead_id AND status = 'scheduled')
                INSERT INTO callbacks (id, lead_id, campaign_id, call_id, scheduled_for, note, status, created_at, updated_at)
                VALUES (@id, @lead_id, @campaign_id, @call_id, @scheduled_for, @note, 'scheduled', @now, @now)
                RETURNING {Columns}
                """, unit, cancellationToken);
            scope.With("id", Guid.CreateVersion7(now));
            scope.With("lead_id", leadId);
            scope.With("campaign_id", campaignId);
            scope.With("call_id", callId);
            scope.With("scheduled_for", scheduledFor.ToUniversalTime());
            scope.With("note", note);
            scope.With("now", now);
            return (await ReadAsync(scope.Command, cancellationToken)).Single();
        }, cancellationToken);

    /// <summary>Scheduled callbacks due at or before <paramref name="dueBy"/>, earliest first.</summary>
    public async Task<IReadOnlyList<Callback>> ListDueAsync(DateTimeOffset dueBy, int limit, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"""
            SELECT {Columns} FROM callbacks WHERE status = 'scheduled' AND scheduled_for <= @due_by ORDER BY scheduled_for LIMIT @limit
            """, transaction, cancellationToken);
        scope.With("due_by", dueBy.ToUniversalTime());
        scope.With("limit", limit);
        return await ReadAsync(scope.Command, cancellationToken);
    }

    public async Task<IReadOnlyList<Callback>> ListForLeadAsync(Guid leadId, CancellationToken cancellationToken)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"SELECT {Columns} FROM callbacks WHERE lead_id = @lead_id ORDER BY id", null, cancellationToken);
        scope.With("lead_id", leadId);
        return await ReadAsync(scope.Command, cancellationToken);
    }

    /// <summary>Marks a scheduled callback done or canceled; false when it was not scheduled.</summary>
    public async Task<bool> CloseAsync(Guid id, string status, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            UPDATE callbacks SET status = @status, updated_at = @now WHERE id = @id AND status = 'scheduled'
            """, transaction, cancellationToken);
        scope.With("id", id);
        scope.With("status", status);
        scope.With("now", clock.GetUtcNow());
        return await scope.Command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static async Task<IReadOnlyList<Callback>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        return await command.ReadListAsync(reader => new Callback
        {
            Id = reader.Get<Guid>("id"),
            LeadId = reader.Get<Guid>("lead_id"),
            CampaignId = reader.Get<Guid>("campaign_id"),
            CallId = reader.GetOrNull<Guid>("call_id"),
            ScheduledFor = reader.Get<DateTimeOffset>("scheduled_for"),
            Note = reader.GetStringOrNull("note"),
            Status = reader.Get<string>("status"),
            CreatedAt = reader.Get<DateTimeOffset>("created_at"),
            UpdatedAt = reader.Get<DateTimeOffset>("updated_at"),
        }, cancellationToken);
    }
}
