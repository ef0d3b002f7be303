using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json.Nodes;
using LeadGen.Core.Agent;
using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Recording;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Compliance;
using LeadGen.Core.Queue;
using LeadGen.Testing;
using LeadGen.Testing.GoogleCloud;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace LeadGen.Queue.Tests.Dialer;

/// <summary>
/// The Worker's side of recordings and costs, through its real registrations: retention deletes recordings past their
/// retention from the configured store (Cloud Storage against the fake JSON API, or local files), and the analyze-call
/// job prices the call from the configured price table and feeds campaign stats and the cost metric.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class RecordingRetentionAndCostTests(SharedServers servers)
{
    [Fact]
    public async Task Retention_deletes_recordings_past_retention_from_cloud_storage_and_keeps_newer_ones()
    {
        await using var gcs = await FakeCloudStorageServer.StartAsync();
        await RetentionDeletesOldRecordingsAsync(
            new Dictionary<string, string?> { ["Recordings:Bucket"] = gcs.Bucket, ["Recordings:StorageEndpoint"] = gcs.BaseUri },
            exists: key => gcs.Objects.ContainsKey(key));
        Assert.Contains(gcs.Requests, r => r.StartsWith("DELETE ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retention_deletes_recordings_past_retention_from_local_files_and_keeps_newer_ones()
    {
        var folder = Path.Combine(Path.GetTempPath(), "leadgen-tests", "retention", Guid.NewGuid().ToString("N"));
        await RetentionDeletesOldRecordingsAsync(
            new Dictionary<string, string?> { ["Recordings:Store"] = "local", ["Recordings:LocalPath"] = folder },
            exists: key => File.Exists(Path.Combine(folder, key)));
        Directory.Delete(folder, recursive: true);
    }

    private async Task RetentionDeletesOldRecordingsAsync(Dictionary<string, string?> settings, Func<string, bool> exists)
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("recretention");
        settings["Retention:Recordings"] = "30.00:00:00";
        await using var worker = await WorkerTestHost.CreateAsync(database, servers.Redis.ConnectionString, settings, start: false);
        var store = worker.Services.GetRequiredService<IRecordingStore>();
        async Task<Guid> RecordedCallEndedDaysAgoAsync(int days)
        {
            var id = Guid.NewGuid();
            await store.SaveAsync(CallRecorder.KeyFor(id), new MemoryStream(new byte[10_000]), CallRecorder.ContentType, CancellationToken.None);
            await worker.ScalarAsync($"""
                WITH c AS (INSERT INTO calls (id, direction, provider, status, recording_key, created_at, ended_at)
                           VALUES ('{id}', 'inbound', 'simulator', 'completed', '{CallRecorder.KeyFor(id)}', now() - interval '{days} days', now() - interval '{days} days') RETURNING 1)
                SELECT count(*) FROM c
                """);
            return id;
        }

        var recent = await RecordedCallEndedDaysAgoAsync(10);
        var old = await RecordedCallEndedDaysAgoAsync(45);
        var older = await RecordedCallEndedDaysAgoAsync(400);

        await worker.RunJobAsync(JobTypes.Retention, new RetentionJob());

        Assert.True(exists(CallRecorder.KeyFor(recent)));
        Assert.False(exists(CallRecorder.KeyFor(old)));
        Assert.False(exists(CallRecorder.KeyFor(older)));
        Assert.Equal(1, await worker.ScalarAsync($"SELECT count(*) FROM calls WHERE recording_key IS NOT NULL AND id = '{recent}'"));
        Assert.Equal(0, await worker.ScalarAsync($"SELECT count(*) FROM calls WHERE recording_key IS NOT NULL AND id IN ('{old}', '{older}')"));

        // A second run finds nothing more to delete (and a missing object would not be an error).
        await worker.RunJobAsync(JobTypes.Retention, new RetentionJob());
        Assert.True(exists(CallRecorder.KeyFor(recent)));
    }

    [Fact]
    public async Task The_analyze_call_job_prices_the_call_from_the_price_table_and_campaign_stats_add_it_up()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("costs");
        var settings = new Dictionary<string, string?>
        {
            // A newer price from a future date: calls made before it keep the shipped price.
            ["Pricing:Models:gemini-2.5-flash:1:EffectiveFrom"] = "2099-01-01T00:00:00Z",
            ["Pricing:Models:gemini-2.5-flash:1:InputPerMillion"] = "100",
            ["Pricing:Models:gemini-2.5-flash:1:OutputPerMillion"] = "100",
        };
        await using var worker = await WorkerTestHost.CreateAsync(database, servers.Redis.ConnectionString, settings, start: false,
            services: services => services.AddSingleton<ICallAnalyzer, NoAnalysis>());
        using var costs = new MetricCollector<double>(worker.Services.GetRequiredService<IMeterFactory>(), "LeadGen.Calls", "leadgen.call.cost");
        var campaigns = new CampaignStore(worker.DataSource, TimeProvider.System);
        var live = await campaigns.CreateAsync("Live", new CampaignSettings { VoiceMode = VoiceModes.NativeAudio }, CancellationToken.None);
        var relay = await campaigns.CreateAsync("Relay", new CampaignSettings { VoiceMode = VoiceModes.ConversationRelay }, CancellationToken.None);

        // Native audio through Twilio: audio token rates (3.00 in, 12.00 out per 1M) + 2 started minutes x (0.014 outbound + 0.004 Media Streams).
        var liveCall = await CallAsync(worker, live.Id, "gemini-live-2.5-flash-native-audio", 100_000, 20_000, 61, "2026-12-01T10:00:00Z");
        // ConversationRelay: text rates (0.30 in, 2.50 out) + 2 minutes x (0.014 + 0.07 ConversationRelay).
        var relayCall = await CallAsync(worker, relay.Id, "gemini-2.5-flash", 100_000, 20_000, 120, "2026-12-01T10:00:00Z");
        // The same call after the new price takes effect.
        var laterCall = await CallAsync(worker, relay.Id, "gemini-2.5-flash", 100_000, 20_000, 120, "2099-06-01T10:00:00Z");
        // A model the table does not know: telephony is priced, the model part is named as unpriced.
        var unknown = await CallAsync(worker, relay.Id, "some-new-model", 1_000, 1_000, 30, "2026-12-01T10:00:00Z");

        foreach (var call in new[] { liveCall, relayCall, laterCall, unknown })
        {
            await worker.RunJobAsync(JobTypes.AnalyzeCall, new AnalyzeCallJob(call));
        }

        Assert.Equal(0.576m, await CostAsync(worker, liveCall));
        Assert.Equal(0.248m, await CostAsync(worker, relayCall));
        Assert.Equal(12m + 0.168m, await CostAsync(worker, laterCall));
        Assert.Equal(0.084m, await CostAsync(worker, unknown));
        var detail = JsonNode.Parse((await worker.TextAsync($"SELECT cost_detail::text FROM calls WHERE id = '{unknown}'"))!)!;
        Assert.Contains("some-new-model", detail["unpriced"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, detail["billedMinutes"]!.GetValue<int>());
        var liveDetail = JsonNode.Parse((await worker.TextAsync($"SELECT cost_detail::text FROM calls WHERE id = '{liveCall}'"))!)!;
        Assert.True(liveDetail["audioTokens"]!.GetValue<bool>());
        Assert.Equal(0.54m, liveDetail["modelUsd"]!.GetValue<decimal>());
        Assert.Equal(0.036m, liveDetail["telephonyUsd"]!.GetValue<decimal>());
        Assert.Equal("2026-12-02", liveDetail["pricesCheckedOn"]!.GetValue<string>());

        // A rerun of the job prices the call the same.
        await worker.RunJobAsync(JobTypes.AnalyzeCall, new AnalyzeCallJob(liveCall));
        Assert.Equal(0.576m, await CostAsync(worker, liveCall));

        var measurements = costs.GetMeasurementSnapshot();
        Assert.Equal(5, measurements.Count);
        Assert.Contains(measurements, m => Math.Abs(m.Value - 0.576) < 1e-9 && (string?)m.Tags["gen_ai.request.model"] == "gemini-live-2.5-flash-native-audio");

        // Campaign stats: total cost, and cost per qualified lead once leads qualified.
        var stats = new CampaignStatsQuery(worker.DataSource);
        var relayStats = await stats.GetAsync(relay.Id, CancellationToken.None);
        Assert.Equal(0.248m + 12.168m + 0.084m, relayStats.TotalCostUsd);
        Assert.Equal(3, relayStats.CallsCosted);
        Assert.Null(relayStats.CostPerQualifiedLead);
        await worker.ScalarAsync($"WITH l AS (INSERT INTO leads (id, campaign_id, phone, status) VALUES ('{Guid.NewGuid()}', '{relay.Id}', '+14155550199', 'qualified'), ('{Guid.NewGuid()}', '{relay.Id}', '+14155550198', 'qualified') RETURNING 1) SELECT count(*) FROM l");
        relayStats = await stats.GetAsync(relay.Id, CancellationToken.None);
        Assert.Equal(decimal.Round((0.248m + 12.168m + 0.084m) / 2, 4), relayStats.CostPerQualifiedLead);
    }

    private static async Task<Guid> CallAsync(WorkerTestHost worker, Guid campaign, string model, long input, long output, int seconds, string startedAt)
    {
        var id = Guid.NewGuid();
        await worker.ScalarAsync(string.Create(CultureInfo.InvariantCulture, $"""
            WITH c AS (INSERT INTO calls (id, campaign_id, direction, provider, status, model, input_tokens, output_tokens, duration_seconds, started_at, ended_at)
                       VALUES ('{id}', '{campaign}', 'outbound', 'twilio', 'completed', '{model}', {input}, {output}, {seconds}, '{startedAt}', '{startedAt}') RETURNING 1)
            SELECT count(*) FROM c
            """));
        return id;
    }

    private static async Task<decimal> CostAsync(WorkerTestHost worker, Guid call)
    {
        await using var command = worker.DataSource.CreateCommand($"SELECT cost_usd FROM calls WHERE id = '{call}'");
        return (decimal)(await command.ExecuteScalarAsync())!;
    }

    private sealed class NoAnalysis : ICallAnalyzer
    {
        public Task AnalyzeAsync(Guid callId, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
