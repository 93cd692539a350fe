using static Microsoft.Playwright.Assertions;

namespace Judge.Dashboard.BrowserTests;

/// <summary>The cluster page at <c>/cluster</c>.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ClusterPageTests(DashboardServer server, Browser browser)
{
    [Fact]
    public async Task The_cluster_page_lists_the_silo_with_its_languages_and_draws_the_last_hour()
    {
        await server.JudgeAsync(Sources.Problem, "python3", Sources.PythonAccepted);
        await using var tab = await browser.OpenAsync(server.BaseUrl, nameof(The_cluster_page_lists_the_silo_with_its_languages_and_draws_the_last_hour));
        var page = tab.Page;
        await page.GotoAsync("/cluster");
        var silo = page.Locator("#silos tbody tr");
        await Expect(silo).ToHaveCountAsync(1);
        await Expect(silo).ToContainTextAsync("Python 3");
        await Expect(silo).ToContainTextAsync("C++17");
        await Expect(silo).ToContainTextAsync("active");
        await Expect(page.Locator("#alerts .alert")).ToHaveCountAsync(0);
        await Expect(page.Locator("#chart-throughput canvas")).ToHaveCountAsync(1);
        await Expect(page.Locator("#verdict-legend")).ToContainTextAsync("AC");
        await Expect(page.Locator("#latency tbody tr")).ToHaveCountAsync(2);
        tab.AssertNoErrors();
    }
}
