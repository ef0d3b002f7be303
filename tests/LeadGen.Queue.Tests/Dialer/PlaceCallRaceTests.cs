using LeadGen.Core.Compliance;
using LeadGen.Core.Dialer;
using LeadGen.Core.Queue;
using LeadGen.Core.Telephony;
using LeadGen.Queue.Tests.Compliance;
using LeadGen.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LeadGen.Queue.Tests.Dialer;

/// <summary>A call's status only moves forward, whoever writes last.</summary>
[Collection(ServersCollection.Name)]
public sealed class PlaceCallRaceTests(SharedServers servers)
{
    private static readonly DialRules Rules = new()
    {
        ConsentRequired = false,
        MaxAttempts = 3,
        RetrySpacing = TimeSpan.FromMinutes(30),
        WindowStart = new TimeOnly(0, 0),
        WindowEnd = new TimeOnly(23, 59),
    };

    [Theory]
    [InlineData("completed", "new")]
    [InlineData("no_answer", "new")]
    [InlineData("in_progress", "calling")]
    public async Task A_status_callback_that_arrives_before_place_call_records_its_result_is_not_overwritten(string callbackStatus, string leadAfter)
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("race");
        var provider = new CallbackFirstProvider(callbackStatus);
        await using var worker = await WorkerTestHost.CreateAsync(database, servers.Redis.ConnectionString, start: false,
            services: services => services.AddSingleton<ITelephonyProvider>(provider));
        provider.Lifecycle = ActivatorUtilities.CreateInstance<CallLifecycle>(worker.Services);
        var campaign = Guid.NewGuid();
        var lead = Guid.NewGuid();
        await using (var connection = await worker.DataSource.OpenConnectionAsync())
        {
            await DialerData.InsertCampaignAsync(connection, campaign, Rules with { DefaultTimeZone = WorkerTestHost.ZoneWithLocalHour(9, 20) }, "running", 5);
            await DialerData.InsertLeadAsync(connection, new DialCandidate
            {
                LeadId = lead,
                CampaignId = campaign,
                Phone = "+12127365099",
                TimeZone = WorkerTestHost.ZoneWithLocalHour(9, 20),
                Status = "new",
            });
        }

        await worker.RunJobAsync(JobTypes.Dialer, new DialerJob(campaign));
        var callId = Guid.Parse((await worker.TextAsync("SELECT id::text FROM calls"))!);
        await worker.RunJobAsync(JobTypes.PlaceCall, new PlaceCallJob(callId, lead, "new"));

        Assert.Equal(1, provider.Placed);
        Assert.Equal(callbackStatus, await worker.TextAsync($"SELECT status FROM calls WHERE id = '{callId}'"));
        Assert.Equal("CA" + callId.ToString("N"), await worker.TextAsync($"SELECT provider_call_id FROM calls WHERE id = '{callId}'"));
        Assert.Equal(leadAfter, await worker.TextAsync($"SELECT status FROM leads WHERE id = '{lead}'"));
        Assert.Equal(1, await worker.ScalarAsync($"SELECT attempts FROM leads WHERE id = '{lead}'"));
    }

    /// <summary>Twilio's status callback for the call reaches us while the create-call request is still being answered.</summary>
    private sealed class CallbackFirstProvider(string callbackStatus) : ITelephonyProvider
    {
        public CallLifecycle? Lifecycle { get; set; }

        public int Placed { get; private set; }

        public string Name => "twilio";

        public async Task<PlaceCallResult> PlaceCallAsync(PlaceCallRequest request, CancellationToken cancellationToken)
        {
            Placed++;
            await Lifecycle!.ApplyStatusAsync(request.CallId, callbackStatus, null, cancellationToken);
            return new PlaceCallResult("CA" + request.CallId.ToString("N"), "queued");
        }

        public Task HangUpAsync(string providerCallId, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task RedirectAsync(string providerCallId, string twiml, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<ProviderCallStatus?> GetCallStatusAsync(string providerCallId, CancellationToken cancellationToken) => Task.FromResult<ProviderCallStatus?>(null);
    }
}
