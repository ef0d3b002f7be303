using LeadGen.Simulator;
using LeadGen.Testing;

namespace LeadGen.Evals;

// Evals: every persona (or --personas a,b) through the real pipeline: a VoiceApi on Kestrel over its own Postgres and
// Redis (started here), the simulator playing Twilio ConversationRelay and the lead. The engine is whatever the
// environment configures (Gemini__Mode etc.), offline by default. Prints the per-persona table, the totals and the
// RESULT line last.
internal static class EvalsProgram
{
    private const string AuthToken = "evals-auth-token-not-a-secret";

    public static async Task<int> Main(string[] args)
    {
        var personas = PersonaCatalog.Default.Personas;
        var only = Option(args, "--personas");
        if (only is not null)
        {
            var wanted = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            personas = [.. personas.Where(persona => wanted.Contains(persona.Id))];
        }

        var rates = CostRates.Default with
        {
            TelephonyPerMinute = Decimal(args, "--rate-telephony") ?? CostRates.Default.TelephonyPerMinute,
            RelayPerMinute = Decimal(args, "--rate-relay") ?? CostRates.Default.RelayPerMinute,
            PerMillionTokens = Decimal(args, "--rate-tokens") ?? CostRates.Default.PerMillionTokens,
        };

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
        var report = await new PersonaEvaluator(voiceApi.BaseUrl, voiceApi.Services, AuthToken).RunAsync(personas, CancellationToken.None);
        if (args.Contains("--transcripts"))
        {
            Console.Write(report.ToTranscripts());
        }

        Console.Write(report.ToTable(rates));
        Console.WriteLine(report.ResultLine());
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static decimal? Decimal(string[] args, string name) =>
        Option(args, name) is { } value ? decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : null;
}
