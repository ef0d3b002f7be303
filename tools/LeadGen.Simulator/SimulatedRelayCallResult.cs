namespace LeadGen.Simulator;

public sealed class SimulatedRelayCallResult
{
    public required string CallSid { get; init; }

    public int VoiceStatusCode { get; set; }

    public string? TwiML { get; set; }

    public bool SocketOpened { get; set; }

    /// <summary>HTTP status of the socket upgrade when it was refused (e.g. 403 for a bad signature).</summary>
    public int? UpgradeRefusedStatus { get; set; }

    public System.Net.WebSockets.WebSocketCloseStatus? CloseStatus { get; set; }

    /// <summary>Every agent reply as the caller heard it (greeting first; an interrupted reply up to the interruption).</summary>
    public List<string> AgentReplies { get; } = [];

    /// <summary>What the caller said, in order.</summary>
    public List<string> CallerSaid { get; } = [];

    /// <summary>Every message type the server sent, in order (text, end, play, …).</summary>
    public List<string> ServerMessages { get; } = [];

    public int TextTokens { get; set; }

    public int Interrupts { get; set; }

    /// <summary>Caller's final prompt sent → first text token of the reply, per reply (ms).</summary>
    public List<double> TurnLatenciesMs { get; } = [];

    /// <summary>The handoffData of the server's end message, if it ended the session.</summary>
    public string? HandoffData { get; set; }

    /// <summary>The TwiML the &lt;Connect action&gt; URL answered (Hangup or Dial), if the session was ended by the server.</summary>
    public string? ActionTwiML { get; set; }

    public int? ActionStatusCode { get; set; }

    public bool EndedByProvider { get; set; }

    public int? StatusCallbackCode { get; set; }

    public List<int> AmdCallbackCodes { get; } = [];

    public TimeSpan Duration { get; set; }
}
