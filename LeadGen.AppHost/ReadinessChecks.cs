using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using StackExchange.Redis;

namespace LeadGen.AppHost;

/// <summary>Healthy once the local Postgres server accepts a login and answers a query.</summary>
internal sealed class PostgresReadyCheck(ReferenceExpression connectionString) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var value = await connectionString.GetValueAsync(cancellationToken);
            await using var connection = new NpgsqlConnection(value);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }
}

/// <summary>Healthy once the local Redis server accepts AUTH and answers PING.</summary>
internal sealed class RedisReadyCheck(ReferenceExpression connectionString) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var value = await connectionString.GetValueAsync(cancellationToken);
            var options = ConfigurationOptions.Parse(value!);
            options.AbortOnConnectFail = true;
            options.ConnectTimeout = 2000;
            await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
            await connection.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is RedisException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }
}
