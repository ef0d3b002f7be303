using System.Text.Json.Serialization;

namespace LeadGen.Core.Agent.Analysis;

/// <summary>The post-call analysis stored on the call and the lead (the JSON shape is <see cref="CallAnalysisSchema"/>).</summary>
public sealed record CallAnalysis
{
    [JsonPropertyName("summary")]
    public required string Summary { get; init; }

    [JsonPropertyName("bant")]
    public required BantScores Bant { get; init; }

    /// <summary>0–100.</summary>
    [JsonPropertyName("overallScore")]
    public required int OverallScore { get; init; }

    [JsonPropertyName("qualified")]
    public required bool Qualified { get; init; }

    [JsonPropertyName("nextStep")]
    public required string NextStep { get; init; }

    /// <summary>Which engine wrote it: the Vertex model id, or "offline".</summary>
    [JsonPropertyName("engine")]
    public string? Engine { get; init; }
}

/// <summary>Budget, authority, need, timeline: 1 (absent) to 4 (strong).</summary>
public sealed record BantScores
{
    [JsonPropertyName("budget")]
    public required int Budget { get; init; }

    [JsonPropertyName("authority")]
    public required int Authority { get; init; }

    [JsonPropertyName("need")]
    public required int Need { get; init; }

    [JsonPropertyName("timeline")]
    public required int Timeline { get; init; }

    /// <summary>0 when every score is 1, 100 when every score is 4.</summary>
    public int ToOverallScore() => (int)Math.Round((Budget + Authority + Need + Timeline - 4) / 12.0 * 100);
}
