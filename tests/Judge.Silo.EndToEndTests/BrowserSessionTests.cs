using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Judge.Silo.EndToEndTests;

/// <summary>The browser's way in: log in once with a key, then the session cookie and the CSRF token (issue 11).</summary>
[Collection(AuthJudgeServerCollection.Name)]
public class BrowserSessionTests(AuthJudgeServer server)
{
    private sealed record Login(string Cookie, string Csrf, string SetCookie);

    private async Task<Login> LogInAsync(string keyName)
    {
        using var client = server.Client();
        using var response = await client.PostAsJsonAsync("/api/auth/login", new { key = AuthJudgeServer.Keys[keyName].Key });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(keyName, body.GetProperty("name").GetString());
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var cookie = setCookie.Split(';')[0];
        Assert.StartsWith("judge_session=", cookie);
        return new Login(cookie, body.GetProperty("csrf").GetString()!, setCookie);
    }

    private static HttpRequestMessage WithCookie(HttpMethod method, string path, Login login, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("Cookie", login.Cookie);
        return request;
    }

    private static object ASubmission => new { problem = "aplusb", language = "python3", source = "a, b = map(int, input().split())\nprint(a + b)\n" };

    [Fact]
    public async Task Logging_in_sets_an_HttpOnly_SameSite_Strict_cookie_that_opens_the_pages_and_the_API()
    {
        var login = await LogInAsync("reader");
        Assert.Contains("httponly", login.SetCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", login.SetCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", login.SetCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", login.SetCookie.Replace("judge_session", ""), StringComparison.OrdinalIgnoreCase); // plain http here

        using var client = server.Client();
        using var problems = await client.SendAsync(WithCookie(HttpMethod.Get, "/api/problems", login));
        Assert.Equal(HttpStatusCode.OK, problems.StatusCode);

        var page = WithCookie(HttpMethod.Get, "/cluster", login);
        page.Headers.Accept.ParseAdd("text/html");
        using var pageResponse = await client.SendAsync(page);
        Assert.NotEqual(HttpStatusCode.Found, pageResponse.StatusCode); // 200 once the dashboard is merged; no login redirect
        Assert.NotEqual(HttpStatusCode.Unauthorized, pageResponse.StatusCode);

        using var meResponse = await client.SendAsync(WithCookie(HttpMethod.Get, "/api/auth/me", login));
        var me = await meResponse.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("reader", me.GetProperty("name").GetString());
        Assert.Equal(login.Csrf, me.GetProperty("csrf").GetString());
    }

    [Fact]
    public async Task A_wrong_key_cannot_log_in_and_a_malformed_login_is_400()
    {
        using var client = server.Client();
        using var wrong = await client.PostAsJsonAsync("/api/auth/login", new { key = "not-a-key-of-this-judge" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));

        using var malformed = await client.PostAsync("/api/auth/login", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("\"key\"", await AuthJudgeServer.ErrorOf(malformed));
        using var noKey = await client.PostAsJsonAsync("/api/auth/login", new { name = "admin" });
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
    }

    [Theory]
    [InlineData("lone surrogate")]
    [InlineData("not UTF-8")]
    [InlineData("key twice")]
    public async Task A_login_body_with_text_that_is_not_unicode_or_the_key_given_twice_is_400(string body)
    {
        using var client = server.Client();
        var adminKey = AuthJudgeServer.Keys["admin"].Key;
        using var content = new ByteArrayContent(body switch
        {
            "lone surrogate" => System.Text.Encoding.UTF8.GetBytes($$"""{"key":"{{adminKey}}\udcff"}"""),
            "not UTF-8" => [.. System.Text.Encoding.UTF8.GetBytes($$"""{"key":"{{adminKey}}"""), 0xff, .. "\"}"u8],
            _ => System.Text.Encoding.UTF8.GetBytes($$"""{"key":"not-a-key","key":"{{adminKey}}"}"""),
        });
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync("/api/auth/login", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Logging_out_clears_the_cookie()
    {
        var login = await LogInAsync("reader");
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server.BaseAddress) };
        var container = new CookieContainer();
        using var cookieClient = new HttpClient(new HttpClientHandler { CookieContainer = container, AllowAutoRedirect = false }) { BaseAddress = new Uri(server.BaseAddress) };
        container.SetCookies(new Uri(server.BaseAddress), login.Cookie);

        using var before = await cookieClient.GetAsync("/api/auth/me");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        var logout = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
        logout.Headers.Add("X-Judge-CSRF", login.Csrf);
        using var loggedOut = await cookieClient.SendAsync(logout);
        Assert.Equal(HttpStatusCode.NoContent, loggedOut.StatusCode);
        Assert.Empty(container.GetCookies(new Uri(server.BaseAddress)));
        using var after = await cookieClient.GetAsync("/api/auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task A_forged_POST_with_the_cookie_but_without_the_right_CSRF_token_gets_403()
    {
        var login = await LogInAsync("admin");
        using var client = server.Client();

        using var noToken = await client.SendAsync(WithCookie(HttpMethod.Post, "/api/submissions", login, ASubmission));
        Assert.Equal(HttpStatusCode.Forbidden, noToken.StatusCode);
        Assert.Contains("X-Judge-CSRF", await AuthJudgeServer.ErrorOf(noToken));

        var wrong = WithCookie(HttpMethod.Post, "/api/submissions", login, ASubmission);
        wrong.Headers.Add("X-Judge-CSRF", (await LogInAsync("admin")).Csrf); // another session's token
        using var wrongToken = await client.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Forbidden, wrongToken.StatusCode);

        var crossOrigin = WithCookie(HttpMethod.Post, "/api/submissions", login, ASubmission);
        crossOrigin.Headers.Add("X-Judge-CSRF", login.Csrf);
        crossOrigin.Headers.Add("Origin", "https://evil.example");
        using var refused = await client.SendAsync(crossOrigin);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("cross-origin", await AuthJudgeServer.ErrorOf(refused));

        var genuine = WithCookie(HttpMethod.Post, "/api/submissions", login, ASubmission);
        genuine.Headers.Add("X-Judge-CSRF", login.Csrf);
        genuine.Headers.Add("Origin", server.BaseAddress);
        using var accepted = await client.SendAsync(genuine);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        using var admin = server.Client("admin");
        Assert.Equal("admin", (await admin.GetFromJsonAsync<JsonElement>($"/api/submissions/{id}")).GetProperty("submittedBy").GetString());
    }

    [Fact]
    public async Task A_cookie_stops_working_once_its_key_is_no_longer_configured()
    {
        var login = await LogInAsync("leaver");
        using var client = server.Client();
        using (var before = await client.SendAsync(WithCookie(HttpMethod.Get, "/api/problems", login)))
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        var nameKey = $"Judge:Auth:Keys:{AuthJudgeServer.IndexOf("leaver")}:Name";
        server.Reconfigure(nameKey, "left");
        try
        {
            using var after = await client.SendAsync(WithCookie(HttpMethod.Get, "/api/problems", login));
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        }
        finally
        {
            server.Reconfigure(nameKey, "leaver");
        }
    }

    [Fact]
    public async Task A_tampered_cookie_is_ignored()
    {
        var login = await LogInAsync("reader");
        var (name, value) = (login.Cookie.Split('=', 2)[0], login.Cookie.Split('=', 2)[1]);
        var body = value.Split('.')[0];
        var forged = JsonSerializer.Serialize(new { N = "admin", K = "x", S = "y", E = 4102444800 });
        var tampered = login with { Cookie = $"{name}={Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(forged))}.{value.Split('.')[1]}" };
        Assert.NotEqual(body, tampered.Cookie);
        using var client = server.Client();
        using var response = await client.SendAsync(WithCookie(HttpMethod.Get, "/api/auth/me", tampered));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
