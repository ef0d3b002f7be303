namespace LeadGen.Core.Campaigns;

/// <summary>Which statuses a campaign may leave for each target status (start, pause, complete).</summary>
public static class CampaignTransitions
{
    public static IReadOnlyCollection<string> StartFrom { get; } = [CampaignStatuses.Draft, CampaignStatuses.Paused];

    public static IReadOnlyCollection<string> PauseFrom { get; } = [CampaignStatuses.Running];

    public static IReadOnlyCollection<string> CompleteFrom { get; } = [CampaignStatuses.Draft, CampaignStatuses.Running, CampaignStatuses.Paused];
}
