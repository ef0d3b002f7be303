namespace LeadGen.Core.Queue;

/// <summary>
/// Marks a job type this process consumes (one per <c>AddJobHandler</c> call). With <paramref name="RequiredService"/>
/// the type is consumed only when that service is registered (e.g. analyze-call needs an <c>ICallAnalyzer</c>);
/// otherwise its jobs wait in their stream for a Worker that has it.
/// </summary>
public sealed record JobHandlerRegistration(string JobType, Type? RequiredService = null);
