using System.Net;
using LeadGen.Core.Calls;
using LeadGen.Core.Leads;
using LeadGen.Testing;

namespace LeadGen.Calls.Tests.Calls;

/// <summary>With no voice model configured the voice webhook still records the call before it says so and hangs up.</summary>
[Collection(ServersCollection.Name)]
public sealed class OfflineVoiceWebhookTests(SharedServers servers)
{
    private const string OurNumber = "+15550100001";

    [Fact]
    public async Task An_inbound_call_from_a_known_lead_is_recorded_even_though_no_voice_model_answers_it()
    {
        await using var host = await VoiceApiHost.StartAsync(servers, geminiEndpoint: null);
        var campaign = await host.Campaigns.CreateAsync("Callback line", VoiceApiHost.DefaultCampaign with { CallerId = OurNumber }, CancellationToken.None);
        var lead = (await host.Leads.CreateAsync(campaign.Id, new NewLead { Name = "Dana Smith", Phone = "+15550100444" }, CancellationToken.None))!;
        using var http = new HttpClient();

        using var response = await VoiceApiHost.PostSignedAsync(http, new Uri(host.BaseUrl, "telephony/twilio/voice"),
        [
            new("CallSid", "CA0ff1ine0000000000000000000000001"),
            new("AccountSid", VoiceApiHost.AccountSid),
            new("From", lead.Phone!),
            new("To", OurNumber),
            new("Direction", "inbound"),
            new("CallStatus", "ringing"),
        ]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var twiml = await response.Content.ReadAsStringAsync();
        Assert.Contains("<Hangup", twiml, StringComparison.Ordinal);
        var call = await host.Calls.GetByProviderCallIdAsync("simulator", "CA0ff1ine0000000000000000000000001", CancellationToken.None);
        Assert.NotNull(call);
        Assert.Equal(CallDirections.Inbound, call.Direction);
        Assert.Equal(lead.Id, call.LeadId);
        Assert.Equal(campaign.Id, call.CampaignId);
        Assert.Contains("no voice model", call.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_outbound_call_answered_while_no_voice_model_is_configured_gets_its_provider_id_and_the_reason()
    {
        await using var host = await VoiceApiHost.StartAsync(servers, geminiEndpoint: null);
        var (_, _, call) = await host.CreateOutboundCallAsync(phone: "+15550100445");
        using var http = new HttpClient();

        using var response = await VoiceApiHost.PostSignedAsync(http, host.VoiceUrl(call.Id),
        [
            new("CallSid", "CA0ff1ine0000000000000000000000002"),
            new("AccountSid", VoiceApiHost.AccountSid),
            new("From", "+15550100001"),
            new("To", "+15550100445"),
            new("Direction", "outbound-api"),
            new("CallStatus", "in-progress"),
        ]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<Hangup", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var stored = (await host.Calls.GetAsync(call.Id, CancellationToken.None))!;
        Assert.Equal("CA0ff1ine0000000000000000000000002", stored.ProviderCallId);
        Assert.Contains("no voice model", stored.Error, StringComparison.OrdinalIgnoreCase);
    }
}
