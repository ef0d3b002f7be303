namespace LeadGen.Core.Gemini;

/// <summary>Which engine the agent runs on, as shown in API responses and logs ("offline" is never passed off as a model).</summary>
public sealed record GeminiEngine(GeminiMode Mode, string Model)
{
    /// <summary>"offline", "vertex" or "apikey".</summary>
    public string Label => Mode switch
    {
        GeminiMode.Offline => "offline",
        GeminiMode.Vertex => "vertex",
        _ => "apikey",
    };

    public bool IsOffline => Mode == GeminiMode.Offline;
}
