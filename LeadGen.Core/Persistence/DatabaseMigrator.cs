using System.Reflection;
using DbUp;
using DbUp.Engine;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LeadGen.Core.Persistence;

/// <summary>
/// Applies the SQL migrations embedded in this assembly (Persistence/Migrations/NNNN_name.sql, in name order).
/// Runs under a Postgres advisory lock so two runners (a redeploy racing a scale-out) never apply the same script.
/// </summary>
public sealed class DatabaseMigrator(ILogger<DatabaseMigrator> logger)
{
    /// <summary>Arbitrary but fixed: every runner of this product must use the same key.</summary>
    internal const long AdvisoryLockKey = 0x4C6561644765; // "LeadGe"

    private const string ScriptPrefix = "LeadGen.Core.Persistence.Migrations.";

    public async Task<MigrationOutcome> MigrateAsync(string connectionString, CancellationToken cancellationToken)
    {
        await DatabaseCreator.EnsureExistsAsync(connectionString, logger, cancellationToken);

        await using var lockConnection = new NpgsqlConnection(connectionString);
        await lockConnection.OpenAsync(cancellationToken);
        logger.LogInformation("Waiting for the migration lock");
        await using (var acquire = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            acquire.Parameters.AddWithValue("key", AdvisoryLockKey);
            await acquire.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.StartsWith(ScriptPrefix, StringComparison.Ordinal))
                .WithTransactionPerScript()
                .LogTo(new DbUpLogAdapter(logger))
                .Build();

            // DbUp has no async API; run it off the caller's thread so cancellation of the wait stays responsive.
            var result = await Task.Run(upgrader.PerformUpgrade, cancellationToken);
            var applied = result.Scripts.Select(script => script.Name.Replace(ScriptPrefix, string.Empty, StringComparison.Ordinal)).ToList();
            if (!result.Successful)
            {
                logger.LogError(result.Error, "Migration failed at {Script}", result.ErrorScript?.Name);
                return new MigrationOutcome(false, applied, result.Error?.Message);
            }

            logger.LogInformation("Migrations complete: {Count} applied ({Scripts})", applied.Count, string.Join(", ", applied));
            return new MigrationOutcome(true, applied, null);
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", AdvisoryLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>DbUp logs composite-format strings ({0}); render them and log the text as one structured value.</summary>
    private sealed class DbUpLogAdapter(ILogger logger) : DbUp.Engine.Output.IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => Log(LogLevel.Trace, null, format, args);

        public void LogDebug(string format, params object[] args) => Log(LogLevel.Debug, null, format, args);

        public void LogInformation(string format, params object[] args) => Log(LogLevel.Information, null, format, args);

        public void LogWarning(string format, params object[] args) => Log(LogLevel.Warning, null, format, args);

        public void LogError(string format, params object[] args) => Log(LogLevel.Error, null, format, args);

        public void LogError(Exception ex, string format, params object[] args) => Log(LogLevel.Error, ex, format, args);

        private void Log(LogLevel level, Exception? exception, string format, object[] args)
        {
            if (logger.IsEnabled(level))
            {
                logger.Log(level, exception, "{DbUpMessage}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
            }
        }
    }
}

/// <summary>What a migration run did: success, the scripts applied now (empty when up to date), the error if any.</summary>
public sealed record MigrationOutcome(bool Succeeded, IReadOnlyList<string> AppliedScripts, string? Error);
