using Judge.Cluster.EndToEndTests;
using static Microsoft.Playwright.Assertions;

namespace Judge.Dashboard.BrowserTests;

/// <summary>Two silo processes over PostgreSQL with different toolchains: A offers python3, B cpp17.</summary>
public sealed class TwoSilos : IAsyncLifetime
{
    private readonly string workRoot = Directory.CreateTempSubdirectory("judge-dashboard-cluster-").FullName;

    public PostgresServer Postgres { get; } = new();
    public SiloProcess A { get; private set; } = null!;
    public SiloProcess B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        var connectionString = await Postgres.CreateDatabaseAsync("dashboard");
        await Judge.Silo.Database.JudgeSchema.MigrateAsync(connectionString);
        A = new SiloProcess("A", connectionString, "dashboard", 0, Path.Combine(workRoot, "a"), "python3");
        B = new SiloProcess("B", connectionString, "dashboard", 1, Path.Combine(workRoot, "b"), "cpp17");
        A.Start();
        await A.WaitReadyAsync();
        B.Start();
        await B.WaitReadyAsync();
    }

    public async Task DisposeAsync()
    {
        if (A is not null)
            await A.DisposeAsync();
        if (B is not null)
            await B.DisposeAsync();
        await Postgres.DisposeAsync();
        try
        {
            Directory.Delete(workRoot, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a sandbox may still be releasing a directory; it is under the temporary directory
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TwoSilosCollection : ICollectionFixture<TwoSilos>, ICollectionFixture<Browser>
{
    public const string Name = "two silos";
}

/// <summary>The feed is cluster-wide: a page on silo A shows live progress of a submission judged on silo B.</summary>
[Collection(TwoSilosCollection.Name)]
public sealed class TwoSiloTests(TwoSilos cluster, Browser browser)
{
    [Fact]
    public async Task A_page_on_one_silo_shows_live_progress_of_a_submission_judged_on_the_other()
    {
        var baseUrl = cluster.A.Http.BaseAddress!.ToString().TrimEnd('/');
        await using var list = await browser.OpenAsync(baseUrl, nameof(A_page_on_one_silo_shows_live_progress_of_a_submission_judged_on_the_other));
        await LiveStates.InstallAsync(list.Page);
        await list.Page.GotoAsync("/");
        await Expect(list.Page.Locator("#live")).ToHaveAttributeAsync("data-state", "on");

        // Submitted to A, which has no C++ toolchain: B judges it.
        using var response = await cluster.A.Http.PostAsync("/api/submissions", System.Net.Http.Json.JsonContent.Create(
            new { problem = Sources.Problem, language = "cpp17", source = Sources.CppAcceptedSlowly }));
        var answer = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, answer);
        var id = System.Text.Json.JsonDocument.Parse(answer).RootElement.GetProperty("id").GetString()!;

        await using var detail = await browser.OpenAsync(baseUrl, $"{nameof(A_page_on_one_silo_shows_live_progress_of_a_submission_judged_on_the_other)}-submission");
        await LiveStates.InstallAsync(detail.Page);
        await detail.Page.GotoAsync($"/submissions/{id}");

        var row = list.Page.Locator($"tr[data-id='{id}']");
        await Expect(row).ToHaveAttributeAsync("data-verdict", "AC");
        Assert.StartsWith(cluster.B.AddressPrefix, await row.Locator("td").Nth(8).GetAttributeAsync("title"));
        var statuses = await LiveStates.RowStatusesAsync(list.Page, id);
        LiveStates.AssertInLifecycleOrder(statuses);
        Assert.True(statuses.Contains("running") && statuses[^1] == "finished", $"the row on A showed {string.Join(" → ", statuses)}");

        await Expect(detail.Page.Locator("#summary")).ToHaveAttributeAsync("data-verdict", "AC");
        await Expect(detail.Page.Locator("#tests tbody tr[data-test]")).ToHaveCountAsync(9);
        var states = await LiveStates.PageStatesAsync(detail.Page);
        Assert.Contains(states, s => s.StartsWith("running:", StringComparison.Ordinal));
        list.AssertNoErrors();
        detail.AssertNoErrors();
    }
}
