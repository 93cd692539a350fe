using static Microsoft.Playwright.Assertions;

namespace Judge.Dashboard.BrowserTests;

/// <summary>The live list survives a silo restart: the browser reconnects (Last-Event-ID), the silo cannot replay an
/// earlier run's events and says "reset", and the page reloads its snapshot, showing what it missed.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ReconnectTests(Browser browser)
{
    [Fact]
    public async Task The_list_reconnects_after_the_silo_restarts_and_shows_what_it_missed()
    {
        await using var server = new DashboardServer();
        await server.InitializeAsync();
        await using var tab = await browser.OpenAsync(server.BaseUrl, nameof(The_list_reconnects_after_the_silo_restarts_and_shows_what_it_missed));
        var page = tab.Page;
        await page.GotoAsync("/");
        var live = page.Locator("#live");
        await Expect(live).ToHaveAttributeAsync("data-state", "on");
        var before = (await server.JudgeAsync(Sources.Problem, "python3", Sources.PythonAccepted)).GetProperty("id").GetString()!;
        await Expect(page.Locator($"tr[data-id='{before}']")).ToHaveAttributeAsync("data-verdict", "AC");
        await tab.MarkAsync();

        await server.StopAsync();
        await Expect(live).ToHaveAttributeAsync("data-state", "off");
        await server.StartAsync();
        // Submitted at once: the page is still disconnected, or has just come back.
        var missed = await server.SubmitAsync(Sources.Problem, "python3", Sources.PythonAccepted);

        await Expect(page.Locator($"tr[data-id='{missed}']")).ToHaveAttributeAsync("data-verdict", "AC");
        await Expect(live).ToHaveAttributeAsync("data-state", "on");
        await tab.AssertNotReloadedAsync();
        // The restarted silo keeps no earlier state (the embedded default is in memory): the snapshot no longer has it.
        await Expect(page.Locator($"tr[data-id='{before}']")).ToHaveCountAsync(0);
    }
}
