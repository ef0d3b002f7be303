using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Compliance;
using LeadGen.Core.Queue;
using LeadGen.Core.Telephony;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LeadGen.Core.Dialer;

/// <summary>
/// The <c>dialer</c> job for one campaign: if it is running, fills the free call slots (max concurrent calls minus live
/// calls, at most <see cref="DialerOptions.MaxNewCallsPerRun"/>) with eligible leads, and reports leads that can never
/// be called as they are (unknown or ambiguous time zone). Everything happens in the job's transaction.
/// </summary>
public sealed class DialerJobHandler(
    EligibleLeadFinder finder,
    CallScheduler scheduler,
    ITelephonyProvider telephony,
    IOptions<DialerOptions> options,
    IConfiguration configuration,
    DialerTelemetry telemetry,
    DialerSlotLog slotLog,
    EngineCapacityBackoff engineBackoff,
    ILogger<DialerJobHandler> logger) : JobHandler<DialerJob>
{
    protected override async Task HandleAsync(DialerJob payload, JobContext context, CancellationToken cancellationToken)
    {
        var campaign = await DialerCampaign.ReadAsync(context.Transaction, payload.CampaignId, forUpdate: true, cancellationToken);
        if (campaign is null || campaign.Status != CampaignStatuses.Running)
        {
            return;
        }

        var settings = options.Value;
        var maxConcurrentCalls = campaign.MaxConcurrentCalls ?? settings.DefaultMaxConcurrentCalls;
        var capacity = maxConcurrentCalls - campaign.LiveCalls;
        if (capacity <= 0)
        {
            slotLog.NoFreeSlots(campaign.Id, campaign.LiveCalls, maxConcurrentCalls);
            return;
        }

        var wanted = Math.Min(capacity, settings.MaxNewCallsPerRun);
        if (wanted <= 0)
        {
            return;
        }

        if (campaign.VoiceMode == VoiceModes.NativeAudio && await engineBackoff.PausedForAsync() is { } paused)
        {
            // The voice model just turned a call away: new calls would only hear the busy line.
            logger.LogInformation("Dialer for campaign {CampaignId}: voice model at capacity, no new calls for {Seconds:F0} s", campaign.Id, paused.TotalSeconds);
            return;
        }

        var selection = await finder.FindAsync(context.Transaction, campaign.Id, campaign.Rules, wanted, settings.ScanLimit, cancellationToken);
        var scheduled = 0;
        foreach (var lead in selection.Eligible)
        {
            if (await scheduler.ScheduleAsync(context.Transaction, lead, campaign, telephony.Name, configuration["Twilio:FromNumber"], cancellationToken) is not null)
            {
                scheduled++;
            }
        }

        foreach (var skipped in selection.Skipped)
        {
            telemetry.LeadsSkipped.Add(1, DialerTelemetry.ReasonTag(skipped.Reason));
        }

        await ReportAsync(context.Transaction, campaign.Id, selection, cancellationToken);
        telemetry.CallsScheduled.Add(scheduled);
        logger.LogInformation(
            "Dialer for campaign {CampaignId}: {Scheduled} call(s) queued, {Skipped} of {Scanned} candidate(s) not callable now",
            campaign.Id, scheduled, selection.Skipped.Count, selection.Scanned);
    }

    /// <summary>Records leads that need an operator (no usable time zone) and clears reports of leads now callable.</summary>
    private async Task ReportAsync(NpgsqlTransaction transaction, Guid campaignId, DialSelection selection, CancellationToken cancellationToken)
    {
        var problems = selection.Skipped.Where(decision => decision.NeedsOperator).ToList();
        foreach (var problem in problems)
        {
            logger.LogWarning("Lead {LeadId} of campaign {CampaignId} is not called: {Detail}", problem.Lead.LeadId, campaignId, problem.Detail);
        }

        await using var command = new NpgsqlCommand("""
            WITH cleared AS (DELETE FROM dialer_reports WHERE lead_id = ANY(@callable))
            INSERT INTO dialer_reports (lead_id, campaign_id, reason, detail, reported_at)
            SELECT report.lead_id, @campaign_id, report.reason, report.detail, @now
            FROM unnest(@lead_ids, @reasons, @details) AS report (lead_id, reason, detail)
            ON CONFLICT (lead_id) DO UPDATE SET reason = excluded.reason, detail = excluded.detail, reported_at = excluded.reported_at
            """, transaction.Connection, transaction);
        command.Parameters.AddWithValue("callable", selection.Eligible.Select(lead => lead.LeadId).ToArray());
        command.Parameters.AddWithValue("campaign_id", campaignId);
        command.Parameters.AddWithValue("now", selection.DecidedAt);
        command.Parameters.AddWithValue("lead_ids", problems.Select(problem => problem.Lead.LeadId).ToArray());
        command.Parameters.AddWithValue("reasons", problems.Select(problem => problem.Reason == IneligibilityReason.AmbiguousTimeZone ? "ambiguous_time_zone" : "unknown_time_zone").ToArray());
        command.Parameters.AddWithValue("details", problems.Select(problem => Truncate(problem.Detail ?? string.Empty, 500)).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
