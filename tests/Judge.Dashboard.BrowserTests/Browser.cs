using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Judge.Dashboard.BrowserTests;

/// <summary>Debian's chromium (<c>/usr/bin/chromium</c>, headless) driven by Playwright; no browser download. One browser
/// per collection; each test opens its own <see cref="Tab"/> (a fresh context: its own cookies).</summary>
public sealed class Browser : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? playwright;
    private IBrowser? browser;

    /// <summary>Where each test saves its screenshots: <c>tests/Judge.Dashboard.BrowserTests/test-results/</c> (gitignored).</summary>
    public static string ResultsDirectory { get; } =
        Directory.CreateDirectory(Path.Combine(Repository.Root, "tests", "Judge.Dashboard.BrowserTests", "test-results")).FullName;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"{Chromium} is missing: install Debian's chromium (scripts/setup.sh --tests does)");
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
        Assertions.SetDefaultExpectTimeout(90_000);
    }

    /// <summary>Opens a tab on <paramref name="baseUrl"/>; it records console errors and saves a screenshot named after the
    /// test when disposed.</summary>
    public async Task<Tab> OpenAsync(string baseUrl, string testName, int width = 1280, int height = 900)
    {
        var context = await browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(90_000);
        var page = await context.NewPageAsync();
        return new Tab(context, page, testName);
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
            await browser.DisposeAsync();
        playwright?.Dispose();
    }
}

/// <summary>A browser tab of one test: the page, its console errors and uncaught exceptions, its screenshots.</summary>
public sealed class Tab : IAsyncDisposable
{
    private readonly IBrowserContext context;
    private readonly string testName;
    private readonly ConcurrentQueue<string> errors = new();
    private int screenshots;

    public Tab(IBrowserContext context, IPage page, string testName)
    {
        this.context = context;
        this.testName = testName;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                errors.Enqueue($"{page.Url}: console error: {message.Text}");
        };
        page.PageError += (_, error) => errors.Enqueue($"{page.Url}: uncaught: {error}");
    }

    public IPage Page { get; }

    /// <summary>The console errors and uncaught exceptions so far.</summary>
    public IReadOnlyList<string> Errors => [.. errors];

    /// <summary>Fails when the page logged a console error or threw.</summary>
    public void AssertNoErrors() => Assert.True(errors.IsEmpty, string.Join("\n", errors));

    /// <summary>Saves a full-page screenshot as <c>test-results/&lt;test&gt;[-label].png</c>.</summary>
    public async Task<string> ScreenshotAsync(string? label = null)
    {
        var path = Path.Combine(Browser.ResultsDirectory, label is null ? $"{testName}.png" : $"{testName}-{label}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        screenshots++;
        return path;
    }

    /// <summary>A marker in the page's window: it survives everything but a reload.</summary>
    public Task MarkAsync() => Page.EvaluateAsync("() => { window.__notReloaded = true; }");

    /// <summary>Fails when the page was reloaded since <see cref="MarkAsync"/>.</summary>
    public async Task AssertNotReloadedAsync() =>
        Assert.True(await Page.EvaluateAsync<bool>("() => window.__notReloaded === true"), "the page was reloaded");

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (screenshots == 0)
                await ScreenshotAsync();
        }
        catch (PlaywrightException)
        {
            // the page is gone: nothing to show
        }
        await context.DisposeAsync();
    }
}
