using System.CommandLine;
using LeadGen.Simulator;
using LeadGen.Testing;
using LeadGen.Tools;

namespace LeadGen.Evals;

// Evals: every persona (or --personas a,b) through the real pipeline: a VoiceApi on Kestrel over its own Postgres and
// Redis (started here), the simulator playing Twilio ConversationRelay and the lead. The engine is whatever the
// environment configures (Gemini__Mode etc.), offline by default. Prints the per-persona table, the totals and the
// RESULT line last.
internal static class EvalsProgram
{
    private const string AuthToken = "evals-auth-token-not-a-secret";

    public static Task<int> Main(string[] args)
    {
        var catalog = PersonaCatalog.Default.Personas;
        var personas = new Option<string>("--personas")
        {
            Description = "Only these personas (comma-separated ids). Default: every persona.",
            HelpName = "a,b",
        };
        personas.Validators.Add(result =>
        {
            var unknown = Ids(result.GetValueOrDefault<string>()).Where(id => catalog.All(persona => persona.Id != id)).ToList();
            if (unknown.Count > 0)
            {
                result.AddError($"--personas: no persona named {string.Join(", ", unknown.Select(id => $"'{id}'"))} (known: {string.Join(", ", catalog.Select(persona => persona.Id))})");
            }
        });
        var rateTelephony = Rate("--rate-telephony", "Telephony price per minute (USD).", CostRates.Default.TelephonyPerMinute);
        var rateRelay = Rate("--rate-relay", "ConversationRelay price per minute (USD).", CostRates.Default.RelayPerMinute);
        var rateTokens = Rate("--rate-tokens", "Model price per million tokens (USD).", CostRates.Default.PerMillionTokens);
        var transcripts = new Option<bool>("--transcripts") { Description = "Print every persona's transcript before the table." };
        var command = new RootCommand("Evals: every persona through the real pipeline (a VoiceApi on Kestrel over its own Postgres and Redis, the simulator playing Twilio ConversationRelay and the lead). The engine is the environment's (Gemini__Mode …), offline when none is set.")
        {
            personas, rateTelephony, rateRelay, rateTokens, transcripts,
        };
        command.SetAction((parsed, cancellationToken) =>
        {
            var wanted = Ids(parsed.GetValue(personas)).ToHashSet(StringComparer.Ordinal);
            var rates = CostRates.Default with
            {
                TelephonyPerMinute = parsed.GetValue(rateTelephony),
                RelayPerMinute = parsed.GetValue(rateRelay),
                PerMillionTokens = parsed.GetValue(rateTokens),
            };
            return RunAsync(wanted.Count == 0 ? catalog : [.. catalog.Where(persona => wanted.Contains(persona.Id))], rates, parsed.GetValue(transcripts), cancellationToken);
        });
        return ToolCommandLine.InvokeAsync(command, args);
    }

    private static string[] Ids(string? list) => (list ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Option<decimal> Rate(string name, string description, decimal fallback) =>
        new(name) { Description = description, HelpName = "USD", DefaultValueFactory = _ => fallback, CustomParser = ToolCommandLine.NonNegativeDecimal };

    private static async Task<int> RunAsync(IReadOnlyList<LeadPersona> personas, CostRates rates, bool transcripts, CancellationToken cancellationToken)
    {
        await using var servers = new SharedServers();
        await servers.InitializeAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Twilio:AuthToken"] = AuthToken,
            ["Twilio:AccountSid"] = "AC" + new string('0', 32),
            ["Telephony:Provider"] = "simulator",
            ["Telephony:ConversationRelay:WordsPerMinute"] = "3000",
            ["Telephony:ConversationRelay:SilenceTimeout"] = "00:00:05", // generous: a loaded machine must not make the agent ask "still there?" mid-conversation
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (Environment.GetEnvironmentVariable("Gemini__Mode") is null && Environment.GetEnvironmentVariable("Gemini__Project") is null && Environment.GetEnvironmentVariable("Gemini__ApiKey") is null)
        {
            settings["Gemini:Mode"] = "offline";
        }

        await using var voiceApi = await KestrelApp.StartAsync<global::Program>(servers, "evals", settings);
        Console.WriteLine($"evals: {personas.Count} personas against the VoiceApi on {voiceApi.BaseUrl}");
        var report = await new PersonaEvaluator(voiceApi.BaseUrl, voiceApi.Services, AuthToken).RunAsync(personas, cancellationToken);
        if (transcripts)
        {
            Console.Write(report.ToTranscripts());
        }

        Console.Write(report.ToTable(rates));
        Console.WriteLine(report.ResultLine());
        return 0;
    }
}
