using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Compliance;
using LeadGen.Core.Dialer;
using LeadGen.Core.Queue;
using LeadGen.Queue.Tests.Compliance;
using LeadGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;

namespace LeadGen.Queue.Tests.Dialer;

/// <summary>The dialer slows down when the VoiceApi reports the voice model at capacity (a Redis key with a TTL).</summary>
[Collection(ServersCollection.Name)]
public sealed class DialerEnginePauseTests(SharedServers servers)
{
    private static readonly DialRules OpenRules = new()
    {
        ConsentRequired = false,
        MaxAttempts = 3,
        RetrySpacing = TimeSpan.FromMinutes(60),
        WindowStart = new TimeOnly(0, 0),
        WindowEnd = new TimeOnly(23, 59),
    };

    [Fact]
    public async Task While_the_voice_model_is_at_capacity_native_audio_campaigns_place_no_new_calls_and_relay_campaigns_carry_on()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("enginepause");
        var native = Guid.NewGuid();
        var relay = Guid.NewGuid();
        var zone = WorkerTestHost.ZoneWithLocalHour(10, 18);
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await DialerData.InsertCampaignAsync(connection, native, OpenRules, "running", maxConcurrentCalls: 5);
            await DialerData.InsertCampaignAsync(connection, relay, OpenRules, "running", maxConcurrentCalls: 5);
            await using (var mode = new NpgsqlCommand("UPDATE campaigns SET voice_mode = 'conversation_relay' WHERE id = @id", connection))
            {
                mode.Parameters.AddWithValue("id", relay);
                await mode.ExecuteNonQueryAsync();
            }

            foreach (var (campaign, phone) in new[] { (native, "+12127365101"), (native, "+12127365102"), (relay, "+12127365103") })
            {
                await DialerData.InsertLeadAsync(connection, new DialCandidate { LeadId = Guid.NewGuid(), CampaignId = campaign, Phone = phone, TimeZone = zone, Status = "new" });
            }
        }

        await using var worker = await WorkerTestHost.CreateAsync(database, servers.Redis.ConnectionString, start: false);
        var redis = worker.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var backoff = worker.Services.GetRequiredService<EngineCapacityBackoff>();
        try
        {
            await backoff.ReportAsync(TimeSpan.FromSeconds(3)); // raised to the 15 s minimum
            Assert.InRange((await redis.KeyTimeToLiveAsync(EngineCapacityBackoff.Key))!.Value, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15));
            await backoff.ReportAsync(TimeSpan.FromSeconds(1)); // a smaller estimate never shortens the pause
            Assert.True((await redis.KeyTimeToLiveAsync(EngineCapacityBackoff.Key))!.Value > TimeSpan.FromSeconds(10));

            await worker.RunJobAsync(JobTypes.Dialer, new DialerJob(native));
            await worker.RunJobAsync(JobTypes.Dialer, new DialerJob(relay));
            Assert.Equal(0, await worker.ScalarAsync($"SELECT count(*) FROM calls WHERE campaign_id = '{native}'"));
            Assert.Equal(1, await worker.ScalarAsync($"SELECT count(*) FROM calls WHERE campaign_id = '{relay}'"));

            await redis.KeyDeleteAsync(EngineCapacityBackoff.Key); // the pause expired
            await worker.RunJobAsync(JobTypes.Dialer, new DialerJob(native));
            Assert.Equal(2, await worker.ScalarAsync($"SELECT count(*) FROM calls WHERE campaign_id = '{native}'"));
        }
        finally
        {
            await redis.KeyDeleteAsync(EngineCapacityBackoff.Key);
        }
    }
}
