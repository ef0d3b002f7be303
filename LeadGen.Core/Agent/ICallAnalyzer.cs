namespace LeadGen.Core.Agent;

/// <summary>
/// Post-call analysis: reads a finished call's transcript and stores summary, BANT scores, overall score and next step
/// on the call and its lead. Run by the worker's <c>analyze-call</c> job; implemented by the agent (Gemini or offline).
/// Must be idempotent: analysing the same call twice leaves one result.
/// </summary>
public interface ICallAnalyzer
{
    Task AnalyzeAsync(Guid callId, CancellationToken cancellationToken);
}
