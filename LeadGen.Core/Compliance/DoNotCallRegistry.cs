using LeadGen.Core.Leads;
using LeadGen.Core.Persistence;
using Npgsql;

namespace LeadGen.Core.Compliance;

/// <summary>
/// The do-not-call list. Adding a number also moves every lead with that number (all campaigns) to do_not_call
/// (<see cref="LeadStore.MarkDoNotCallAsync"/>) in the same transaction, so no dialer can pick one in between. Removing
/// a number does not re-activate leads: an operator decides that per lead.
/// </summary>
public sealed class DoNotCallRegistry(NpgsqlDataSource dataSource, LeadStore leads, TimeProvider clock)
{
    /// <summary>Adds the number (keeping the first entry if it is already listed); returns the entry and how many leads were flagged.</summary>
    public async Task<(DoNotCallEntry Entry, int LeadsFlagged)> AddAsync(string phone, string? reason, string source, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null) =>
        await DbTransactionScope.RunAsync(dataSource, transaction, async unit =>
        {
            DoNotCallEntry entry;
            await using (var scope = await DbCommandScope.OpenAsync(dataSource, """
                WITH inserted AS (
                    INSERT INTO do_not_call (phone, reason, source, added_at) VALUES (@phone, @reason, @source, @now)
                    ON CONFLICT (phone) DO NOTHING
                    RETURNING phone, reason, source, added_at)
                SELECT phone, reason, source, added_at FROM inserted
                UNION ALL
                SELECT phone, reason, source, added_at FROM do_not_call WHERE phone = @phone AND NOT EXISTS (SELECT 1 FROM inserted)
                """, unit, cancellationToken))
            {
                scope.With("phone", phone);
                scope.With("reason", reason);
                scope.With("source", source);
                scope.With("now", clock.GetUtcNow());
                await using var reader = await scope.Command.ExecuteReaderAsync(cancellationToken);
                if (!await reader.ReadAsync(cancellationToken))
                {
                    throw new InvalidOperationException("The do-not-call entry was neither inserted nor found.");
                }

                entry = Map(reader);
            }

            // Listed first, then flagged: a lead created meanwhile either sees the entry (and starts as do_not_call) or
            // is committed before this statement and is flagged by it.
            return (entry, await leads.MarkDoNotCallAsync(phone, cancellationToken, unit));
        }, cancellationToken);

    public async Task<bool> RemoveAsync(string phone, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, "DELETE FROM do_not_call WHERE phone = @phone", transaction, cancellationToken);
        scope.With("phone", phone);
        return await scope.Command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<DoNotCallEntry?> GetAsync(string phone, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, "SELECT phone, reason, source, added_at FROM do_not_call WHERE phone = @phone", transaction, cancellationToken);
        scope.With("phone", phone);
        await using var reader = await scope.Command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Map(reader) : null;
    }

    public async Task<bool> IsListedAsync(string phone, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null) =>
        await GetAsync(phone, cancellationToken, transaction) is not null;

    /// <summary>Entries in phone order after <paramref name="after"/> (keyset paging).</summary>
    public async Task<IReadOnlyList<DoNotCallEntry>> ListAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            SELECT phone, reason, source, added_at FROM do_not_call WHERE (@after::text IS NULL OR phone > @after) ORDER BY phone LIMIT @limit
            """, null, cancellationToken);
        scope.With("after", after);
        scope.With("limit", limit);
        return await scope.Command.ReadListAsync(Map, cancellationToken);
    }

    private static DoNotCallEntry Map(NpgsqlDataReader reader) => new(
        reader.Get<string>("phone"), reader.GetStringOrNull("reason"), reader.Get<string>("source"), reader.Get<DateTimeOffset>("added_at"));
}
