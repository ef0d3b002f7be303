using LeadGen.Testing.Logging;
using System.Collections.Concurrent;
using LeadGen.Core.Calls;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Compliance;
using LeadGen.Core.Leads;
using LeadGen.Simulator;
using LeadGen.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LeadGen.Calls.Tests.Calls;

/// <summary>
/// A lead's phone number, e-mail and name never reach the logs at Information or above: a whole call (signed webhooks
/// carrying From/To, the relay conversation where the lead says their name and e-mail, the agent's tools, the status
/// and answering-machine callbacks) runs with the VoiceApi's shipped log levels while a provider captures every
/// record of every category, and the captured text (message, state values, scopes, exceptions) is searched.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class PersonalDataLogTests(SharedServers servers)
{
    private const string Phone = "+12125550142";
    private const string Name = "Quintessa Valdebrook";
    private const string Email = "quintessa.valdebrook@example.com";

    [Fact]
    public async Task A_whole_call_logs_no_phone_number_email_or_name_of_the_lead()
    {
        var logs = new CapturedLogs();
        await using var host = await VoiceApiHost.StartAsync(servers, null, new Dictionary<string, string?>
        {
            // The VoiceApi's appsettings.json levels (the test host's defaults are quieter).
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:LeadGen"] = "Information",
            ["Telephony:ConversationRelay:WordsPerMinute"] = "6000",
        }, web => web.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(logs)));
        var campaign = await host.Campaigns.CreateAsync("Privacy", VoiceApiHost.DefaultCampaign with
        {
            VoiceMode = VoiceModes.ConversationRelay,
            QualificationQuestions =
            [
                new QualificationQuestion("budget", "What budget do you have in mind?"),
                new QualificationQuestion("email", "What e-mail address should we send the details to?"),
            ],
        }, CancellationToken.None);
        var lead = await host.Leads.CreateAsync(campaign.Id, new NewLead { Name = Name, Phone = Phone, Email = Email }, CancellationToken.None);
        var call = await host.Calls.CreateAsync(new NewCall
        {
            LeadId = lead!.Id,
            CampaignId = campaign.Id,
            Direction = CallDirections.Outbound,
            Provider = "simulator",
            ToNumber = Phone,
            FromNumber = "+12125550100",
            Status = CallStatuses.Initiated,
        }, CancellationToken.None);
        using var http = new HttpClient();

        var result = await SimulatedRelayCall.RunAsync(new SimulatedRelayCallOptions
        {
            VoiceUrl = host.VoiceUrl(call.Id),
            StatusCallbackUrl = host.StatusUrl(call.Id),
            AmdCallbackUrl = host.AmdUrl(call.Id),
            AnsweredBy = "human",
            AuthToken = VoiceApiHost.AuthToken,
            To = Phone,
            WordsPerMinute = 6000,
            MaxDuration = TimeSpan.FromSeconds(60),
            Caller = new ScriptedRelayCaller(
                new RelayCallerAction.Say($"This is {Name}. Our budget is about $20,000."),
                new RelayCallerAction.Say($"Send it to {Email}, or call me back on {Phone}.")),
        }, http, CancellationToken.None);

        Assert.True(result.SocketOpened);
        Assert.True(result.AgentReplies.Count >= 2, string.Join(" | ", result.AgentReplies));
        var stored = await Eventually.WaitForAsync(() => host.Calls.GetAsync(call.Id, CancellationToken.None), c => c?.Status == CallStatuses.Completed);
        Assert.Equal(CallStatuses.Completed, stored!.Status);
        var transcript = await host.Calls.GetTranscriptAsync(call.Id, CancellationToken.None);
        Assert.Contains(transcript, turn => turn.Text.Contains(Email, StringComparison.Ordinal)); // the data was there to leak

        var records = logs.Records.Where(r => r.Level >= LogLevel.Information).ToList();
        Assert.True(records.Count >= 5, $"only {records.Count} records captured");
        Assert.All(new[] { Phone, Phone[2..], Email, Name, Name.Split(' ')[1] }, secret =>
            Assert.DoesNotContain(records, record => record.Text.Contains(secret, StringComparison.OrdinalIgnoreCase)));
    }
}

/// <summary>A log parameter classified as personal data is redacted for every provider, in the message and the state.</summary>
public sealed partial class PersonalDataRedactionTests
{
    [Fact]
    public void A_personal_data_parameter_is_logged_as_the_placeholder()
    {
        var logs = new CapturedLogs();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.AddLeadGenLogRedaction();
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILogger<PersonalDataRedactionTests>>();

        Dialled(logger, Guid.Empty, "+12125550199");

        var record = Assert.Single(logs.Records);
        Assert.DoesNotContain("2125550199", record.Text, StringComparison.Ordinal);
        Assert.Contains(PersonalDataRedactor.Placeholder, record.Text, StringComparison.Ordinal);
        Assert.Contains(Guid.Empty.ToString(), record.Text, StringComparison.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} dialled {Phone}")]
    private static partial void Dialled(ILogger logger, Guid callId, [PersonalData] string phone);
}
