using System.Text.Json.Nodes;
using LeadGen.Core.Calls;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Leads;
using LeadGen.Testing;
using Npgsql;

namespace LeadGen.Core.Tests.DataModel;

[Collection(ServersCollection.Name)]
public sealed class DataModelTests(SharedServers servers)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Campaign_settings_round_trip_and_status_changes_are_compare_and_set()
    {
        await using var db = await DataModelContext.CreateAsync(servers);
        var settings = new CampaignSettings
        {
            PersonaName = "Sam",
            QualificationQuestions = [new("budget", "What budget do you have?"), new("timeline", "When do you want to start?")],
            CallingWindowStart = new TimeOnly(10, 0),
            CallingWindowEnd = new TimeOnly(18, 30),
            MaxAttempts = 5,
            CallerId = "+14155550100",
            VoicemailAction = VoicemailActions.LeaveMessage,
            VoicemailMessage = "Hi, this is Sam, an AI assistant from Acme.",
        };

        var created = await db.Campaigns.CreateAsync("Spring", settings, None);
        var loaded = await db.Campaigns.GetAsync(created.Id, None);

        Assert.NotNull(loaded);
        Assert.Equal(CampaignStatuses.Draft, loaded.Status);
        Assert.Equal(["budget", "timeline"], loaded.Settings.QualificationQuestions.Select(q => q.Key));
        Assert.Equal(settings with { QualificationQuestions = loaded.Settings.QualificationQuestions }, loaded.Settings);

        var start = await db.Campaigns.ChangeStatusAsync(created.Id, [CampaignStatuses.Draft, CampaignStatuses.Paused], CampaignStatuses.Running, None);
        var startAgain = await db.Campaigns.ChangeStatusAsync(created.Id, [CampaignStatuses.Draft, CampaignStatuses.Paused], CampaignStatuses.Running, None);
        var missing = await db.Campaigns.ChangeStatusAsync(Guid.NewGuid(), [CampaignStatuses.Draft], CampaignStatuses.Running, None);

        Assert.Equal(new StatusChange(true, true, CampaignStatuses.Draft), start);
        Assert.Equal(new StatusChange(true, false, CampaignStatuses.Running), startAgain);
        Assert.False(missing.Found);
    }

    [Fact]
    public async Task Leads_are_unique_per_campaign_phone_and_listed_numbers_start_as_do_not_call()
    {
        await using var db = await DataModelContext.CreateAsync(servers);
        var campaign = await db.Campaigns.CreateAsync("Dupes", new CampaignSettings(), None);
        await db.DoNotCall.AddAsync("+14155550199", "asked", "api", None);

        var first = await db.Leads.CreateAsync(campaign.Id, new NewLead { Phone = "+14155550123", Name = "Ada" }, None);
        var duplicate = await db.Leads.CreateAsync(campaign.Id, new NewLead { Phone = "+14155550123", Name = "Ada again" }, None);
        var listed = await db.Leads.CreateAsync(campaign.Id, new NewLead { Phone = "+14155550199" }, None);

        Assert.NotNull(first);
        Assert.Equal(LeadStatuses.New, first.Status);
        Assert.Null(duplicate);
        Assert.Equal(LeadStatuses.DoNotCall, listed!.Status);

        var (_, flagged) = await db.DoNotCall.AddAsync("+14155550123", "opted out", "call", None);
        Assert.Equal(1, flagged);
        Assert.Equal(LeadStatuses.DoNotCall, (await db.Leads.GetAsync(first.Id, None))!.Status);
    }

    [Fact]
    public async Task Calls_turns_callbacks_and_stats_fit_together()
    {
        await using var db = await DataModelContext.CreateAsync(servers);
        var campaign = await db.Campaigns.CreateAsync("Calls", new CampaignSettings(), None);
        var lead = (await db.Leads.CreateAsync(campaign.Id, new NewLead { Phone = "+442079460000", Name = "Grace" }, None))!;

        await using (var connection = await db.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.True(await db.Leads.TryTransitionAsync(lead.Id, [LeadStatuses.New], LeadStatuses.Calling, None, transaction));
            await db.Leads.RecordAttemptAsync(lead.Id, None, transaction);
            await transaction.CommitAsync();
        }

        var call = await db.Calls.CreateAsync(new NewCall { LeadId = lead.Id, CampaignId = campaign.Id, Direction = CallDirections.Outbound, Provider = "simulator", ToNumber = lead.Phone }, None);
        await db.Calls.SetProviderCallIdAsync(call.Id, "SIM123", None);
        var start = DateTimeOffset.UtcNow;
        await db.Calls.UpdateStatusAsync(call.Id, new CallStatusUpdate { Status = CallStatuses.InProgress, AnsweredAt = start, AnsweredBy = "human" }, None);
        await db.Calls.AppendTurnAsync(new CallTurn { CallId = call.Id, Seq = 0, Speaker = CallSpeakers.Agent, Text = "Hi, I'm an AI assistant.", StartedAt = start, Interrupted = true }, None);
        await db.Calls.AppendTurnAsync(new CallTurn { CallId = call.Id, Seq = 1, Speaker = CallSpeakers.Caller, Text = "Call me Tuesday.", StartedAt = start.AddSeconds(2) }, None);
        await db.Calls.UpdateStatusAsync(call.Id, new CallStatusUpdate { Status = CallStatuses.Completed, EndedAt = start.AddSeconds(40), DurationSeconds = 40 }, None);
        // A late "ringing" event must not undo the final status.
        await db.Calls.UpdateStatusAsync(call.Id, new CallStatusUpdate { Status = CallStatuses.Ringing }, None);
        await db.Calls.RecordOutcomeAsync(call.Id, new CallOutcome { Disposition = CallDispositions.Callback, Extracted = new JsonObject { ["budget"] = "10k" } }, None);
        // An outcome without extracted fields (e.g. voicemail from AMD) keeps what was extracted before.
        Assert.True(await db.Calls.RecordOutcomeAsync(call.Id, new CallOutcome { Summary = "Asked for Tuesday", Extracted = null }, None));
        await db.Calls.AddTokenUsageAsync(call.Id, 1200, 300, None);
        var callback = await db.Callbacks.ScheduleAsync(lead.Id, call.Id, start.AddDays(2), "after 3pm", None);

        var stored = (await db.Calls.GetByProviderCallIdAsync("simulator", "SIM123", None))!;
        Assert.Equal(CallStatuses.Completed, stored.Status);
        Assert.Equal("10k", stored.Extracted["budget"]!.GetValue<string>());
        Assert.Single(stored.Extracted);
        Assert.Equal(CallDispositions.Callback, stored.Disposition);
        Assert.Equal("Asked for Tuesday", stored.Summary);
        Assert.Equal(2, (await db.Calls.GetTranscriptAsync(call.Id, None)).Count);
        var reloaded = (await db.Leads.GetAsync(lead.Id, None))!;
        Assert.Equal(LeadStatuses.Callback, reloaded.Status);
        Assert.Equal(1, reloaded.Attempts);
        Assert.Equal(callback.ScheduledFor, reloaded.NextAttemptAt);
        Assert.Single(await db.Callbacks.ListDueAsync(start.AddDays(3), 10, None));

        var stats = await db.Stats.GetAsync(campaign.Id, None);
        Assert.Equal(1, stats.Leads);
        Assert.Equal(1, stats.LeadsByStatus[LeadStatuses.Callback]);
        Assert.Equal(40, stats.AverageCallDurationSeconds);
        Assert.Equal(1200, stats.InputTokens);
        Assert.Null(stats.QualificationRate);
    }

    [Fact]
    public async Task Erasure_removes_personal_data_from_leads_calls_and_turns_but_keeps_counts()
    {
        await using var db = await DataModelContext.CreateAsync(servers);
        var campaign = await db.Campaigns.CreateAsync("Erase", new CampaignSettings(), None);
        var lead = (await db.Leads.CreateAsync(campaign.Id, new NewLead { Phone = "+14155550111", Name = "Erin Example", Email = "erin@example.com", Company = "Example Ltd" }, None))!;
        await db.Leads.RecordQualificationAsync(lead.Id, 80, new JsonObject { ["budget"] = "Erin has 50k" }, LeadStatuses.Qualified, None);
        var call = await db.Calls.CreateAsync(new NewCall { LeadId = lead.Id, CampaignId = campaign.Id, Direction = CallDirections.Outbound, Provider = "simulator", ToNumber = "+14155550111", FromNumber = "+14155550100" }, None);
        await db.Calls.AppendTurnAsync(new CallTurn { CallId = call.Id, Seq = 0, Speaker = CallSpeakers.Caller, Text = "I'm Erin from Example Ltd", StartedAt = DateTimeOffset.UtcNow }, None);
        await db.Calls.UpdateStatusAsync(call.Id, new CallStatusUpdate { Status = CallStatuses.Completed, DurationSeconds = 30 }, None);
        await db.Calls.SaveAnalysisAsync(call.Id, "Erin wants a demo", new JsonObject { ["nextStep"] = "demo for Erin" }, None);
        await db.Callbacks.ScheduleAsync(lead.Id, call.Id, DateTimeOffset.UtcNow.AddDays(1), "ask for Erin", None);

        Assert.True(await db.Eraser.EraseLeadAsync(lead.Id, None));
        Assert.False(await db.Eraser.EraseLeadAsync(Guid.NewGuid(), None));

        // Nothing in any column of any table linked to the lead still contains a personal value.
        await using var connection = await db.DataSource.OpenConnectionAsync();
        foreach (var table in new[] { "leads", "calls", "call_turns", "callbacks" })
        {
            await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table} t WHERE t::text ILIKE '%erin%' OR t::text LIKE '%5550111%' OR t::text LIKE '%5550100%'", connection);
            Assert.Equal(0L, await command.ExecuteScalarAsync());
        }

        var erased = (await db.Leads.GetAsync(lead.Id, None))!;
        Assert.NotNull(erased.ErasedAt);
        Assert.Equal(LeadStatuses.Callback, erased.Status);
        Assert.Equal(80, erased.Score);
        var stats = await db.Stats.GetAsync(campaign.Id, None);
        Assert.Equal(1, stats.Leads);
        Assert.Equal(1, stats.Calls);
        Assert.Equal(30, stats.AverageCallDurationSeconds);
        Assert.Single(await db.Calls.GetTranscriptAsync(call.Id, None));
    }
}
