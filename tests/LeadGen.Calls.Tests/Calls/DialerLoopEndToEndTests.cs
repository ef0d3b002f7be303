extern alias worker;

using LeadGen.Core.Calls;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Compliance;
using LeadGen.Core.Dialer;
using LeadGen.Core.Leads;
using LeadGen.Core.Persistence;
using LeadGen.Core.Queue;
using LeadGen.Core.Telephony;
using LeadGen.Simulator;
using LeadGen.Testing;
using worker::LeadGen.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LeadGen.Calls.Tests.Calls;

/// <summary>
/// Issue 12's first campaign run, end to end: a Worker (dialer, place-call through the telephony simulator) and the
/// real VoiceApi with no voice model. The simulated call is answered with "not configured" and completes at once; the
/// lead must not stay <c>calling</c>: it is retried after the campaign's spacing, and nothing holds its call slot.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class DialerLoopEndToEndTests(SharedServers servers)
{
    [Fact]
    public async Task A_call_that_completes_without_a_conversation_sends_its_lead_back_to_the_dialer()
    {
        await using var api = await VoiceApiHost.StartAsync(servers, geminiEndpoint: null);
        var zone = ZoneWithLocalHour(10, 19);
        var campaign = await api.Campaigns.CreateAsync("First run", VoiceApiHost.DefaultCampaign with
        {
            ConsentRequired = false,
            CallingWindowStart = new TimeOnly(0, 0),
            CallingWindowEnd = new TimeOnly(23, 59),
            RetrySpacingMinutes = 90,
            CallerId = "+15550100001",
        }, CancellationToken.None);
        var lead = (await api.Leads.CreateAsync(campaign.Id, new NewLead { Name = "Dana Smith", Phone = "+15550100777", TimeZone = zone }, CancellationToken.None))!;
        await api.Campaigns.ChangeStatusAsync(campaign.Id, [CampaignStatuses.Draft], CampaignStatuses.Running, CancellationToken.None);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:leadgendb"] = api.ConnectionString,
            ["ConnectionStrings:cache"] = servers.Redis.ConnectionString,
            ["PublicBaseUrl"] = api.BaseUrl.ToString().TrimEnd('/'),
            ["Telephony:Provider"] = "simulator",
            ["Twilio:AuthToken"] = VoiceApiHost.AuthToken,
            ["Dialer:Interval"] = "00:00:01",
            ["Queue:ConsumerPollInterval"] = "00:00:00.100",
            ["Queue:RelayPollInterval"] = "00:00:00.200",
        });
        builder.AddLeadGenWorkerFeatures(); // exactly what the Worker runs
        using var worker = builder.Build();
        await worker.StartAsync();
        try
        {
            Assert.Equal("simulator", worker.Services.GetRequiredService<ITelephonyProvider>().Name);
            var settled = await Eventually.WaitForAsync(
                () => api.Leads.GetAsync(lead.Id, CancellationToken.None),
                current => current is { Attempts: 1, Status: LeadStatuses.New },
                TimeSpan.FromSeconds(60));

            Assert.NotNull(settled!.NextAttemptAt);
            Assert.InRange(settled.NextAttemptAt!.Value - settled.LastAttemptAt!.Value, TimeSpan.FromMinutes(89), TimeSpan.FromMinutes(91));
            Assert.Equal(1, await api.CountAsync("SELECT count(*) FROM calls WHERE lead_id = @lead AND status = 'completed'", ("lead", lead.Id)));
            Assert.Equal(0, await api.CountAsync("SELECT count(*) FROM calls WHERE status IN ('queued', 'initiated', 'ringing', 'in_progress')"));
        }
        finally
        {
            await worker.StopAsync();
        }
    }

    private static string ZoneWithLocalHour(int from, int to)
    {
        string[] zones =
        [
            "Pacific/Auckland", "Australia/Sydney", "Asia/Tokyo", "Asia/Shanghai", "Asia/Bangkok", "Asia/Dhaka", "Asia/Karachi",
            "Asia/Dubai", "Europe/Moscow", "Europe/Athens", "Europe/Berlin", "Europe/London", "Atlantic/Azores", "America/Noronha",
            "America/Sao_Paulo", "America/Halifax", "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
            "America/Anchorage", "Pacific/Honolulu", "Pacific/Pago_Pago", "Pacific/Kiritimati",
        ];
        var now = DateTimeOffset.UtcNow;
        return zones.First(id => TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(id)).Hour is var hour && hour >= from && hour < to);
    }
}
