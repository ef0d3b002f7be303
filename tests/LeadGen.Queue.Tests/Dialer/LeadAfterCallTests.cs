using LeadGen.Core.Compliance;
using LeadGen.Core.Telephony;
using LeadGen.Queue.Tests.Compliance;
using LeadGen.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LeadGen.Queue.Tests.Dialer;

/// <summary>Rule 1 of the dialer loop: every final call status moves its lead on (retry, unreachable, or its verdict kept).</summary>
[Collection(ServersCollection.Name)]
public sealed class LeadAfterCallTests(SharedServers servers)
{
    private static readonly DialRules Rules = new()
    {
        ConsentRequired = false,
        MaxAttempts = 3,
        RetrySpacing = TimeSpan.FromMinutes(60),
        WindowStart = new TimeOnly(8, 0),
        WindowEnd = new TimeOnly(21, 0),
    };

    [Theory]
    [InlineData("busy")]
    [InlineData("no_answer")]
    [InlineData("failed")]
    [InlineData("canceled")]
    [InlineData("completed")]
    public async Task A_call_ending_without_a_verdict_sends_its_lead_back_to_the_dialer_after_the_retry_spacing(string finalStatus)
    {
        await using var world = await World.CreateAsync(servers, Rules);
        var (lead, call) = await world.LeadInCallAsync(attempts: 1);

        await world.Lifecycle.ApplyStatusAsync(call, finalStatus, null, CancellationToken.None);

        Assert.Equal(finalStatus, await world.Worker.TextAsync($"SELECT status FROM calls WHERE id = '{call}'"));
        Assert.Equal("new", await world.Worker.TextAsync($"SELECT status FROM leads WHERE id = '{lead}'"));
        var dueInMinutes = await world.Worker.ScalarAsync($"SELECT round(extract(epoch FROM next_attempt_at - last_attempt_at) / 60) FROM leads WHERE id = '{lead}'");
        Assert.InRange(dueInMinutes, 60, 60 + 61); // the spacing; a no-answer may be moved one more hour
        Assert.Equal(1, await world.Worker.ScalarAsync($"SELECT attempts FROM leads WHERE id = '{lead}'"));
    }

    [Fact]
    public async Task The_last_allowed_attempt_ending_unanswered_makes_the_lead_unreachable()
    {
        await using var world = await World.CreateAsync(servers, Rules);
        var (lead, call) = await world.LeadInCallAsync(attempts: 3);

        await world.Lifecycle.ApplyStatusAsync(call, "no_answer", null, CancellationToken.None);

        Assert.Equal("unreachable", await world.Worker.TextAsync($"SELECT status FROM leads WHERE id = '{lead}'"));
        Assert.Equal(1, await world.Worker.ScalarAsync($"SELECT count(*) FROM leads WHERE id = '{lead}' AND next_attempt_at IS NULL"));
    }

    [Fact]
    public async Task An_unanswered_call_is_retried_at_another_hour_of_day_when_the_spacing_is_whole_days()
    {
        await using var world = await World.CreateAsync(servers, Rules with { RetrySpacing = TimeSpan.FromDays(1) });
        var (lead, call) = await world.LeadInCallAsync(attempts: 1);

        await world.Lifecycle.ApplyStatusAsync(call, "no_answer", null, CancellationToken.None);

        Assert.Equal("new", await world.Worker.TextAsync($"SELECT status FROM leads WHERE id = '{lead}'"));
        Assert.Equal(0, await world.Worker.ScalarAsync(
            $"SELECT count(*) FROM leads WHERE id = '{lead}' AND extract(hour FROM next_attempt_at AT TIME ZONE 'UTC') = extract(hour FROM last_attempt_at AT TIME ZONE 'UTC')"));
        Assert.Equal(1, await world.Worker.ScalarAsync($"SELECT count(*) FROM leads WHERE id = '{lead}' AND next_attempt_at >= last_attempt_at + interval '1 day'"));
    }

    [Theory]
    [InlineData("qualified")]
    [InlineData("disqualified")]
    [InlineData("callback")]
    [InlineData("do_not_call")]
    public async Task A_verdict_the_agent_reached_during_the_call_is_kept_when_the_call_completes(string verdict)
    {
        await using var world = await World.CreateAsync(servers, Rules);
        var (lead, call) = await world.LeadInCallAsync(attempts: 1);
        await world.Worker.ScalarAsync($"WITH l AS (UPDATE leads SET status = '{verdict}' WHERE id = '{lead}' RETURNING 1) SELECT count(*) FROM l");

        await world.Lifecycle.ApplyStatusAsync(call, "completed", 42, CancellationToken.None);

        Assert.Equal(verdict, await world.Worker.TextAsync($"SELECT status FROM leads WHERE id = '{lead}'"));
    }

    [Fact]
    public async Task A_late_duplicate_final_event_does_not_move_the_lead_twice()
    {
        await using var world = await World.CreateAsync(servers, Rules);
        var (lead, call) = await world.LeadInCallAsync(attempts: 1);

        await world.Lifecycle.ApplyStatusAsync(call, "busy", null, CancellationToken.None);
        await world.Worker.ScalarAsync($"WITH l AS (UPDATE leads SET next_attempt_at = NULL, status = 'qualified' WHERE id = '{lead}' RETURNING 1) SELECT count(*) FROM l");
        await world.Lifecycle.ApplyStatusAsync(call, "no_answer", null, CancellationToken.None);
        await world.Lifecycle.ApplyStatusAsync(call, "ringing", null, CancellationToken.None);

        Assert.Equal("busy", await world.Worker.TextAsync($"SELECT status FROM calls WHERE id = '{call}'"));
        Assert.Equal("qualified", await world.Worker.TextAsync($"SELECT status FROM leads WHERE id = '{lead}'"));
    }

    internal sealed class World : IAsyncDisposable
    {
        private World(WorkerTestHost worker, Guid campaign)
        {
            Worker = worker;
            Campaign = campaign;
            Lifecycle = ActivatorUtilities.CreateInstance<CallLifecycle>(worker.Services);
        }

        public WorkerTestHost Worker { get; }

        public Guid Campaign { get; }

        public CallLifecycle Lifecycle { get; }

        public static async Task<World> CreateAsync(
            SharedServers servers, DialRules rules, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
        {
            var database = await servers.Postgres.CreateMigratedDatabaseAsync("leadafter");
            var worker = await WorkerTestHost.CreateAsync(database, servers.Redis.ConnectionString, settings, start: false, services);
            var campaign = Guid.NewGuid();
            await using var connection = await worker.DataSource.OpenConnectionAsync();
            await DialerData.InsertCampaignAsync(connection, campaign, rules, "running", maxConcurrentCalls: 5);
            return new World(worker, campaign);
        }

        /// <summary>The provider's call id the tests give a call: Twilio-shaped (CA + 32 hex) or the recording stand-in's.</summary>
        public static string ProviderCallId(string provider, Guid callId) => (provider == "twilio" ? "CA" : "REC") + callId.ToString("N");

        /// <summary>
        /// A lead in <c>calling</c> (its attempt counted, as the place-call job leaves it) and its live outbound call,
        /// whose last event was <paramref name="idleMinutes"/> ago.
        /// </summary>
        public async Task<(Guid Lead, Guid Call)> LeadInCallAsync(
            int attempts, string callStatus = "initiated", string provider = "recording", int idleMinutes = 0, string leadStatus = "calling", bool providerCallId = true)
        {
            var lead = Guid.NewGuid();
            var call = Guid.NewGuid();
            await using var connection = await Worker.DataSource.OpenConnectionAsync();
            await DialerData.InsertLeadAsync(connection, new DialCandidate
            {
                LeadId = lead,
                CampaignId = Campaign,
                Phone = "+1212736" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture),
                TimeZone = "America/New_York",
                Status = leadStatus,
                Attempts = attempts,
                LastAttemptAt = attempts > 0 ? DateTimeOffset.UtcNow.AddMinutes(-idleMinutes) : null,
            });
            var sid = providerCallId ? $"'{ProviderCallId(provider, call)}'" : "NULL";
            await Worker.ScalarAsync($"""
                WITH c AS (INSERT INTO calls (id, lead_id, campaign_id, direction, provider, provider_call_id, to_number, status, started_at, created_at, updated_at)
                           VALUES ('{call}', '{lead}', '{Campaign}', 'outbound', '{provider}', {sid}, '+12127360000', '{callStatus}',
                                   now() - interval '{idleMinutes} minutes', now() - interval '{idleMinutes} minutes', now() - interval '{idleMinutes} minutes') RETURNING 1)
                SELECT count(*) FROM c
                """);
            return (lead, call);
        }

        public ValueTask DisposeAsync() => Worker.DisposeAsync();
    }
}
