using LeadGen.Core.Persistence;
using LeadGen.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace LeadGen.Core.Tests.Persistence;

[Collection(ServersCollection.Name)]
public sealed class DatabaseMigratorTests(SharedServers servers)
{
    private static DatabaseMigrator NewMigrator() => new(NullLogger<DatabaseMigrator>.Instance);

    [Fact]
    public async Task Creates_the_database_applies_every_script_once_and_is_idempotent()
    {
        var connectionString = servers.Postgres.ConnectionString($"fresh_{Guid.NewGuid():N}"[..20]);

        var first = await NewMigrator().MigrateAsync(connectionString, CancellationToken.None);
        var second = await NewMigrator().MigrateAsync(connectionString, CancellationToken.None);

        Assert.True(first.Succeeded, first.Error);
        Assert.Contains("0001_campaigns.sql", first.AppliedScripts);
        Assert.True(second.Succeeded, second.Error);
        Assert.Empty(second.AppliedScripts);
        Assert.Equal(first.AppliedScripts.Count, await CountAsync(connectionString, "SELECT count(*) FROM schemaversions"));
    }

    [Fact]
    public async Task Concurrent_runners_wait_for_the_lock_and_apply_each_script_exactly_once()
    {
        var connectionString = await servers.Postgres.CreateDatabaseAsync("race");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4)
            .Select(_ => Task.Run(() => NewMigrator().MigrateAsync(connectionString, CancellationToken.None))));

        Assert.All(outcomes, outcome => Assert.True(outcome.Succeeded, outcome.Error));
        var applied = outcomes.SelectMany(outcome => outcome.AppliedScripts).ToList();
        Assert.Equal(applied.Distinct().Count(), applied.Count);
        Assert.Equal(applied.Count, await CountAsync(connectionString, "SELECT count(*) FROM schemaversions"));
    }

    [Fact]
    public async Task First_migration_creates_a_usable_campaigns_table()
    {
        var connectionString = await servers.Postgres.CreateMigratedDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand("INSERT INTO campaigns (id, name) VALUES (@id, 'Spring outreach') RETURNING status", connection);
        insert.Parameters.AddWithValue("id", Guid.NewGuid());

        Assert.Equal("draft", await insert.ExecuteScalarAsync());
        await using var invalid = new NpgsqlCommand("INSERT INTO campaigns (id, name, status) VALUES (gen_random_uuid(), 'x', 'bogus')", connection);
        var error = await Assert.ThrowsAsync<PostgresException>(() => invalid.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
    }

    private static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
