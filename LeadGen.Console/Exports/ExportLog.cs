using LeadGen.Core.Compliance;

namespace LeadGen.Console.Exports;

/// <summary>The exports' audit log lines; who exported is a person's name, so it is redacted (<see cref="PersonalData"/>).</summary>
internal static partial class ExportLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Qualified leads of campaign {CampaignId} exported by {User}")]
    public static partial void QualifiedLeadsExported(ILogger logger, Guid campaignId, [PersonalData] string? user);
}
