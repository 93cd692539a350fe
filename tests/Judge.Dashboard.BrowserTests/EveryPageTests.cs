using System.Net;
using static Microsoft.Playwright.Assertions;

namespace Judge.Dashboard.BrowserTests;

/// <summary>What holds on every page: a phone-sized screen needs no horizontal scrolling, nothing is logged to the console,
/// the Content-Security-Policy is sent.</summary>
[Collection(DashboardCollection.Name)]
public sealed class EveryPageTests(DashboardServer server, Browser browser)
{
    private async Task<string[]> PagesAsync()
    {
        var id = (await server.JudgeAsync(Sources.Problem, "python3", Sources.PythonWrong)).GetProperty("id").GetString()!;
        return ["/", $"/submissions/{id}", "/cluster", "/problems", "/submit", "/login"];
    }

    [Fact]
    public async Task A_phone_sized_screen_needs_no_horizontal_scrolling_on_any_page()
    {
        foreach (var path in await PagesAsync())
        {
            var name = path == "/" ? "list" : path.Split('/')[1];
            await using var tab = await browser.OpenAsync(server.BaseUrl, $"{nameof(A_phone_sized_screen_needs_no_horizontal_scrolling_on_any_page)}-{name}", 375, 800);
            var page = tab.Page;
            await page.GotoAsync(path);
            await Expect(page.Locator("body[data-ready]")).ToHaveCountAsync(1);
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            var (scroll, inner) = (widths[0], widths[1]);
            Assert.True(scroll <= inner, $"{path}: the page is {scroll} px wide in a {inner} px window");
            tab.AssertNoErrors();
        }
    }

    [Fact]
    public async Task No_page_logs_a_console_error()
    {
        foreach (var path in await PagesAsync())
        {
            await using var tab = await browser.OpenAsync(server.BaseUrl, $"{nameof(No_page_logs_a_console_error)}-{(path == "/" ? "list" : path.Split('/')[1])}");
            var page = tab.Page;
            await page.GotoAsync(path);
            await Expect(page.Locator("body[data-ready]")).ToHaveCountAsync(1);
            if (path == "/cluster")
                await Expect(page.Locator("#updated[data-refreshes='2']")).ToHaveCountAsync(1); // it refreshes by itself
            else if (path == "/" || path.StartsWith("/submissions/", StringComparison.Ordinal))
                await Expect(page.Locator("#live[data-state='on']")).ToHaveCountAsync(1); // the live feed connected
            tab.AssertNoErrors();
        }
    }

    [Fact]
    public async Task Every_page_is_sent_with_a_content_security_policy_and_no_inline_script()
    {
        foreach (var path in await PagesAsync())
        {
            using var response = await server.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'self'", policy);
            Assert.Contains("script-src 'self'", policy);
            Assert.DoesNotContain("unsafe-inline", policy);
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotMatch(@"<script(?![^>]*\ssrc=)[^>]*>", html);
            Assert.DoesNotMatch(@"\son[a-z]+=", html);
        }
    }

    [Fact]
    public async Task Assets_are_served_with_cache_headers()
    {
        using var vendor = await server.Http.GetAsync("/assets/vendor/uplot/uPlot.iife.min.js");
        Assert.Equal(HttpStatusCode.OK, vendor.StatusCode);
        Assert.Equal("public, max-age=86400", vendor.Headers.CacheControl?.ToString());
        Assert.NotNull(vendor.Headers.ETag);
        using var script = await server.Http.GetAsync("/assets/pages/list.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True(script.Headers.CacheControl?.NoCache, "own scripts are revalidated");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        using var missing = await server.Http.GetAsync("/assets/no-such-file.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
