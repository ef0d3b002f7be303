using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace LeadGen.Console.Tests;

/// <summary>What every page must pass: axe with no serious or critical violation, and a saved screenshot.</summary>
internal static class PageChecks
{
    public static async Task AssertAccessibleAsync(IPage page, string name)
    {
        var results = await page.RunAxe();
        var blocking = results.Violations.Where(violation => violation.Impact is "serious" or "critical").ToList();
        Assert.True(blocking.Count == 0, $"{name}: " + string.Join("; ", blocking.Select(violation =>
            $"{violation.Id} ({violation.Impact}): {violation.Help} at {string.Join(", ", violation.Nodes.Select(node => node.Target?.ToString()))}")));
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ConsoleFixture.ScreenshotFolder, name + ".png"), FullPage = true });
}
