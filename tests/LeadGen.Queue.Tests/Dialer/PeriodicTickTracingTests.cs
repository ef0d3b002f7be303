using System.Collections.Concurrent;
using System.Diagnostics;
using LeadGen.Core.Compliance;
using LeadGen.Core.Telephony;
using LeadGen.Queue.Tests.Compliance;
using LeadGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LeadGen.Queue.Tests.Dialer;

/// <summary>
/// The Worker's periodic ticks (dialer per running campaign, retention) fire every few seconds: a tick that does nothing
/// must leave no trace (they once buried the call traces on the dashboard), while a tick that dials produces the
/// trace of that call — enqueue, relay and processing — as usual. Spans are caught with an in-memory listener that
/// records everything the LeadGen sources start, so nothing here depends on the exporter's sampler.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class PeriodicTickTracingTests(SharedServers servers)
{
    private static readonly DialRules OpenRules = new()
    {
        ConsentRequired = false,
        MaxAttempts = 3,
        RetrySpacing = TimeSpan.FromMinutes(60),
        WindowStart = new TimeOnly(0, 0),
        WindowEnd = new TimeOnly(23, 59),
    };

    private static readonly string[] TickSpans = ["send dialer", "send retention", "process dialer", "process retention"];

    [Fact]
    public async Task Ticks_with_nothing_to_dial_or_relay_produce_no_spans()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("idletrace");
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await DialerData.InsertCampaignAsync(connection, Guid.NewGuid(), OpenRules, "running", maxConcurrentCalls: 2);
        }

        var spans = new ConcurrentQueue<Activity>();
        using var listener = Listen(spans);
        await using var worker = await WorkerTestHost.CreateAsync(database, servers.Redis.ConnectionString);

        // Three dialer ticks (1 s apart here) enqueued, relayed and processed, with no lead to call.
        await Eventually.HoldsAsync(async () => await worker.ScalarAsync("SELECT count(*) FROM processed_jobs WHERE job_type = 'dialer'") >= 3, "three dialer ticks are processed");
        await Eventually.HoldsAsync(async () => await worker.ScalarAsync("SELECT count(*) FROM processed_jobs WHERE job_type = 'retention'") >= 1, "a retention tick is processed");

        var names = spans.Select(span => span.DisplayName).ToList();
        Assert.DoesNotContain(names, name => TickSpans.Contains(name) || name == "relay outbox");
    }

    [Fact]
    public async Task A_tick_that_dials_traces_the_call_from_its_enqueue_through_relay_to_processing()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("dialtrace");
        var campaign = Guid.NewGuid();
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await DialerData.InsertCampaignAsync(connection, campaign, OpenRules, "running", maxConcurrentCalls: 2);
            await DialerData.InsertLeadAsync(connection, new DialCandidate
            {
                LeadId = Guid.NewGuid(),
                CampaignId = campaign,
                Phone = "+12127365090",
                TimeZone = WorkerTestHost.ZoneWithLocalHour(10, 18),
                Status = "new",
                ConsentGivenAt = DateTimeOffset.UtcNow.AddDays(-1),
            });
        }

        var spans = new ConcurrentQueue<Activity>();
        using var listener = Listen(spans);
        await using var worker = await WorkerTestHost.CreateAsync(database, servers.Redis.ConnectionString);
        var provider = (RecordingTelephonyProvider)worker.Services.GetRequiredService<ITelephonyProvider>();
        await Eventually.HoldsAsync(() => Task.FromResult(provider.PlacedCalls.Count == 1), "the lead is dialled");
        await Eventually.HoldsAsync(() => Task.FromResult(spans.Any(span => span.DisplayName == "process place-call")), "the place-call span ends");

        var send = Assert.Single(spans, span => span.DisplayName == "send place-call");
        var process = Assert.Single(spans, span => span.DisplayName == "process place-call");
        Assert.Equal(send.TraceId, process.TraceId);
        Assert.Equal(send.SpanId, process.ParentSpanId);
        Assert.Contains(spans, span => span.DisplayName == "relay outbox" && span.Links.Any(link => link.Context.TraceId == send.TraceId));
        Assert.DoesNotContain(spans, span => TickSpans.Contains(span.DisplayName));
    }

    private static ActivityListener Listen(ConcurrentQueue<Activity> spans)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("LeadGen.", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
