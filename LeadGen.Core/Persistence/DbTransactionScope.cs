using Npgsql;

namespace LeadGen.Core.Persistence;

/// <summary>
/// Runs several store writes as one unit: on the caller's transaction when there is one (the caller commits), otherwise
/// on a transaction of its own, committed when the work returns (and rolled back if it throws).
/// </summary>
internal static class DbTransactionScope
{
    public static async Task<T> RunAsync<T>(NpgsqlDataSource dataSource, NpgsqlTransaction? transaction, Func<NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        if (transaction is not null)
        {
            return await work(transaction);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var owned = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(owned);
        await owned.CommitAsync(cancellationToken);
        return result;
    }
}
