using Microsoft.Playwright;

namespace LeadGen.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class PagesTests(ConsoleFixture console)
{
    [Fact]
    public async Task Sign_in_page_says_it_is_the_development_sign_in_and_pages_need_a_sign_in()
    {
        var context = await console.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = console.BaseUrl.ToString() });
        var page = await context.NewPageAsync();

        await page.GotoAsync("campaigns");

        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
        await page.WaitForSelectorAsync("text=Development sign-in");
        Assert.Contains("only in the Development", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await PageChecks.AssertAccessibleAsync(page, "sign-in");
        await PageChecks.ScreenshotAsync(page, "signin-1280x800");
        await context.CloseAsync();
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task Overview_and_campaigns_render_accessibly_at_desktop_and_phone_sizes(int width, int height)
    {
        var page = await console.SignedInPageAsync("viewer", width, height);

        await ConsoleFixture.OpenAsync(page, "");
        await page.WaitForSelectorAsync("[data-testid=live-calls]");
        Assert.Contains("development sign-in", await page.InnerTextAsync("header"), StringComparison.Ordinal);
        await PageChecks.AssertAccessibleAsync(page, "overview");
        await PageChecks.ScreenshotAsync(page, $"overview-{width}x{height}");

        await ConsoleFixture.OpenAsync(page, "campaigns");
        await page.WaitForSelectorAsync("h1:has-text('Campaigns')");
        await page.WaitForSelectorAsync(".empty, table.data");
        await PageChecks.AssertAccessibleAsync(page, "campaigns");
        await PageChecks.ScreenshotAsync(page, $"campaigns-{width}x{height}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_operator_creates_and_starts_a_campaign_and_a_viewer_cannot_start_it()
    {
        var name = "Browser test " + Guid.NewGuid().ToString("N")[..8];
        var operatorPage = await console.SignedInPageAsync("operator");
        await ConsoleFixture.OpenAsync(operatorPage, "campaigns");
        await operatorPage.WaitForSelectorAsync("text=New campaign");

        // A bad calling window is refused with the API's own message, beside the field.
        await operatorPage.FillAsync("#new-name", name);
        await operatorPage.FillAsync("#new-window-start", "9am");
        await operatorPage.ClickAsync("button:has-text('Create campaign')");
        await operatorPage.WaitForSelectorAsync("text=Use 24-hour HH:mm");

        await operatorPage.FillAsync("#new-window-start", "09:00");
        await operatorPage.FillAsync("#new-persona", "Ava");
        await operatorPage.ClickAsync("button:has-text('Create campaign')");
        var row = operatorPage.Locator($"tr[data-campaign='{name}']");
        await row.Locator("[data-testid=status]:has-text('draft')").WaitForAsync();
        await PageChecks.ScreenshotAsync(operatorPage, "campaigns-with-a-draft-1280x800");

        var viewerPage = await console.SignedInPageAsync("viewer");
        await ConsoleFixture.OpenAsync(viewerPage, "campaigns");
        var viewerRow = viewerPage.Locator($"tr[data-campaign='{name}']");
        await viewerRow.WaitForAsync();
        Assert.Equal(0, await viewerRow.Locator("button:has-text('Start')").CountAsync());
        Assert.Contains("Operators start and pause campaigns", await viewerRow.InnerTextAsync(), StringComparison.Ordinal);

        await row.Locator("button:has-text('Start')").ClickAsync();
        await row.Locator("[data-testid=status]:has-text('running')").WaitForAsync();
        await operatorPage.WaitForSelectorAsync($"text=is now running");

        // Edit: the form is filled with the campaign's settings; a change is saved.
        await row.Locator("button:has-text('Edit')").ClickAsync();
        await operatorPage.WaitForSelectorAsync($"text=Edit “{name}”");
        Assert.Equal("Ava", await operatorPage.InputValueAsync("#new-persona"));
        Assert.Equal("09:00", await operatorPage.InputValueAsync("#new-window-start"));
        await operatorPage.FillAsync("#new-company", "Acme Voice");
        await operatorPage.ClickAsync("button:has-text('Save changes')");
        await operatorPage.WaitForSelectorAsync($"text=Campaign “{name}” saved.");
        await row.Locator("button:has-text('Stats')").ClickAsync();
        await operatorPage.WaitForSelectorAsync("[data-testid=stats-leads]:has-text('0')");

        await operatorPage.Context.CloseAsync();
        await viewerPage.Context.CloseAsync();
    }
}
