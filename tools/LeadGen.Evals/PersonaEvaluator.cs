using System.Diagnostics;
using System.Globalization;
using LeadGen.Core.Agent;
using LeadGen.Core.Calls;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Gemini;
using LeadGen.Core.Leads;
using LeadGen.Core.Telephony;
using LeadGen.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LeadGen.Evals;

/// <summary>
/// Runs personas through the real pipeline of a running VoiceApi (its voice webhook, ConversationRelay socket, text
/// agent and tools, Postgres, the status callback, then the same post-call analysis the analyze-call job runs) with the
/// simulator playing Twilio and the lead, and compares what was stored with each persona's expected outcome.
/// </summary>
public sealed class PersonaEvaluator(Uri voiceApiBaseUrl, IServiceProvider voiceApi, string authToken)
{
    /// <summary>How fast Twilio's TTS "plays" the agent in the evals (fast: the evals measure the agent, not speech).</summary>
    public double WordsPerMinute { get; init; } = 3000;

    /// <summary>Personas called at once (1: one after another, as the benchmark measures turn latency).</summary>
    public int Concurrency { get; init; } = 1;

    public async Task<EvalReport> RunAsync(IReadOnlyList<LeadPersona> personas, CancellationToken cancellationToken)
    {
        var campaigns = voiceApi.GetRequiredService<CampaignStore>();
        var engine = voiceApi.GetRequiredService<GeminiEngine>();
        var campaign = await campaigns.CreateAsync($"Evals {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}", DemoCampaign.Settings, cancellationToken);
        var phones = new List<string>(personas.Count);
        var seed = 0;
        foreach (var persona in personas)
        {
            var phone = PersonaCatalog.Default.PhoneFor(persona, seed);
            seed = int.Parse(phone[^4..], CultureInfo.InvariantCulture) + 1;
            phones.Add(phone);
        }

        var results = new PersonaResult[personas.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, personas.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Concurrency), CancellationToken = cancellationToken },
            async (i, token) => results[i] = await RunOneAsync(campaign, personas[i], phones[i], token));
        return new EvalReport(engine.Label, engine.Model, results);
    }

    private async Task<PersonaResult> RunOneAsync(Campaign campaign, LeadPersona persona, string phone, CancellationToken cancellationToken)
    {
        var leads = voiceApi.GetRequiredService<LeadStore>();
        var calls = voiceApi.GetRequiredService<CallStore>();
        var lead = await leads.CreateAsync(campaign.Id, new NewLead { Name = "Eval Lead", Phone = phone }, cancellationToken)
            ?? throw new InvalidOperationException($"Lead for persona {persona.Id} was not created.");
        var call = await calls.CreateAsync(new NewCall
        {
            LeadId = lead.Id,
            CampaignId = campaign.Id,
            Direction = CallDirections.Outbound,
            Provider = TelephonyProviderNames.Simulator,
            ToNumber = phone,
            FromNumber = "+12125550100",
            Status = CallStatuses.Initiated,
        }, cancellationToken);

        using var control = new SimulatedCallControl();
        var options = new SimulatedRelayCallOptions
        {
            VoiceUrl = Url($"telephony/twilio/voice?callId={call.Id}"),
            StatusCallbackUrl = Url($"telephony/twilio/status?callId={call.Id}"),
            AmdCallbackUrl = Url($"telephony/twilio/amd?callId={call.Id}"),
            AnsweredBy = persona.Voicemail ? AnsweringMachineDetection.MachineEndBeep : AnsweringMachineDetection.Human,
            AuthToken = authToken,
            Caller = new PersonaCaller(persona),
            To = phone,
            WordsPerMinute = WordsPerMinute,
            Control = control,
            MaxDuration = TimeSpan.FromMinutes(2),
        };
        voiceApi.GetRequiredService<SimulatorTelephonyProvider>().Attach(options.CallSid, control);

        using var http = new HttpClient();
        var clock = Stopwatch.StartNew();
        var simulated = await SimulatedRelayCall.RunAsync(options, http, cancellationToken);
        var stored = await WaitForFinalAsync(calls, call.Id, cancellationToken);
        string? analysisError = null;
        try
        {
            await voiceApi.GetRequiredService<ICallAnalyzer>().AnalyzeAsync(call.Id, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            analysisError = exception.Message;
        }

        clock.Stop();
        stored = await calls.GetAsync(call.Id, cancellationToken) ?? stored;
        var after = await leads.GetAsync(lead.Id, cancellationToken) ?? lead;
        var callbackAt = await ScalarAsync<DateTime?>("SELECT max(scheduled_for) FROM callbacks WHERE lead_id = @id", ("id", lead.Id), cancellationToken) is { } scheduled
            ? new DateTimeOffset(DateTime.SpecifyKind(scheduled, DateTimeKind.Utc))
            : (DateTimeOffset?)null;
        var onDoNotCall = await ScalarAsync<long>("SELECT count(*) FROM do_not_call WHERE phone = @phone", ("phone", phone), cancellationToken) > 0;
        var transcript = await calls.GetTranscriptAsync(call.Id, cancellationToken);
        var turns = transcript.Count(turn => turn.Speaker is CallSpeakers.Agent or CallSpeakers.Caller);
        return PersonaResult.Compare(
            persona,
            new ObservedCall(
                ActualOutcome(after, stored),
                after.Score,
                ActualFields(after),
                callbackAt,
                onDoNotCall,
                turns,
                simulated.TurnLatenciesMs,
                clock.Elapsed,
                (stored?.InputTokens ?? 0) + (stored?.OutputTokens ?? 0),
                stored?.DurationSeconds ?? (int)simulated.Duration.TotalSeconds,
                analysisError,
                [.. transcript.OrderBy(turn => turn.Seq).Select(turn => $"{turn.Speaker}: {turn.Text}")]),
            DateTimeOffset.UtcNow);
    }

    /// <summary>What the call ended as: the lead's verdict, else the call's disposition, else no verdict.</summary>
    public static string ActualOutcome(Lead lead, Call? call) => lead.Status switch
    {
        LeadStatuses.Qualified => "qualified",
        LeadStatuses.Disqualified => "disqualified",
        LeadStatuses.Callback => "callback",
        LeadStatuses.DoNotCall => "do_not_call",
        _ => call?.Disposition is CallDispositions.Voicemail or CallDispositions.Transferred ? call.Disposition : "no_verdict",
    };

    /// <summary>The fields the personas state expectations on, as stored: budget, authority (qualification JSON), e-mail.</summary>
    public static Dictionary<string, string> ActualFields(Lead lead)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (lead.Qualification["budget"] is { } budget && decimal.TryParse(budget.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
        {
            fields["budget"] = amount.ToString("0.##", CultureInfo.InvariantCulture);
        }

        if (lead.Qualification["authority"] is { } authority && bool.TryParse(authority.ToString(), out var decides))
        {
            fields["authority"] = decides ? "true" : "false";
        }

        if (lead.Email is { Length: > 0 } email)
        {
            fields["email"] = email;
        }

        return fields;
    }

    private static async Task<Call?> WaitForFinalAsync(CallStore calls, Guid callId, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var call = await calls.GetAsync(callId, cancellationToken);
            if (call is null || CallStatuses.Final.Contains(call.Status) || DateTime.UtcNow > deadline)
            {
                return call;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task<T> ScalarAsync<T>(string sql, (string Name, object Value) parameter, CancellationToken cancellationToken)
    {
        var command = voiceApi.GetRequiredService<NpgsqlDataSource>().CreateCommand(sql);
        await using (command)
        {
            command.Parameters.AddWithValue(parameter.Name, parameter.Value);
            var value = await command.ExecuteScalarAsync(cancellationToken);
            return value is null or DBNull ? default! : (T)value;
        }
    }

    private Uri Url(string relative) => new(voiceApiBaseUrl, relative);
}
