using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net.WebSockets;
using LeadGen.Simulator;
using LeadGen.Tools;

// The telephony simulator as a command: one call against a running VoiceApi, the way Twilio would place it.
// Exit codes: 0 the voice webhook answered 200; 1 it did not, or the VoiceApi could not be reached; 2 bad command line.
var voiceUrl = new Option<Uri>("--voice-url") { Description = "The VoiceApi's voice webhook (absolute http(s) URL).", HelpName = "URL", Required = true, CustomParser = ToolCommandLine.HttpUrl };
var statusUrl = new Option<Uri>("--status-url") { Description = "Status callback URL to post the call's end to.", HelpName = "URL", CustomParser = ToolCommandLine.HttpUrl };
var authToken = new Option<string>("--auth-token")
{
    Description = "Twilio auth token that signs the webhooks. Default: the TWILIO_AUTH_TOKEN environment variable.",
    HelpName = "TOKEN",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TWILIO_AUTH_TOKEN") ?? string.Empty,
};
var audio = new Dictionary<string, byte[]>(StringComparer.Ordinal);
var say = new Option<string[]>("--say") { Description = "Speak this WAV file (mono 8 kHz), then wait for the agent (repeatable; in order with --dtmf).", HelpName = "FILE" };
say.Validators.Add(result => ReadAudio(result, audio));
var dtmf = new Option<string[]>("--dtmf") { Description = "Press these keys (0-9, *, #), then wait for the agent (repeatable; in order with --say).", HelpName = "DIGITS" };
dtmf.Validators.Add(result =>
{
    foreach (var digits in result.GetValueOrDefault<string[]>() ?? [])
    {
        if (digits.Length == 0 || !digits.All(key => char.IsAsciiDigit(key) || key is '*' or '#'))
        {
            result.AddError($"--dtmf takes keys 0-9, * and # (got '{digits}')");
        }
    }
});
var record = new Option<string>("--record") { Description = "Write the agent's audio as heard by the caller to this WAV file.", HelpName = "FILE" };
var from = new Option<string>("--from") { Description = "Caller number (E.164).", HelpName = "E164", DefaultValueFactory = _ => "+15550100001" };
var to = new Option<string>("--to") { Description = "Called number (E.164).", HelpName = "E164", DefaultValueFactory = _ => "+15550100002" };
from.Validators.Add(E164);
to.Validators.Add(E164);
var inbound = new Option<bool>("--inbound") { Description = "Place an inbound call (default: an outbound-api call answered by the lead)." };

var command = new RootCommand("Places one simulated Twilio call against a running VoiceApi: signed webhooks, then the media stream.")
{
    voiceUrl, statusUrl, authToken, say, dtmf, record, from, to, inbound,
};
command.Validators.Add(result =>
{
    if (string.IsNullOrEmpty(result.GetValue(authToken)))
    {
        result.AddError("an auth token is needed to sign webhooks: pass --auth-token or set TWILIO_AUTH_TOKEN");
    }
});
command.SetAction(async (parsed, cancellationToken) =>
{
    var call = new SimulatedCallOptions
    {
        VoiceUrl = parsed.GetRequiredValue(voiceUrl),
        StatusCallbackUrl = parsed.GetValue(statusUrl),
        AuthToken = parsed.GetRequiredValue(authToken),
        Script = Script(parsed, audio),
        Direction = parsed.GetValue(inbound) ? "inbound" : "outbound-api",
        From = parsed.GetRequiredValue(from),
        To = parsed.GetRequiredValue(to),
    };

    using var http = new HttpClient();
    SimulatedCallResult result;
    try
    {
        result = await SimulatedCall.RunAsync(call, http, cancellationToken);
    }
    catch (Exception exception) when (exception is HttpRequestException or WebSocketException or IOException)
    {
        await Console.Error.WriteLineAsync($"error: the call could not be placed: {exception.Message}");
        return 1;
    }

    Console.WriteLine($"voice webhook: HTTP {result.VoiceStatusCode}");
    if (!result.StreamOpened)
    {
        Console.WriteLine(result.TwiML);
    }

    Console.WriteLine($"stream: {(result.StreamOpened ? "opened" : "not opened")}, ended by {(result.EndedByServer ? "the server" : "the caller")} ({result.CloseStatus?.ToString() ?? "-"} {result.CloseDescription})");
    Console.WriteLine($"caller frames sent: {result.CallerFramesSent}; agent frames received: {result.AgentFramesReceived}, cleared: {result.AgentFramesCleared}; marks echoed: {result.MarksEchoed}; clears: {result.ClearsReceived}");
    Console.WriteLine("turn latencies (end of caller speech → first agent audio): "
        + (result.TurnLatenciesMs.Count == 0 ? "none" : string.Join(", ", result.TurnLatenciesMs.Select(l => l.ToString("F0", CultureInfo.InvariantCulture) + " ms"))));
    if (result.StatusCallbackCode is { } status)
    {
        Console.WriteLine($"status callback: HTTP {status}");
    }

    if (parsed.GetValue(record) is { } path)
    {
        WavFile.WriteMuLawAsPcm16(path, result.AgentAudioHeard);
        Console.WriteLine($"agent audio as heard: {path} ({result.AgentAudioHeard.Length / 8000.0:F1} s)");
    }

    return result.VoiceStatusCode == 200 ? 0 : 1;
});

return await ToolCommandLine.InvokeAsync(command, args);

// The caller's script follows the command line's order of --say and --dtmf, waiting for the agent after each.
static List<CallerStep> Script(ParseResult parsed, Dictionary<string, byte[]> audio)
{
    var script = new List<CallerStep> { WaitForAgent() };
    var tokens = parsed.Tokens;
    for (var index = 0; index + 1 < tokens.Count; index++)
    {
        if (tokens[index].Type != TokenType.Option)
        {
            continue;
        }

        var value = tokens[index + 1].Value;
        switch (tokens[index].Value)
        {
            case "--say":
                script.Add(new CallerStep.Say(audio[value]));
                script.Add(WaitForAgent());
                break;
            case "--dtmf":
                script.AddRange(value.Select(digit => new CallerStep.PressKey(digit.ToString())));
                script.Add(WaitForAgent());
                break;
        }
    }

    return script;

    static CallerStep WaitForAgent() => new CallerStep.WaitForAgent(TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(800));
}

static void E164(OptionResult result)
{
    if (result.GetValueOrDefault<string>() is { } number && !(number.Length is >= 3 and <= 16 && number[0] == '+' && number[1..].All(char.IsAsciiDigit)))
    {
        result.AddError($"{result.Option.Name} must be an E.164 number such as +15550100001 (got '{number}')");
    }
}

// WAV files are read while parsing, so a missing or unusable file is a command-line error, not a failed call.
static void ReadAudio(OptionResult result, Dictionary<string, byte[]> audio)
{
    foreach (var path in result.GetValueOrDefault<string[]>() ?? [])
    {
        try
        {
            audio[path] = WavFile.ReadAsMuLaw(path);
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            result.AddError($"--say {path}: {exception.Message}");
        }
    }
}
