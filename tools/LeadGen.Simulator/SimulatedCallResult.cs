using System.Net.WebSockets;

namespace LeadGen.Simulator;

public sealed class SimulatedCallResult
{
    public required string CallSid { get; init; }

    public int VoiceStatusCode { get; set; }

    public string? TwiML { get; set; }

    public bool StreamOpened { get; set; }

    public WebSocketCloseStatus? CloseStatus { get; set; }

    public string? CloseDescription { get; set; }

    /// <summary>True when the server ended the stream (hang-up, transfer) rather than the caller.</summary>
    public bool EndedByServer { get; set; }

    /// <summary>μ-law 8 kHz audio of the agent as the caller heard it (cleared audio is not in it).</summary>
    public byte[] AgentAudioHeard { get; set; } = [];

    public int AgentFramesReceived { get; set; }

    public int AgentFramesCleared { get; set; }

    public int CallerFramesSent { get; set; }

    public int MarksEchoed { get; set; }

    public int ClearsReceived { get; set; }

    /// <summary>Caller's end of utterance → first agent audio frame received, per reply (ms).</summary>
    public List<double> TurnLatenciesMs { get; } = [];

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp of each agent frame's arrival (relay-latency measurement).</summary>
    public List<long> AgentFrameTimestamps { get; } = [];

    public TimeSpan Duration { get; set; }

    public int? StatusCallbackCode { get; set; }

    /// <summary>HTTP status of each answering-machine detection callback posted, in order.</summary>
    public List<int> AmdCallbackCodes { get; } = [];

    /// <summary>True when the provider (hang-up or redirect through the REST API) ended the stream.</summary>
    public bool EndedByProvider { get; set; }
}
