using LeadGen.Core.Agent;
using LeadGen.Core.Agent.Tools;
using LeadGen.Core.Calls;
using LeadGen.Core.Reporting;
using LeadGen.Core.Telephony;
using LeadGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace LeadGen.Calls.Tests.Calls;

/// <summary>
/// The dashboard's answer and qualification rates come from these counters: a call counts once when it becomes final
/// (Twilio's repeated status callbacks do not count again), a conversation once when its outcome is committed.
/// Real VoiceApi services on real Postgres. Every test that ends calls runs in this collection, one at a time, so the
/// counts are exact.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class OutcomeMetricsTests(SharedServers servers)
{
    [Fact]
    public async Task A_call_counts_once_when_it_becomes_final_and_its_conversation_by_outcome()
    {
        await using var host = await VoiceApiHost.StartAsync(servers, null);
        var (campaign, lead, call) = await host.CreateOutboundCallAsync(phone: "+15550100071");
        var lifecycle = host.Services.GetRequiredService<CallLifecycle>();
        var store = host.Services.GetRequiredService<ILeadQualificationStore>();
        using var callsEnded = new MetricCollector<long>(host.Services.GetRequiredService<OutcomeMetrics>().CallsEnded);
        using var conversationsEnded = new MetricCollector<long>(host.Services.GetRequiredService<OutcomeMetrics>().ConversationsEnded);

        await lifecycle.ApplyStatusAsync(call.Id, CallStatuses.InProgress, null, CancellationToken.None);
        Assert.Empty(callsEnded.GetMeasurementSnapshot());

        await store.EndAsync(new AgentContext(lead.Id, campaign.Id, call.Id), ConversationOutcome.Qualified, "Budget and timeline confirmed.", CancellationToken.None);
        await lifecycle.ApplyStatusAsync(call.Id, CallStatuses.Completed, 42, CancellationToken.None);
        await lifecycle.ApplyStatusAsync(call.Id, CallStatuses.Completed, 42, CancellationToken.None); // a repeated callback

        var ended = Assert.Single(callsEnded.GetMeasurementSnapshot());
        Assert.Equal(1, ended.Value);
        Assert.Equal(CallStatuses.Completed, ended.Tags["status"]);
        Assert.Equal(CallDirections.Outbound, ended.Tags["direction"]);
        var outcome = Assert.Single(conversationsEnded.GetMeasurementSnapshot());
        Assert.Equal(1, outcome.Value);
        Assert.Equal("qualified", outcome.Tags["outcome"]);
    }

    [Fact]
    public async Task An_unanswered_call_counts_with_its_status_and_no_conversation()
    {
        await using var host = await VoiceApiHost.StartAsync(servers, null);
        var (_, _, call) = await host.CreateOutboundCallAsync(phone: "+15550100072");
        var lifecycle = host.Services.GetRequiredService<CallLifecycle>();
        using var callsEnded = new MetricCollector<long>(host.Services.GetRequiredService<OutcomeMetrics>().CallsEnded);
        using var conversationsEnded = new MetricCollector<long>(host.Services.GetRequiredService<OutcomeMetrics>().ConversationsEnded);

        await lifecycle.ApplyStatusAsync(call.Id, CallStatuses.NoAnswer, null, CancellationToken.None);

        Assert.Equal(CallStatuses.NoAnswer, Assert.Single(callsEnded.GetMeasurementSnapshot()).Tags["status"]);
        Assert.Empty(conversationsEnded.GetMeasurementSnapshot());
    }
}
