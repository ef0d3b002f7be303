using System.Globalization;
using LeadGen.Core.Telephony.Simulator;

// The telephony simulator as a command: one call against a running VoiceApi, the way Twilio would place it.
//   dotnet run --project tools/LeadGen.TelephonySimulator -- --voice-url URL [--status-url URL] [--say a.wav ...]
//       [--dtmf 9] [--record agent.wav] [--from +1...] [--to +1...] [--inbound]
//   The auth token (to sign webhooks) comes from --auth-token or the TWILIO_AUTH_TOKEN environment variable.
var options = Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: --voice-url URL [--status-url URL] [--auth-token T] [--say file.wav]... [--dtmf DIGITS] [--record out.wav] [--from E164] [--to E164] [--inbound]");
    return 2;
}

using var http = new HttpClient();
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var result = await SimulatedCall.RunAsync(options.Value.Call, http, cancel.Token);

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

if (options.Value.RecordPath is { } path)
{
    WavFile.WriteMuLawAsPcm16(path, result.AgentAudioHeard);
    Console.WriteLine($"agent audio as heard: {path} ({result.AgentAudioHeard.Length / 8000.0:F1} s)");
}

return result.VoiceStatusCode == 200 ? 0 : 1;

static (SimulatedCallOptions Call, string? RecordPath)? Parse(string[] args)
{
    Uri? voiceUrl = null, statusUrl = null;
    string? token = Environment.GetEnvironmentVariable("TWILIO_AUTH_TOKEN"), record = null, from = null, to = null;
    var inbound = false;
    var script = new List<CallerStep> { WaitForAgent() };
    for (var i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        switch (args[i])
        {
            case "--voice-url": voiceUrl = new Uri(Next()); break;
            case "--status-url": statusUrl = new Uri(Next()); break;
            case "--auth-token": token = Next(); break;
            case "--record": record = Next(); break;
            case "--from": from = Next(); break;
            case "--to": to = Next(); break;
            case "--inbound": inbound = true; break;
            case "--say":
                script.Add(new CallerStep.Say(WavFile.ReadAsMuLaw(Next())));
                script.Add(WaitForAgent());
                break;
            case "--dtmf":
                foreach (var digit in Next())
                {
                    script.Add(new CallerStep.PressKey(digit.ToString()));
                }

                script.Add(WaitForAgent());
                break;
            default: return null;
        }
    }

    if (voiceUrl is null || string.IsNullOrEmpty(token))
    {
        return null;
    }

    var call = new SimulatedCallOptions
    {
        VoiceUrl = voiceUrl,
        StatusCallbackUrl = statusUrl,
        AuthToken = token,
        Script = script,
        Direction = inbound ? "inbound" : "outbound-api",
        From = from ?? "+15550100001",
        To = to ?? "+15550100002",
    };
    return (call, record);

    static CallerStep WaitForAgent() => new CallerStep.WaitForAgent(TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(800));
}
