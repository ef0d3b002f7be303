namespace LeadGen.Core.Queue;

/// <summary>Marks a job type this process consumes (one per <c>AddJobHandler</c> call).</summary>
public sealed record JobHandlerRegistration(string JobType);
