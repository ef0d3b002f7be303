namespace LeadGen.Core.Gemini;

/// <summary>Which engine answers the agent: Vertex AI (ADC / metadata-server token), Vertex AI with an API key, or the offline engine.</summary>
public enum GeminiMode
{
    Offline,
    Vertex,
    ApiKey,
}
