namespace LeadGen.Simulator;

/// <summary>A simulated Media Streams call: the caller's script.</summary>
public sealed record SimulatedCallOptions : SimulatedCallLegOptions
{
    public IReadOnlyList<CallerStep> Script { get; init; } = [];

    /// <summary>Tests: replace the signature (forgery) or the stream's parameters (bad token).</summary>
    public string? SignatureOverride { get; init; }

    public Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>>? TamperStreamParameters { get; init; }
}
