using Npgsql;

namespace LeadGen.Core.Persistence;

/// <summary>
/// A command that runs either on the caller's transaction (so a store call can join a larger unit of work, e.g. a
/// status change plus its outbox row) or on a fresh pooled connection that is returned when the scope ends.
/// </summary>
internal sealed class DbCommandScope : IAsyncDisposable
{
    private readonly NpgsqlConnection? _ownedConnection;

    private DbCommandScope(NpgsqlCommand command, NpgsqlConnection? ownedConnection)
    {
        Command = command;
        _ownedConnection = ownedConnection;
    }

    public NpgsqlCommand Command { get; }

    public static async Task<DbCommandScope> OpenAsync(NpgsqlDataSource dataSource, string sql, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        if (transaction is not null)
        {
            var connection = transaction.Connection ?? throw new InvalidOperationException("The transaction has already completed.");
            return new DbCommandScope(new NpgsqlCommand(sql, connection, transaction), null);
        }

        var owned = await dataSource.OpenConnectionAsync(cancellationToken);
        return new DbCommandScope(new NpgsqlCommand(sql, owned), owned);
    }

    public NpgsqlCommand With(string name, object? value)
    {
        Command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return Command;
    }

    public async ValueTask DisposeAsync()
    {
        await Command.DisposeAsync();
        if (_ownedConnection is not null)
        {
            await _ownedConnection.DisposeAsync();
        }
    }
}
