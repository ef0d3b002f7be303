using LeadGen.Core.Calls;
using LeadGen.Core.Queue;
using Microsoft.Playwright;

namespace LeadGen.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class FlowsTests(ConsoleFixture console)
{
    private readonly ConsoleData _data = new(console.Services);

    [Fact]
    public async Task An_operator_imports_a_file_and_the_progress_bar_reaches_100_with_the_row_errors_listed()
    {
        var campaign = await _data.CampaignAsync("Import " + Guid.NewGuid().ToString("N")[..6]);
        var csv = new System.Text.StringBuilder("name,phone,company\n");
        for (var i = 0; i < 2000; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"Lead {i},+1415555{i % 10000:0000},Co {i}\n");
        }

        csv.Append("Broken,not-a-phone,Nowhere\n");
        var file = Path.Combine(Path.GetTempPath(), $"console-import-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, csv.ToString());
        var page = await console.SignedInPageAsync("operator");

        await ConsoleFixture.OpenAsync(page, $"leads?campaign={campaign.Id}");
        await page.WaitForSelectorAsync("text=Import leads");
        await page.SetInputFilesAsync("#lead-file", file);

        await page.WaitForSelectorAsync("[data-testid=import-progress][data-percent='100']");
        await page.WaitForSelectorAsync("text=Rows that were not imported");
        Assert.Contains("2,000 imported", await page.InnerTextAsync("[data-testid=import-counts]"), StringComparison.Ordinal);
        Assert.Contains("2002\trejected\tphone", await page.InnerTextAsync("table[aria-label='Import row errors']"), StringComparison.Ordinal);
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("text=Download every row error as CSV"));
        var errorsCsv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.StartsWith("row,kind,column,reason", errorsCsv, StringComparison.Ordinal);
        Assert.Contains("2002,rejected", errorsCsv, StringComparison.Ordinal);

        // The table pages by keyset: 50 per page, a next page exists.
        await page.WaitForSelectorAsync("table[aria-label=Leads]");
        var firstOnPageOne = await page.InnerTextAsync("table[aria-label=Leads] tbody tr td");
        Assert.Equal(50, await page.Locator("table[aria-label=Leads] tbody tr").CountAsync());
        await page.ClickAsync("button:has-text('Next page')");
        await page.WaitForFunctionAsync("first => document.querySelector('table[aria-label=Leads] tbody tr td')?.innerText !== first", firstOnPageOne);
        Assert.Equal(50, await page.Locator("table[aria-label=Leads] tbody tr").CountAsync());
        Assert.True(await page.IsEnabledAsync("button:has-text('Previous page')"));
        await PageChecks.AssertAccessibleAsync(page, "leads after import");
        await PageChecks.ScreenshotAsync(page, "leads-import-1280x800");
        await page.Context.CloseAsync();
        File.Delete(file);
    }

    [Fact]
    public async Task A_live_call_appears_with_its_transcript_growing_then_its_detail_page_shows_the_turns()
    {
        var campaign = await _data.CampaignAsync("Live " + Guid.NewGuid().ToString("N")[..6]);
        var lead = await _data.LeadAsync(campaign.Id, "Jane Live", "+14155550777");
        var page = await console.SignedInPageAsync("viewer");
        await ConsoleFixture.OpenAsync(page, "live");
        await page.WaitForSelectorAsync("h1:has-text('Live calls')");

        var callId = await _data.LiveCallAsync(lead);

        var row = page.Locator($"tr[data-call='{callId}']");
        await row.WaitForAsync();
        Assert.Contains("Jane Live", await row.InnerTextAsync(), StringComparison.Ordinal);
        // Other tests' calls may still be listed (the page shows the first one): pick this call.
        await row.Locator("button.link-button").ClickAsync();
        await page.WaitForSelectorAsync($"tr[data-call='{callId}'].selected");
        await page.WaitForSelectorAsync("text=Is now a good time?");
        await _data.SayAsync(callId, 1, CallSpeakers.Caller, "Sure, we are looking for a better dialer.");
        await page.WaitForSelectorAsync("text=looking for a better dialer");
        await PageChecks.AssertAccessibleAsync(page, "live calls");
        await PageChecks.ScreenshotAsync(page, "live-calls-1280x800");

        await page.ClickAsync("text=Open the call's detail page");
        await page.WaitForSelectorAsync("h1:has-text('Call')");
        await page.WaitForSelectorAsync("[data-testid=call-status]:has-text('in_progress')");
        Assert.Contains("looking for a better dialer", await page.InnerTextAsync("ol.transcript"), StringComparison.Ordinal);
        await PageChecks.AssertAccessibleAsync(page, "call detail");
        await PageChecks.ScreenshotAsync(page, "call-detail-1280x800");

        // The overview counts the live call and charts today's calls by hour and outcome.
        await ConsoleFixture.OpenAsync(page, "");
        await page.WaitForSelectorAsync(".chart svg");
        Assert.NotEqual("0", await page.InnerTextAsync("[data-testid=live-calls]"));
        await PageChecks.AssertAccessibleAsync(page, "overview with calls");
        await PageChecks.ScreenshotAsync(page, "overview-with-calls-1280x800");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_erases_a_lead_after_confirming()
    {
        var campaign = await _data.CampaignAsync("Erase " + Guid.NewGuid().ToString("N")[..6]);
        var lead = await _data.LeadAsync(campaign.Id, "Erin Erase", "+14155550999");
        var page = await console.SignedInPageAsync("admin");

        await ConsoleFixture.OpenAsync(page, $"leads/{lead.Id}");
        await page.WaitForSelectorAsync("[data-testid=lead-name]:has-text('Erin Erase')");
        await PageChecks.AssertAccessibleAsync(page, "lead detail");
        await PageChecks.ScreenshotAsync(page, "lead-detail-1280x800");
        await page.ClickAsync("button:has-text('Erase…')");
        await page.ClickAsync("button:has-text('Erase permanently')");

        await page.WaitForSelectorAsync("[data-testid=lead-name]:has-text('(erased)')");
        Assert.DoesNotContain("Erin Erase", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_retries_a_dead_letter_and_the_job_goes_back_to_its_queue()
    {
        var entryId = await _data.DeadLetterAsync("Gemini answered 500 five times");
        var before = await _data.Redis.StreamLengthAsync(QueueKeys.Stream(JobTypes.AnalyzeCall));
        var page = await console.SignedInPageAsync("admin");

        await ConsoleFixture.OpenAsync(page, "dead-letters");
        var row = page.Locator($"tr[data-entry='{entryId}']");
        await row.WaitForAsync();
        Assert.Contains("Gemini answered 500 five times", await row.InnerTextAsync(), StringComparison.Ordinal);
        await PageChecks.AssertAccessibleAsync(page, "dead letters");
        await PageChecks.ScreenshotAsync(page, "dead-letters-1280x800");
        await row.Locator("button:has-text('Retry')").ClickAsync();

        await page.WaitForSelectorAsync("text=is back in its queue");
        Assert.Equal(0, await row.CountAsync());
        Assert.Equal(before + 1, await _data.Redis.StreamLengthAsync(QueueKeys.Stream(JobTypes.AnalyzeCall)));
        var requeued = (await _data.Redis.StreamRangeAsync(QueueKeys.Stream(JobTypes.AnalyzeCall), "-", "+", 1, StackExchange.Redis.Order.Descending))[0];
        Assert.Equal("0", requeued["failed_attempts"].ToString());
        Assert.True(requeued["reason"].IsNull, "the failure's fields stay behind");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_agent_answers_in_the_text_chat_on_the_offline_engine()
    {
        var campaign = await _data.CampaignAsync("Chat " + Guid.NewGuid().ToString("N")[..6]);
        await _data.LeadAsync(campaign.Id, "Carl Chat", "+14155550888");
        var page = await console.SignedInPageAsync("operator");

        await ConsoleFixture.OpenAsync(page, "try");
        await page.SelectOptionAsync("#try-campaign", campaign.Id.ToString());
        await page.Locator("#try-lead option:has-text('Carl Chat')").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.ClickAsync("button:has-text('Start a conversation')");
        await page.WaitForSelectorAsync("ol.transcript li.agent");
        await page.FillAsync("#try-message", "Yes, we need a better way to handle inbound leads.");
        await page.ClickAsync("button:has-text('Send')");

        await page.WaitForSelectorAsync("ol.transcript li.caller");
        await page.WaitForFunctionAsync("document.querySelectorAll('ol.transcript li.agent').length >= 2");
        Assert.Contains("offline", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        // No live voice model on this console: the voice test call says what to configure instead of a button.
        Assert.Contains("Gemini:Mode", await page.InnerTextAsync("[data-testid=voice-not-configured]"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("button:has-text('Start a voice call')").CountAsync());
        await PageChecks.AssertAccessibleAsync(page, "try the agent");
        await PageChecks.ScreenshotAsync(page, "try-the-agent-1280x800");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task Every_list_page_renders_accessibly_with_its_empty_state_or_rows(int width, int height)
    {
        var page = await console.SignedInPageAsync("admin", width, height);
        foreach (var (path, name) in new[] { ("leads", "leads"), ("live", "live-calls"), ("callbacks", "callbacks"), ("do-not-call", "do-not-call"), ("dead-letters", "dead-letters"), ("try", "try-the-agent") })
        {
            await ConsoleFixture.OpenAsync(page, path);
            await page.WaitForSelectorAsync("main h1");
            await page.WaitForSelectorAsync("main .empty, main table, main select");
            await PageChecks.AssertAccessibleAsync(page, name);
            await PageChecks.ScreenshotAsync(page, $"{name}-{width}x{height}");
        }

        await page.Context.CloseAsync();
    }
}
