using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Judge.Dashboard.BrowserTests;

/// <summary>A submission's page at <c>/submissions/{id}</c>.</summary>
[Collection(DashboardCollection.Name)]
public sealed class SubmissionPageTests(DashboardServer server, Browser browser)
{
    [Fact]
    public async Task A_wrong_answer_shows_the_failing_test_and_its_message()
    {
        var id = (await server.JudgeAsync(Sources.Problem, "python3", Sources.PythonWrong)).GetProperty("id").GetString()!;
        await using var tab = await browser.OpenAsync(server.BaseUrl, nameof(A_wrong_answer_shows_the_failing_test_and_its_message));
        var page = tab.Page;
        await page.GotoAsync($"/submissions/{id}");

        await Expect(page.Locator("#summary")).ToHaveAttributeAsync("data-verdict", "WA");
        var failing = page.Locator("#tests tbody tr[data-verdict='WA']");
        await Expect(failing).ToHaveCountAsync(1);
        await Expect(failing.Locator("td.message")).ToContainTextAsync("differs");
        await Expect(page.Locator("#tests tbody tr[data-verdict='SK']").First).ToBeVisibleAsync();
        // The source, highlighted as Python; shown as text, never as markup.
        await Expect(page.Locator("#source.hljs")).ToContainTextAsync("print(a - b)");
        Assert.True(await page.Locator("#source span").CountAsync() > 0, "the source is not highlighted");
        await Expect(page.Locator("#compile")).ToBeHiddenAsync();
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task A_submission_page_fills_in_live_while_it_is_judged()
    {
        await using var tab = await browser.OpenAsync(server.BaseUrl, nameof(A_submission_page_fills_in_live_while_it_is_judged));
        var page = tab.Page;
        await LiveStates.InstallAsync(page);
        var id = await server.SubmitAsync(Sources.Problem, "python3", Sources.PythonAcceptedSlowly);
        await page.GotoAsync($"/submissions/{id}");
        await tab.MarkAsync();
        await Expect(page.Locator("#tests tbody tr[data-test]")).ToHaveCountAsync(9);
        await Expect(page.Locator("#summary")).ToHaveAttributeAsync("data-verdict", "AC");
        await Expect(page.Locator("#tests tbody tr[data-pending]")).ToHaveCountAsync(0);

        // Seen along the way: the page running, with some tests done and the rest still pending.
        var states = await LiveStates.PageStatesAsync(page);
        Assert.Contains(states, s => s.StartsWith("running:", StringComparison.Ordinal) && s.Split(':') is [_, var done, var pending]
            && int.Parse(done) is > 0 and < 9 && int.Parse(pending) > 0);
        Assert.Equal("finished:9:0", states[^1]);
        await tab.AssertNotReloadedAsync();
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task Judge_messages_show_for_a_caller_with_the_judge_scope()
    {
        // An open judge without a judges' token: every caller holds every scope, judge included.
        var source = await File.ReadAllTextAsync(Path.Combine(Repository.ExampleProblems, "guess", "submissions", "accepted", "guess.py"));
        var id = (await server.JudgeAsync("guess", "python3", source)).GetProperty("id").GetString()!;
        await using var tab = await browser.OpenAsync(server.BaseUrl, nameof(Judge_messages_show_for_a_caller_with_the_judge_scope));
        var page = tab.Page;
        await page.GotoAsync($"/submissions/{id}");
        await Expect(page.Locator("#summary")).ToHaveAttributeAsync("data-verdict", "AC");
        await Expect(page.Locator("#tests thead")).ToContainTextAsync("Judge message");
        await Expect(page.Locator("#tests td.judge-message").First).Not.ToBeEmptyAsync();
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task A_compile_error_shows_the_compiler_output()
    {
        var id = (await server.JudgeAsync(Sources.Problem, "cpp17", Sources.CppBroken)).GetProperty("id").GetString()!;
        await using var tab = await browser.OpenAsync(server.BaseUrl, nameof(A_compile_error_shows_the_compiler_output));
        var page = tab.Page;
        await page.GotoAsync($"/submissions/{id}");
        await Expect(page.Locator("#summary")).ToHaveAttributeAsync("data-verdict", "CE");
        await Expect(page.Locator("#compile-output")).ToContainTextAsync("undefined_name");
        await Expect(page.Locator("#source.hljs")).ToContainTextAsync("return undefined_name;");
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task Markup_in_a_source_is_shown_as_text()
    {
        const string source = "# <img src=x onerror=\"window.__owned=1\"><script>window.__owned=2</script>\na, b = map(int, input().split())\nprint(a + b)\n";
        var id = (await server.JudgeAsync(Sources.Problem, "python3", source)).GetProperty("id").GetString()!;
        await using var tab = await browser.OpenAsync(server.BaseUrl, nameof(Markup_in_a_source_is_shown_as_text));
        var page = tab.Page;
        await page.GotoAsync($"/submissions/{id}");
        await Expect(page.Locator("#source")).ToContainTextAsync("<img src=x onerror=");
        Assert.Equal(0, await page.Locator("#source img, #source script").CountAsync());
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__owned ?? null"));
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task An_unknown_submission_says_so()
    {
        await using var tab = await browser.OpenAsync(server.BaseUrl, nameof(An_unknown_submission_says_so));
        var page = tab.Page;
        await page.GotoAsync("/submissions/no-such-submission");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("There is no submission with id no-such-submission");
    }
}
