using System.Globalization;
using System.Text.Json;
using LeadGen.Core.Calls;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Compliance;
using LeadGen.Core.Dialer;
using LeadGen.Core.Leads;
using LeadGen.Core.Persistence;
using LeadGen.Core.Queue;
using LeadGen.Core.Telephony;
using LeadGen.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace LeadGen.Queue.Tests.Dialer;

/// <summary>A host wired like the Worker (its Program.cs feature Add… calls, without the agent: analyze-call is then not consumed).</summary>
internal sealed class WorkerTestHost : IAsyncDisposable
{
    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Queue:ConsumerPollInterval"] = "00:00:00.100",
        ["Queue:RelayPollInterval"] = "00:00:00.200",
        ["Dialer:Interval"] = "00:00:01",
        ["PublicBaseUrl"] = "https://voice.example.test",
    };

    private WorkerTestHost(IHost host) => Host = host;

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public NpgsqlDataSource DataSource => Services.GetRequiredService<NpgsqlDataSource>();

    public static async Task<WorkerTestHost> CreateAsync(
        string database, string redis, IDictionary<string, string?>? settings = null, bool start = true, Action<IServiceCollection>? services = null)
    {
        var host = await HeadlessHost.CreateAsync(database, redis, Defaults, settings, start, builder =>
        {
            // As in Development: every registration must be constructible (the Worker's WebApplication validates on build).
            builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
            builder.AddLeadGenWorkerFeatures(); // exactly what the Worker runs
            services?.Invoke(builder.Services);
        });
        return new WorkerTestHost(host);
    }

    /// <summary>Runs a job's handler directly, in a transaction committed like the queue does.</summary>
    public async Task RunJobAsync<TPayload>(string jobType, TPayload payload)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var job = new JobEnvelope(Guid.NewGuid(), jobType, JsonSerializer.Serialize(payload, PayloadJson), null, null, DateTimeOffset.UtcNow, 0);
        await using (var scope = Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredKeyedService<IJobHandler>(jobType).HandleAsync(new JobContext(job, 1, transaction), CancellationToken.None);
        }

        await transaction.CommitAsync();
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public async Task<string?> TextAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync() as string;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Host.StopAsync();
        }
        finally
        {
            Host.Dispose();
        }
    }

    /// <summary>An IANA zone whose local hour right now is within [from, to) — so tests do not depend on the real clock.</summary>
    public static string ZoneWithLocalHour(int from, int to)
    {
        string[] zones =
        [
            "Pacific/Kiritimati", "Pacific/Auckland", "Australia/Sydney", "Asia/Tokyo", "Asia/Shanghai", "Asia/Bangkok", "Asia/Dhaka",
            "Asia/Karachi", "Asia/Dubai", "Europe/Moscow", "Europe/Athens", "Europe/Berlin", "Europe/London", "Atlantic/Azores",
            "America/Noronha", "America/Sao_Paulo", "America/Halifax", "America/New_York", "America/Chicago", "America/Denver",
            "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "Pacific/Pago_Pago",
        ];
        var now = DateTimeOffset.UtcNow;
        return zones.First(id =>
        {
            var hour = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(id)).Hour;
            return hour >= from && hour < to;
        });
    }
}
