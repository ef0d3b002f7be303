using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Leads;
using LeadGen.Core.Queue;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace LeadGen.Console.Tests;

/// <summary>Puts data in place through the same Core services the app uses (campaigns, leads, calls, queues).</summary>
internal sealed class ConsoleData(IServiceProvider services)
{
    public async Task<Campaign> CampaignAsync(string name) =>
        await services.GetRequiredService<CampaignStore>().CreateAsync(name, new CampaignSettings { ConsentRequired = false }, CancellationToken.None);

    public async Task<Lead> LeadAsync(Guid campaignId, string name, string phone) =>
        (await services.GetRequiredService<LeadStore>().CreateAsync(campaignId, new NewLead { Name = name, Phone = phone, Company = "Globex" }, CancellationToken.None))!;

    /// <summary>A call in progress, registered as live the way the media-stream bridge does, with its first turn.</summary>
    public async Task<Guid> LiveCallAsync(Lead lead)
    {
        var calls = services.GetRequiredService<CallStore>();
        var now = DateTimeOffset.UtcNow;
        var call = await calls.CreateAsync(new NewCall
        {
            LeadId = lead.Id,
            CampaignId = lead.CampaignId,
            Direction = CallDirections.Outbound,
            Provider = "simulator",
            Status = CallStatuses.InProgress,
        }, CancellationToken.None);
        await calls.UpdateStatusAsync(call.Id, new CallStatusUpdate { Status = CallStatuses.InProgress, StartedAt = now, AnsweredAt = now, AnsweredBy = "human" }, CancellationToken.None);
        await services.GetRequiredService<LiveCallRegistry>().StartedAsync(call.Id, "CA" + call.Id.ToString("N"), "MZ" + call.Id.ToString("N"), CancellationToken.None);
        await SayAsync(call.Id, 0, CallSpeakers.Agent, "Hi, this is Ava, an AI assistant calling from Acme. Is now a good time?");
        return call.Id;
    }

    public Task SayAsync(Guid callId, int seq, string speaker, string text) =>
        services.GetRequiredService<CallStore>().AppendTurnAsync(new CallTurn { CallId = callId, Seq = seq, Speaker = speaker, Text = text, StartedAt = DateTimeOffset.UtcNow, EndedAt = DateTimeOffset.UtcNow }, CancellationToken.None);

    /// <summary>A dead-lettered analyze-call job, as the Worker leaves it.</summary>
    public async Task<string> DeadLetterAsync(string reason)
    {
        var id = await Redis.StreamAddAsync(QueueKeys.DeadLetters(JobTypes.AnalyzeCall),
        [
            new NameValueEntry("id", Guid.NewGuid().ToString("D")),
            new NameValueEntry("type", JobTypes.AnalyzeCall),
            new NameValueEntry("payload", "{\"callId\":\"" + Guid.NewGuid() + "\"}"),
            new NameValueEntry("enqueued_at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
            new NameValueEntry("failed_attempts", 5),
            new NameValueEntry("reason", reason),
            new NameValueEntry("attempts", 5),
            new NameValueEntry("dead_lettered_at", DateTimeOffset.UtcNow.ToString("O")),
        ]);
        return id.ToString();
    }

    public IDatabase Redis => services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
}
