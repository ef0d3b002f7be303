using LeadGen.Core.Calls;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Leads;
using LeadGen.Core.Telephony.Twilio;
using LeadGen.Simulator;
using LeadGen.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LeadGen.Calls.Tests.Calls;

/// <summary>
/// The real VoiceApi on Kestrel (127.0.0.1, free port) over a fresh migrated database and the shared Redis, with the
/// telephony simulator as provider and, optionally, the fake Gemini Live server as the voice model.
/// </summary>
public sealed class VoiceApiHost : IAsyncDisposable
{
    public const string AuthToken = "test-auth-token-not-a-secret";

    private readonly KestrelApp<Program> _app;

    private VoiceApiHost(KestrelApp<Program> app)
    {
        _app = app;
        DataSource = NpgsqlDataSource.Create(app.ConnectionString);
        Calls = new CallStore(DataSource, TimeProvider.System);
        Campaigns = new CampaignStore(DataSource, TimeProvider.System);
        Leads = new LeadStore(DataSource, TimeProvider.System);
    }

    public Uri BaseUrl => _app.BaseUrl;

    public string ConnectionString => _app.ConnectionString;

    public NpgsqlDataSource DataSource { get; }

    public CallStore Calls { get; }

    public CampaignStore Campaigns { get; }

    public LeadStore Leads { get; }

    public IServiceProvider Services => _app.Services;

    public const string AccountSid = "AC00000000000000000000000000000000";

    /// <param name="overrides">Settings replacing the defaults (e.g. Telephony:Provider=twilio with a fake Twilio:ApiBaseUrl).</param>
    /// <param name="configure">Anything else on the host (test services, log capture).</param>
    public static async Task<VoiceApiHost> StartAsync(
        SharedServers servers, Uri? geminiEndpoint, IReadOnlyDictionary<string, string?>? overrides = null, Action<IWebHostBuilder>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Twilio:AuthToken"] = AuthToken,
            ["Twilio:AccountSid"] = AccountSid,
            ["Telephony:Provider"] = "simulator",
            ["Telephony:TransferNumber"] = "+15550109999",
            ["Gemini:Mode"] = geminiEndpoint is null ? "offline" : "apikey",
            ["Gemini:ApiKey"] = geminiEndpoint is null ? null : "fake-key",
            ["Gemini:Endpoint"] = geminiEndpoint?.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:LeadGen"] = "Information",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = await KestrelApp.StartAsync<Program>(servers, "calls", settings, web =>
        {
            if (Environment.GetEnvironmentVariable("LEADGEN_TEST_LOG") is { Length: > 0 } logPath)
            {
                web.ConfigureLogging(logging => logging.AddProvider(new FileLoggerProvider(logPath)));
            }

            configure?.Invoke(web);
        });
        return new VoiceApiHost(app);
    }

    public Uri VoiceUrl(Guid callId) => new(BaseUrl, $"telephony/twilio/voice?callId={callId}");

    public Uri StatusUrl(Guid callId) => new(BaseUrl, $"telephony/twilio/status?callId={callId}");

    public Uri AmdUrl(Guid callId) => new(BaseUrl, $"telephony/twilio/amd?callId={callId}");

    /// <summary>Twilio's side of an outbound call to <paramref name="lead"/>: signed webhooks, status and AMD callbacks to this host.</summary>
    public SimulatedCallOptions CallTo(Call call, Lead lead, IReadOnlyList<CallerStep> script, SimulatedCallControl? control = null) => new()
    {
        VoiceUrl = VoiceUrl(call.Id),
        StatusCallbackUrl = StatusUrl(call.Id),
        AmdCallbackUrl = AmdUrl(call.Id),
        AuthToken = AuthToken,
        To = lead.Phone!,
        Control = control,
        Script = script,
    };

    /// <summary>The telephony provider the VoiceApi uses (Telephony:Provider=simulator): records hang-ups and redirects.</summary>
    public SimulatorTelephonyProvider Simulator => Services.GetRequiredService<SimulatorTelephonyProvider>();

    /// <summary>The campaign every call test uses unless it needs other settings (voicemail policy, caller ID).</summary>
    public static CampaignSettings DefaultCampaign { get; } = new()
    {
        PersonaName = "Ava",
        CompanyName = "Acme Solar",
        ProductFacts = "Rooftop solar panels with installation.",
        QualificationQuestions = [new QualificationQuestion("budget", "What budget do you have in mind?")],
    };

    /// <summary>Posts a form the way Twilio does: signed with <see cref="AuthToken"/> (or <paramref name="authToken"/>) over the URL.</summary>
    public static async Task<HttpResponseMessage> PostSignedAsync(
        HttpClient http, Uri url, IReadOnlyList<KeyValuePair<string, string>> form, string authToken = AuthToken, string? signatureOverride = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.HeaderName, signatureOverride ?? TwilioRequestSigner.Sign(authToken, url.ToString(), form));
        return await http.SendAsync(request);
    }

    /// <summary>A running campaign with one lead and a queued outbound call to it.</summary>
    public async Task<(Campaign Campaign, Lead Lead, Call Call)> CreateOutboundCallAsync(string phone = "+15550100002", CampaignSettings? settings = null)
    {
        var campaign = await Campaigns.CreateAsync("Solar spring", settings ?? DefaultCampaign, CancellationToken.None);
        var lead = await Leads.CreateAsync(campaign.Id, new NewLead { Name = "Dana Smith", Phone = phone }, CancellationToken.None)
            ?? throw new InvalidOperationException("lead not created");
        var call = await Calls.CreateAsync(new NewCall
        {
            LeadId = lead.Id,
            CampaignId = campaign.Id,
            Direction = CallDirections.Outbound,
            Provider = "simulator",
            ToNumber = phone,
            FromNumber = "+15550100001",
            Status = CallStatuses.Initiated,
        }, CancellationToken.None);
        return (campaign, lead, call);
    }

    public async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await DataSource.DisposeAsync();
    }

    public static string MediaPath => TwilioWebhooks.MediaPath;
}
