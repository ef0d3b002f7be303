using LeadGen.Core.Compliance;
using LeadGen.Core.Dialer;
using LeadGen.Core.Queue;
using LeadGen.Core.Telephony;
using LeadGen.Core.Telephony.Twilio;
using LeadGen.Testing;
using LeadGen.Testing.Twilio;
using Microsoft.Extensions.DependencyInjection;

namespace LeadGen.Queue.Tests.Dialer;

/// <summary>No call stays open forever: the reaper ends calls that had no event past their status's bound.</summary>
[Collection(ServersCollection.Name)]
public sealed class CallReaperTests(SharedServers servers)
{
    private const string AccountSid = "AC0000000000000000000000000000reap";
    private const string AuthToken = "reaper-test-token-not-a-secret";

    private static readonly DialRules Rules = new()
    {
        ConsentRequired = false,
        MaxAttempts = 3,
        RetrySpacing = TimeSpan.FromMinutes(60),
        WindowStart = new TimeOnly(8, 0),
        WindowEnd = new TimeOnly(21, 0),
    };

    [Fact]
    public async Task Stale_twilio_calls_are_settled_from_the_call_resource_and_their_leads_move_on()
    {
        await using var twilio = await FakeTwilioRestApi.StartAsync(AccountSid, AuthToken);
        var settings = new Dictionary<string, string?>
        {
            ["Twilio:AccountSid"] = AccountSid,
            ["Twilio:AuthToken"] = AuthToken,
            ["Twilio:ApiBaseUrl"] = twilio.BaseUrl.ToString(),
        };
        await using var world = await LeadAfterCallTests.World.CreateAsync(servers, Rules, settings, services =>
            services.AddTwilioRestClient().Services.AddSingleton<ITelephonyProvider, TwilioTelephonyProvider>());
        var worker = world.Worker;
        var (noAnswerLead, noAnswer) = await world.LeadInCallAsync(attempts: 1, callStatus: "ringing", provider: "twilio", idleMinutes: 4);
        var (completedLead, completed) = await world.LeadInCallAsync(attempts: 1, callStatus: "in_progress", provider: "twilio", idleMinutes: 16);
        var (unknownLead, unknown) = await world.LeadInCallAsync(attempts: 3, callStatus: "initiated", provider: "twilio", idleMinutes: 6);
        var (silentLead, silent) = await world.LeadInCallAsync(attempts: 1, callStatus: "in_progress", provider: "twilio", idleMinutes: 16);
        var (_, fresh) = await world.LeadInCallAsync(attempts: 1, callStatus: "ringing", provider: "twilio", idleMinutes: 1);
        var (_, talking) = await world.LeadInCallAsync(attempts: 1, callStatus: "in_progress", provider: "twilio", idleMinutes: 30);
        await worker.ScalarAsync($"WITH t AS (INSERT INTO call_turns (call_id, seq, speaker, text, started_at) VALUES ('{talking}', 0, 'caller', 'still here', now()) RETURNING 1) SELECT count(*) FROM t");
        twilio.KnownCalls[Sid(noAnswer)] = new TwilioCallState("no-answer");
        twilio.KnownCalls[Sid(completed)] = new TwilioCallState("completed", 42);
        twilio.KnownCalls[Sid(silent)] = new TwilioCallState("in-progress");
        twilio.KnownCalls[Sid(fresh)] = new TwilioCallState("ringing");

        await worker.RunJobAsync(JobTypes.ReapCalls, new ReapCallsJob());

        Assert.Equal("no_answer", await worker.TextAsync($"SELECT status FROM calls WHERE id = '{noAnswer}'"));
        Assert.Equal("new", await worker.TextAsync($"SELECT status FROM leads WHERE id = '{noAnswerLead}'"));
        Assert.Equal(1, await worker.ScalarAsync($"SELECT count(*) FROM leads WHERE id = '{noAnswerLead}' AND next_attempt_at > now()"));

        Assert.Equal("completed", await worker.TextAsync($"SELECT status FROM calls WHERE id = '{completed}'"));
        Assert.Equal(42, await worker.ScalarAsync($"SELECT duration_seconds FROM calls WHERE id = '{completed}'"));
        Assert.Equal("new", await worker.TextAsync($"SELECT status FROM leads WHERE id = '{completedLead}'"));
        Assert.Equal(1, await worker.ScalarAsync($"SELECT count(*) FROM job_outbox WHERE job_type = 'analyze-call' AND payload->>'callId' = '{completed}'"));

        Assert.Equal("failed", await worker.TextAsync($"SELECT status FROM calls WHERE id = '{unknown}'"));
        Assert.Contains("does not know the call", await worker.TextAsync($"SELECT error FROM calls WHERE id = '{unknown}'"), StringComparison.Ordinal);
        Assert.Equal("unreachable", await worker.TextAsync($"SELECT status FROM leads WHERE id = '{unknownLead}'"));

        // Twilio still says in progress, but no media for 15 minutes: hung up there (Status=completed) and ended here.
        Assert.Equal("completed", await worker.TextAsync($"SELECT status FROM calls WHERE id = '{silent}'"));
        Assert.Contains(twilio.CallUpdates, update => update.CallSid == Sid(silent) && update.Form.GetValueOrDefault("Status") == "completed");
        Assert.Equal("new", await worker.TextAsync($"SELECT status FROM leads WHERE id = '{silentLead}'"));

        // Within their bounds (recent status event, or a recent transcript turn): untouched and not even fetched.
        Assert.Equal("ringing", await worker.TextAsync($"SELECT status FROM calls WHERE id = '{fresh}'"));
        Assert.Equal("in_progress", await worker.TextAsync($"SELECT status FROM calls WHERE id = '{talking}'"));
        Assert.DoesNotContain(Sid(fresh), twilio.Fetches);
        Assert.DoesNotContain(Sid(talking), twilio.Fetches);
        Assert.Equal(4, twilio.Fetches.Count);
    }

    [Fact]
    public async Task Calls_the_recording_stand_in_placed_and_calls_never_dialled_do_not_hold_their_slots_forever()
    {
        await using var world = await LeadAfterCallTests.World.CreateAsync(servers, Rules);
        var worker = world.Worker;
        var (recordedLead, recorded) = await world.LeadInCallAsync(attempts: 1, callStatus: "initiated", idleMinutes: 6);
        var (queuedLead, queued) = await world.LeadInCallAsync(attempts: 0, callStatus: "queued", idleMinutes: 16, leadStatus: "queued", providerCallId: false);

        await worker.RunJobAsync(JobTypes.ReapCalls, new ReapCallsJob());

        Assert.Equal("failed", await worker.TextAsync($"SELECT status FROM calls WHERE id = '{recorded}'"));
        Assert.Equal("new", await worker.TextAsync($"SELECT status FROM leads WHERE id = '{recordedLead}'"));
        Assert.Equal("canceled", await worker.TextAsync($"SELECT status FROM calls WHERE id = '{queued}'"));
        Assert.Equal("new", await worker.TextAsync($"SELECT status FROM leads WHERE id = '{queuedLead}'"));
        Assert.Equal(0, await worker.ScalarAsync($"SELECT attempts FROM leads WHERE id = '{queuedLead}'"));
        Assert.Equal(0, await worker.ScalarAsync("SELECT count(*) FROM calls WHERE status IN ('queued', 'initiated', 'ringing', 'in_progress')"));
    }

    [Fact]
    public async Task A_twilio_outage_leaves_stale_calls_for_the_next_run()
    {
        await using var world = await LeadAfterCallTests.World.CreateAsync(servers, Rules, new Dictionary<string, string?>
        {
            ["Twilio:AccountSid"] = AccountSid,
            ["Twilio:AuthToken"] = AuthToken,
            ["Twilio:ApiBaseUrl"] = $"http://127.0.0.1:{FreePort.Next()}/",
        }, services => services.AddTwilioRestClient().Services.AddSingleton<ITelephonyProvider, TwilioTelephonyProvider>());
        var (lead, call) = await world.LeadInCallAsync(attempts: 1, callStatus: "ringing", provider: "twilio", idleMinutes: 10);

        await world.Worker.RunJobAsync(JobTypes.ReapCalls, new ReapCallsJob());

        Assert.Equal("ringing", await world.Worker.TextAsync($"SELECT status FROM calls WHERE id = '{call}'"));
        Assert.Equal("calling", await world.Worker.TextAsync($"SELECT status FROM leads WHERE id = '{lead}'"));
    }

    private static string Sid(Guid callId) => LeadAfterCallTests.World.ProviderCallId("twilio", callId);
}
