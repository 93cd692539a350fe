using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Judge.Dashboard.BrowserTests;

/// <summary>A judge with API keys: an admin key (every scope) and a reader key (read only).</summary>
public sealed class KeyedDashboardServer : DashboardServer
{
    public const string AdminKey = "dashboard-admin-key-5b1e07d2";
    public const string ReaderKey = "dashboard-reader-key-9c44aa31";

    protected override string? BearerKey => AdminKey;

    protected override IEnumerable<string> Settings =>
    [
        "--Judge:Auth:Keys:0:Name=admin", $"--Judge:Auth:Keys:0:Key={AdminKey}", "--Judge:Auth:Keys:0:Scopes=submit,read,judge,admin",
        "--Judge:Auth:Keys:1:Name=reader", $"--Judge:Auth:Keys:1:Key={ReaderKey}", "--Judge:Auth:Keys:1:Scopes=read",
    ];
}

[CollectionDefinition(Name)]
public sealed class KeyedDashboardCollection : ICollectionFixture<KeyedDashboardServer>, ICollectionFixture<Browser>
{
    public const string Name = "dashboard with keys";
}

/// <summary>Signing in with a key, the session cookie, and what a key's scopes show.</summary>
[Collection(KeyedDashboardCollection.Name)]
public sealed class AccessTests(KeyedDashboardServer server, Browser browser)
{
    private static async Task SignInAsync(IPage page, string key)
    {
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?return="));
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    [Fact]
    public async Task A_page_without_a_key_asks_to_sign_in_and_works_with_the_cookie_afterwards()
    {
        await using var tab = await browser.OpenAsync(server.BaseUrl, nameof(A_page_without_a_key_asks_to_sign_in_and_works_with_the_cookie_afterwards));
        var page = tab.Page;
        await page.GotoAsync("/cluster");
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?return=%2Fcluster$"));

        await SignInAsync(page, "not-a-key-of-this-judge");
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That key is not known.");

        await page.GetByLabel("API key").FillAsync(KeyedDashboardServer.ReaderKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/cluster$"));
        await Expect(page.Locator("#silos tbody tr")).ToContainTextAsync("Python 3");
        await Expect(page.Locator("#who")).ToContainTextAsync("reader");

        // The cookie carries the other pages and the live feed.
        var id = (await server.JudgeAsync(Sources.Problem, "python3", Sources.PythonAccepted)).GetProperty("id").GetString()!;
        await page.GetByRole(AriaRole.Link, new() { Name = "Submissions" }).ClickAsync();
        await Expect(page.Locator($"tr[data-id='{id}']")).ToHaveAttributeAsync("data-verdict", "AC");
        await Expect(page.Locator("#live")).ToHaveAttributeAsync("data-state", "on");
        var live = await server.SubmitAsync(Sources.Problem, "python3", Sources.PythonAccepted);
        await Expect(page.Locator($"tr[data-id='{live}']")).ToHaveAttributeAsync("data-verdict", "AC");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/login"));
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?return=%2F$"));
    }

    [Fact]
    public async Task The_rejudge_button_is_there_only_for_an_admin_key()
    {
        var id = (await server.JudgeAsync(Sources.Problem, "python3", Sources.PythonAccepted)).GetProperty("id").GetString()!;

        await using var reader = await browser.OpenAsync(server.BaseUrl, $"{nameof(The_rejudge_button_is_there_only_for_an_admin_key)}-reader");
        await reader.Page.GotoAsync($"/submissions/{id}");
        await SignInAsync(reader.Page, KeyedDashboardServer.ReaderKey);
        await Expect(reader.Page.Locator("#summary")).ToHaveAttributeAsync("data-verdict", "AC");
        await Expect(reader.Page.GetByRole(AriaRole.Button, new() { Name = "Rejudge" })).ToHaveCountAsync(0);
        reader.AssertNoErrors();

        await using var admin = await browser.OpenAsync(server.BaseUrl, $"{nameof(The_rejudge_button_is_there_only_for_an_admin_key)}-admin");
        await admin.Page.GotoAsync($"/submissions/{id}");
        await SignInAsync(admin.Page, KeyedDashboardServer.AdminKey);
        await Expect(admin.Page.Locator("#summary")).ToHaveAttributeAsync("data-verdict", "AC");
        var rejudge = admin.Page.GetByRole(AriaRole.Button, new() { Name = "Rejudge" });
        await Expect(rejudge).ToBeEnabledAsync();
        await rejudge.ClickAsync();

        // The second judging fills in live; the first one is listed as an earlier judging.
        await Expect(admin.Page.Locator("#summary")).ToHaveAttributeAsync("data-judging", "2");
        await Expect(admin.Page.Locator("#summary")).ToHaveAttributeAsync("data-status", "finished");
        await Expect(admin.Page.Locator("#summary")).ToHaveAttributeAsync("data-verdict", "AC");
        await Expect(admin.Page.Locator("#judgings tbody tr")).ToHaveCountAsync(1);
        admin.AssertNoErrors();
    }
}
