using System.Security.Cryptography;
using System.Text;
using LeadGen.Core.Calls;
using LeadGen.Core.Leads;
using LeadGen.Core.Queue;
using Npgsql;

namespace LeadGen.Core.Telephony;

/// <summary>
/// Applies provider call events to the calls table: finds (or, for inbound calls, creates) the call, maps Twilio's
/// statuses, and when a call completes enqueues its <c>analyze-call</c> job in the same transaction (outbox).
/// </summary>
public sealed class CallLifecycle(NpgsqlDataSource dataSource, CallStore calls, LeadStore leads, IJobOutbox outbox, TimeProvider time)
{
    /// <summary>The call a webhook is about: by our id (outbound, in the URL) or by provider call id; inbound calls are created.</summary>
    public async Task<Call?> ResolveAsync(Guid? callId, string provider, string? providerCallId, string? from, string? to, string? direction, CancellationToken cancellationToken)
    {
        if (callId is { } id)
        {
            var call = await calls.GetAsync(id, cancellationToken);
            if (call is not null && call.ProviderCallId is null && providerCallId is not null)
            {
                await calls.SetProviderCallIdAsync(id, providerCallId, cancellationToken);
            }

            return call;
        }

        if (providerCallId is null)
        {
            return null;
        }

        var existing = await calls.GetByProviderCallIdAsync(provider, providerCallId, cancellationToken);
        if (existing is not null || direction != "inbound")
        {
            return existing;
        }

        var matches = from is null ? [] : await leads.FindByPhoneAsync(from, cancellationToken);
        var lead = matches.Count > 0 ? matches[0] : null;
        return await calls.CreateAsync(new NewCall
        {
            Direction = CallDirections.Inbound,
            Provider = provider,
            ProviderCallId = providerCallId,
            FromNumber = from,
            ToNumber = to,
            LeadId = lead?.Id,
            CampaignId = lead?.CampaignId,
            Status = CallStatuses.Ringing,
        }, cancellationToken);
    }

    /// <summary>Twilio's status ("in-progress", "no-answer", …) in our vocabulary; null when unknown.</summary>
    public static string? MapStatus(string? twilioStatus) => twilioStatus?.Replace('-', '_') is { } status && CallStatuses.All.Contains(status) ? status : null;

    public async Task ApplyStatusAsync(Guid callId, string status, int? durationSeconds, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var isFinal = CallStatuses.Final.Contains(status);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await calls.UpdateStatusAsync(callId, new CallStatusUpdate
        {
            Status = status,
            AnsweredAt = status == CallStatuses.InProgress ? now : null,
            EndedAt = isFinal ? now : null,
            DurationSeconds = durationSeconds,
        }, cancellationToken, transaction);
        if (status == CallStatuses.Completed)
        {
            // One analysis per call however often the provider repeats the callback: the job id derives from the call.
            await outbox.EnqueueAsync(transaction, JobTypes.AnalyzeCall, new AnalyzeCallJob(callId), AnalysisJobId(callId), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public static Guid AnalysisJobId(Guid callId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{JobTypes.AnalyzeCall}:{callId:N}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5-style name-based id
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
