using LeadGen.Core.Compliance;
using LeadGen.Core.Dialer;
using LeadGen.Core.Queue;
using LeadGen.Core.Telephony;
using LeadGen.Queue.Tests.Compliance;
using LeadGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LeadGen.Queue.Tests.Dialer;

[Collection(ServersCollection.Name)]
public sealed class DialerTests(SharedServers servers)
{
    private static readonly DialRules OpenRules = new()
    {
        ConsentRequired = true,
        MaxAttempts = 3,
        RetrySpacing = TimeSpan.FromMinutes(60),
        WindowStart = new TimeOnly(8, 0),
        WindowEnd = new TimeOnly(21, 0),
    };

    [Fact]
    public async Task The_worker_dials_only_eligible_leads_up_to_the_campaigns_concurrency_and_reports_unknown_zones()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("dialer");
        var campaign = Guid.NewGuid();
        var inWindow = WorkerTestHost.ZoneWithLocalHour(10, 18);
        var outOfWindow = WorkerTestHost.ZoneWithLocalHour(0, 6);
        var consent = DateTimeOffset.UtcNow.AddDays(-10);
        var good = Enumerable.Range(0, 4).Select(i => Lead(campaign, $"+121273650{i:00}", inWindow, consent)).ToList();
        var onDnc = Lead(campaign, "+12127365010", inWindow, consent);
        var noConsent = Lead(campaign, "+12127365011", inWindow, null);
        var wrongHour = Lead(campaign, "+12127365012", outOfWindow, consent);
        var unknownZone = Lead(campaign, "+80012345678", null, consent);
        var exhausted = Lead(campaign, "+12127365013", inWindow, consent) with { Attempts = 3 };
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await DialerData.InsertCampaignAsync(connection, campaign, OpenRules, "running", maxConcurrentCalls: 3);
            foreach (var lead in good.Concat([onDnc, noConsent, wrongHour, unknownZone, exhausted]))
            {
                await DialerData.InsertLeadAsync(connection, lead);
            }

            await DialerData.AddToDoNotCallAsync(connection, onDnc.Phone!);
        }

        await using var worker = await WorkerTestHost.CreateAsync(database, servers.Redis.ConnectionString);
        var provider = (RecordingTelephonyProvider)worker.Services.GetRequiredService<ITelephonyProvider>();

        await Eventually.HoldsAsync(async () => await worker.ScalarAsync("SELECT count(*) FROM calls WHERE provider_call_id IS NOT NULL") == 3, "three calls are placed");
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // two more dialer ticks: the cap of 3 live calls holds

        Assert.Equal(3, await worker.ScalarAsync("SELECT count(*) FROM calls"));
        var goodIds = string.Join("','", good.Select(lead => lead.LeadId));
        Assert.Equal(3, await worker.ScalarAsync($"SELECT count(*) FROM calls WHERE lead_id IN ('{goodIds}') AND status = 'initiated' AND provider = 'recording' AND from_number = '+15005550006'"));
        Assert.Equal(3, await worker.ScalarAsync($"SELECT count(*) FROM leads WHERE id IN ('{goodIds}') AND status = 'calling' AND attempts = 1 AND last_attempt_at IS NOT NULL"));
        Assert.Equal(3, provider.PlacedCalls.Count);
        Assert.All(provider.PlacedCalls, request =>
        {
            Assert.Contains(request.To, good.Select(lead => lead.Phone));
            Assert.Equal($"https://voice.example.test/telephony/twilio/voice?callId={request.CallId}", request.VoiceUrl.ToString());
        });
        Assert.Equal("unknown_time_zone", await worker.TextAsync($"SELECT reason FROM dialer_reports WHERE lead_id = '{unknownZone.LeadId}'"));
        Assert.Equal(1, await worker.ScalarAsync("SELECT count(*) FROM dialer_reports"));
        Assert.True(await worker.ScalarAsync("SELECT count(*) FROM processed_jobs WHERE job_type = 'dialer'") >= 2);
        Assert.Equal(3, await worker.ScalarAsync("SELECT count(*) FROM processed_jobs WHERE job_type = 'place-call'"));
    }

    [Fact]
    public async Task A_queued_call_whose_lead_joined_the_DNC_list_before_dialling_is_cancelled_and_not_dialled()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("recheck");
        var campaign = Guid.NewGuid();
        var lead = Lead(campaign, "+12127365020", WorkerTestHost.ZoneWithLocalHour(10, 18), DateTimeOffset.UtcNow.AddDays(-1));
        await using var worker = await WorkerTestHost.CreateAsync(database, servers.Redis.ConnectionString, start: false);
        await using (var connection = await worker.DataSource.OpenConnectionAsync())
        {
            await DialerData.InsertCampaignAsync(connection, campaign, OpenRules, "running", maxConcurrentCalls: 5);
            await DialerData.InsertLeadAsync(connection, lead);
        }

        await worker.RunJobAsync(JobTypes.Dialer, new DialerJob(campaign));
        var callId = Guid.Parse((await worker.TextAsync("SELECT id::text FROM calls"))!);
        Assert.Equal("queued", await worker.TextAsync($"SELECT status FROM leads WHERE id = '{lead.LeadId}'"));
        await using (var connection = await worker.DataSource.OpenConnectionAsync())
        {
            await DialerData.AddToDoNotCallAsync(connection, lead.Phone!);
        }

        await worker.RunJobAsync(JobTypes.PlaceCall, new PlaceCallJob(callId, lead.LeadId, "new"));

        Assert.Empty(((RecordingTelephonyProvider)worker.Services.GetRequiredService<ITelephonyProvider>()).PlacedCalls);
        Assert.Equal("canceled", await worker.TextAsync($"SELECT status FROM calls WHERE id = '{callId}'"));
        Assert.Contains("do-not-call", await worker.TextAsync($"SELECT error FROM calls WHERE id = '{callId}'"), StringComparison.Ordinal);
        Assert.Equal("new", await worker.TextAsync($"SELECT status FROM leads WHERE id = '{lead.LeadId}'"));
        Assert.Equal(0, await worker.ScalarAsync($"SELECT attempts FROM leads WHERE id = '{lead.LeadId}'"));
    }

    [Fact]
    public async Task A_call_claimed_by_a_run_that_died_mid_dial_is_failed_as_unknown_and_never_redialled()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("middial");
        var campaign = Guid.NewGuid();
        var lead = Lead(campaign, "+12127365030", WorkerTestHost.ZoneWithLocalHour(10, 18), DateTimeOffset.UtcNow.AddDays(-1));
        await using var worker = await WorkerTestHost.CreateAsync(database, servers.Redis.ConnectionString, start: false);
        await using (var connection = await worker.DataSource.OpenConnectionAsync())
        {
            await DialerData.InsertCampaignAsync(connection, campaign, OpenRules, "running", maxConcurrentCalls: 5);
            await DialerData.InsertLeadAsync(connection, lead with { Status = "calling", Attempts = 1 });
        }

        var callId = Guid.NewGuid();
        await worker.ScalarAsync($"""
            WITH c AS (INSERT INTO calls (id, lead_id, campaign_id, direction, provider, to_number, status, started_at)
                       VALUES ('{callId}', '{lead.LeadId}', '{campaign}', 'outbound', 'recording', '{lead.Phone}', 'initiated', now()) RETURNING 1)
            SELECT count(*) FROM c
            """);

        await worker.RunJobAsync(JobTypes.PlaceCall, new PlaceCallJob(callId, lead.LeadId, "new"));

        Assert.Empty(((RecordingTelephonyProvider)worker.Services.GetRequiredService<ITelephonyProvider>()).PlacedCalls);
        Assert.Equal("failed", await worker.TextAsync($"SELECT status FROM calls WHERE id = '{callId}'"));
        Assert.Contains("outcome unknown", await worker.TextAsync($"SELECT error FROM calls WHERE id = '{callId}'"), StringComparison.Ordinal);
        Assert.Equal("new", await worker.TextAsync($"SELECT status FROM leads WHERE id = '{lead.LeadId}'"));
    }

    [Fact]
    public async Task Two_workers_scheduling_the_same_tick_produce_one_dialer_job_per_running_campaign()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("ticks");
        var settings = new Dictionary<string, string?> { ["Dialer:Interval"] = "01:00:00" };
        await using var first = await WorkerTestHost.CreateAsync(database, servers.Redis.ConnectionString, settings, start: false);
        await using var second = await WorkerTestHost.CreateAsync(database, servers.Redis.ConnectionString, settings, start: false);
        await using (var connection = await first.DataSource.OpenConnectionAsync())
        {
            await DialerData.InsertCampaignAsync(connection, Guid.NewGuid(), OpenRules, "running", null);
            await DialerData.InsertCampaignAsync(connection, Guid.NewGuid(), OpenRules, "running", null);
            await DialerData.InsertCampaignAsync(connection, Guid.NewGuid(), OpenRules, "paused", null);
        }

        await Task.WhenAll(
            first.Services.GetRequiredService<RecurringJobScheduler>().ScheduleDueAsync(CancellationToken.None),
            second.Services.GetRequiredService<RecurringJobScheduler>().ScheduleDueAsync(CancellationToken.None));
        await first.Services.GetRequiredService<RecurringJobScheduler>().ScheduleDueAsync(CancellationToken.None);

        Assert.Equal(2, await first.ScalarAsync("SELECT count(*) FROM job_outbox WHERE job_type = 'dialer'"));
        Assert.Equal(1, await first.ScalarAsync("SELECT count(*) FROM job_outbox WHERE job_type = 'retention'"));
    }

    [Fact]
    public async Task Retention_deletes_recordings_and_transcripts_past_their_retention_and_keeps_newer_ones()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("retention");
        var settings = new Dictionary<string, string?> { ["Retention:Recordings"] = "30.00:00:00", ["Retention:Transcripts"] = "60.00:00:00" };
        await using var worker = await WorkerTestHost.CreateAsync(database, servers.Redis.ConnectionString, settings, start: false);
        async Task<Guid> CallEndedDaysAgoAsync(int days)
        {
            var id = Guid.NewGuid();
            await worker.ScalarAsync($"""
                WITH c AS (INSERT INTO calls (id, direction, provider, status, recording_url, created_at, ended_at)
                           VALUES ('{id}', 'inbound', 'recording', 'completed', 'https://recordings.example/{id}', now() - interval '{days} days', now() - interval '{days} days') RETURNING id),
                     t AS (INSERT INTO call_turns (call_id, seq, speaker, text, started_at) SELECT id, 0, 'caller', 'hello', now() FROM c RETURNING 1)
                SELECT count(*) FROM t
                """);
            return id;
        }

        var recent = await CallEndedDaysAgoAsync(10);
        var middle = await CallEndedDaysAgoAsync(45);
        var old = await CallEndedDaysAgoAsync(90);

        await worker.RunJobAsync(JobTypes.Retention, new RetentionJob());

        Assert.Equal(1, await worker.ScalarAsync($"SELECT count(*) FROM calls WHERE recording_url IS NOT NULL AND id = '{recent}'"));
        Assert.Equal(0, await worker.ScalarAsync($"SELECT count(*) FROM calls WHERE recording_url IS NOT NULL AND id IN ('{middle}', '{old}')"));
        Assert.Equal(2, await worker.ScalarAsync($"SELECT count(*) FROM call_turns WHERE call_id IN ('{recent}', '{middle}')"));
        Assert.Equal(0, await worker.ScalarAsync($"SELECT count(*) FROM call_turns WHERE call_id = '{old}'"));
        Assert.Equal(3, await worker.ScalarAsync("SELECT count(*) FROM calls"));
    }

    private static DialCandidate Lead(Guid campaign, string phone, string? zone, DateTimeOffset? consent) => new()
    {
        LeadId = Guid.NewGuid(),
        CampaignId = campaign,
        Phone = phone,
        TimeZone = zone,
        Status = "new",
        ConsentGivenAt = consent,
    };
}
