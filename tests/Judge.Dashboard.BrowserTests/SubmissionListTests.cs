using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Judge.Dashboard.BrowserTests;

/// <summary>The live list of submissions at <c>/</c>, and the submit form that feeds it.</summary>
[Collection(DashboardCollection.Name)]
public sealed class SubmissionListTests(DashboardServer server, Browser browser)
{
    [Fact]
    public async Task A_submission_made_through_the_form_goes_through_its_states_to_AC_on_the_list_without_a_reload()
    {
        await using var list = await browser.OpenAsync(server.BaseUrl, nameof(A_submission_made_through_the_form_goes_through_its_states_to_AC_on_the_list_without_a_reload));
        await LiveStates.InstallAsync(list.Page);
        await list.Page.GotoAsync("/");
        await Expect(list.Page.Locator("#live")).ToHaveAttributeAsync("data-state", "on");
        await list.MarkAsync();

        await using var form = await browser.OpenAsync(server.BaseUrl, "submit-form");
        await form.Page.GotoAsync("/submit");
        await form.Page.GetByLabel("Problem").SelectOptionAsync(Sources.Problem);
        await form.Page.GetByLabel("Language").SelectOptionAsync("python3");
        await form.Page.GetByLabel("Source", new() { Exact = true }).FillAsync(Sources.PythonAcceptedSlowly);
        await form.Page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        var link = form.Page.Locator("#result-link");
        await Expect(link).Not.ToBeEmptyAsync();
        var id = await link.TextContentAsync() ?? "";

        var row = list.Page.Locator($"#submissions tbody tr[data-id='{id}']");
        await Expect(row).ToHaveAttributeAsync("data-verdict", "AC");
        await Expect(row.Locator("td.status")).ToHaveTextAsync("finished");
        await Expect(form.Page.Locator("#result-status")).ToHaveTextAsync("finished · AC");

        var statuses = await LiveStates.RowStatusesAsync(list.Page, id);
        var texts = await LiveStates.RowTextsAsync(list.Page, id);
        LiveStates.AssertInLifecycleOrder(statuses);
        Assert.True(statuses.Length >= 3 && statuses.Contains("running") && statuses[^1] == "finished",
            $"the row showed {string.Join(" → ", statuses)}");
        Assert.Contains(texts, text => Regex.IsMatch(text, @"^running · test [1-9] of 9$"));
        await list.AssertNotReloadedAsync();
        list.AssertNoErrors();
        form.AssertNoErrors();
    }

    [Fact]
    public async Task Filters_and_search_by_id_narrow_the_list()
    {
        var accepted = (await server.JudgeAsync(Sources.Problem, "python3", Sources.PythonAccepted)).GetProperty("id").GetString()!;
        var wrong = (await server.JudgeAsync(Sources.Problem, "python3", Sources.PythonWrong)).GetProperty("id").GetString()!;
        await using var tab = await browser.OpenAsync(server.BaseUrl, nameof(Filters_and_search_by_id_narrow_the_list));
        var page = tab.Page;
        await page.GotoAsync("/");
        var rows = page.Locator("#submissions tbody tr");
        await Expect(page.Locator($"tr[data-id='{accepted}']")).ToBeVisibleAsync();
        await Expect(page.Locator($"tr[data-id='{wrong}']")).ToBeVisibleAsync();

        await page.GetByLabel("Verdict").SelectOptionAsync("WA");
        await Expect(page).ToHaveURLAsync(new Regex(@"[?&]verdict=WA"));
        await Expect(page.Locator($"tr[data-id='{wrong}']")).ToBeVisibleAsync();
        await Expect(page.Locator($"tr[data-id='{accepted}']")).ToHaveCountAsync(0);
        Assert.All(await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.verdict)"), v => Assert.Equal("WA", v));

        await page.GetByRole(AriaRole.Button, new() { Name = "Clear" }).ClickAsync();
        await Expect(page.Locator($"tr[data-id='{accepted}']")).ToBeVisibleAsync();

        await page.GetByLabel("Id starts with").FillAsync(accepted);
        await page.GetByLabel("Id starts with").PressAsync("Enter");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(page.Locator($"tr[data-id='{accepted}']")).ToBeVisibleAsync();

        await page.GetByLabel("Id starts with").FillAsync("no-such-id-");
        await page.GetByLabel("Id starts with").PressAsync("Enter");
        await Expect(rows).ToHaveCountAsync(0);
        await Expect(page.Locator("#empty")).ToBeVisibleAsync();

        // The filters live in the address: a reload, or a shared link, shows the same list.
        await page.GotoAsync($"/?problem={Sources.Problem}&language=python3&verdict=AC");
        await Expect(page.GetByLabel("Language")).ToHaveValueAsync("python3");
        await Expect(page.Locator($"tr[data-id='{accepted}']")).ToBeVisibleAsync();
        await Expect(page.Locator($"tr[data-id='{wrong}']")).ToHaveCountAsync(0);
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task Older_submissions_are_a_page_away_and_newest_comes_back()
    {
        // The only accepted C++ submissions of this server's tests.
        var judged = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => server.JudgeAsync(Sources.Problem, "cpp17", Sources.CppAccepted)));
        var ids = judged.Select(s => s.GetProperty("id").GetString()!).ToList();
        await using var tab = await browser.OpenAsync(server.BaseUrl, nameof(Older_submissions_are_a_page_away_and_newest_comes_back));
        var page = tab.Page;
        // Two a page: the server pages through the three.
        await page.GotoAsync("/?limit=2&language=cpp17&verdict=AC");
        var rows = page.Locator("#submissions tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        var first = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Older" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("[?&]before="));
        await Expect(rows).ToHaveCountAsync(1);
        var second = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");
        Assert.Equal(ids.Order(StringComparer.Ordinal), first.Concat(second).Order(StringComparer.Ordinal));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Older" })).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Newest" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(2);
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task The_submit_form_works_from_the_keyboard_alone()
    {
        await using var tab = await browser.OpenAsync(server.BaseUrl, nameof(The_submit_form_works_from_the_keyboard_alone));
        var page = tab.Page;
        await page.GotoAsync($"/submit?problem={Sources.Problem}");
        await Expect(page.GetByLabel("Problem")).ToHaveValueAsync(Sources.Problem);
        await page.GetByLabel("Language").FocusAsync();
        await page.GetByLabel("Language").SelectOptionAsync("python3");
        await page.Keyboard.PressAsync("Tab"); // the file input
        await page.Keyboard.PressAsync("Tab"); // the source
        await Expect(page.GetByLabel("Source", new() { Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.InsertTextAsync(Sources.PythonAccepted);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Submit" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#result-status")).ToHaveTextAsync("finished · AC");

        // The result links to the submission's page: a real link, followed with Enter.
        await page.Locator("#result-link").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/submissions/"));
        await Expect(page.Locator("#summary")).ToHaveAttributeAsync("data-verdict", "AC");
        tab.AssertNoErrors();
    }
}
