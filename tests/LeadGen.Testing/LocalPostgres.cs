using System.Security.Cryptography;
using LeadGen.Core.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace LeadGen.Testing;

/// <summary>
/// A real PostgreSQL server for tests, started from <c>scripts/local-postgres.sh</c> in a temporary folder on a free
/// port (durability settings off: tests need speed, not crash safety). Each test class asks for its own database.
/// </summary>
public sealed class LocalPostgres : LocalServer
{
    private readonly string _password;
    private readonly bool _durable;

    private LocalPostgres(int port, string password, bool durable)
        : base(NewDataDirectory("pg"), port)
    {
        _password = password;
        _durable = durable;
    }

    protected override string DisplayName => "PostgreSQL";

    public static Task<LocalPostgres> StartAsync(CancellationToken cancellationToken = default) => StartAsync(durable: false, cancellationToken);

    /// <summary>
    /// Keeps Postgres's crash safety (fsync, synchronous commit, full-page writes), as in production: for runs that kill
    /// the server, where an acknowledged commit lost in a crash would be the test setup's fault, not the product's.
    /// </summary>
    public static Task<LocalPostgres> StartDurableAsync(CancellationToken cancellationToken = default) => StartAsync(durable: true, cancellationToken);

    private static async Task<LocalPostgres> StartAsync(bool durable, CancellationToken cancellationToken)
    {
        var postgres = new LocalPostgres(FreePort.Next(), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), durable);
        await postgres.RestartAsync(cancellationToken);
        return postgres;
    }

    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Password = _password,
        Database = database,
        MaxPoolSize = 50,
    }.ConnectionString;

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test", CancellationToken cancellationToken = default)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)].ToLowerInvariant();
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionString(name);
    }

    /// <summary>Creates a database and applies every migration to it, exactly as the <c>migrate</c> command does.</summary>
    public async Task<string> CreateMigratedDatabaseAsync(string prefix = "test", CancellationToken cancellationToken = default)
    {
        var connectionString = await CreateDatabaseAsync(prefix, cancellationToken);
        var outcome = await new DatabaseMigrator(NullLogger<DatabaseMigrator>.Instance).MigrateAsync(connectionString, cancellationToken);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException($"Migrations failed: {outcome.Error}");
        }

        return connectionString;
    }

    protected override ServerProcess StartProcess() => ServerProcess.Start(
        "local-postgres.sh",
        _durable
            ? [DataDirectory, Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            : [DataDirectory, Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
        new Dictionary<string, string> { ["LEADGEN_PG_PASSWORD"] = _password });

    protected override async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false;Timeout=2");
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }
}
