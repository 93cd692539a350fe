using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Judge.Silo.EndToEndTests;

/// <summary>The access rules of the embedded default (no keys, loopback, a judges' token): open to anyone on the machine,
/// but pages still need the CSRF token and other origins are refused.</summary>
[Collection(JudgeServerCollection.Name)]
public class OpenJudgeAccessTests(JudgeServer server)
{
    private static object ASubmission => new { problem = "aplusb", language = "python3", source = "a, b = map(int, input().split())\nprint(a + b)\n" };

    private async Task<JsonElement> MeAsync(string? bearer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        if (bearer is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task An_open_judge_tells_the_page_it_is_open_and_gives_a_CSRF_token()
    {
        var me = await MeAsync();
        Assert.True(me.GetProperty("open").GetBoolean());
        Assert.Equal(JsonValueKind.Null, me.GetProperty("name").ValueKind);
        // the judges' token guards judge messages, so anonymous callers hold every scope but judge
        Assert.Equal("submit,read,admin", string.Join(",", me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString())));
        Assert.False(string.IsNullOrEmpty(me.GetProperty("csrf").GetString()));
    }

    [Fact]
    public async Task The_judges_token_is_the_key_judge_token_and_adds_the_judge_scope()
    {
        var me = await MeAsync(JudgeServer.JudgeToken);
        Assert.Equal("judge-token", me.GetProperty("name").GetString());
        Assert.Equal("submit,read,judge,admin", string.Join(",", me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString())));
    }

    [Fact]
    public async Task A_POST_from_a_page_needs_the_CSRF_token_and_its_own_origin()
    {
        var csrf = (await MeAsync()).GetProperty("csrf").GetString()!;
        var origin = server.Http.BaseAddress!.GetLeftPart(UriPartial.Authority);

        var noToken = new HttpRequestMessage(HttpMethod.Post, "/api/submissions") { Content = JsonContent.Create(ASubmission) };
        noToken.Headers.Add("Origin", origin);
        using var refused = await server.Http.SendAsync(noToken);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("X-Judge-CSRF", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        var crossSite = new HttpRequestMessage(HttpMethod.Post, "/api/submissions") { Content = JsonContent.Create(ASubmission) };
        crossSite.Headers.Add("Origin", "http://evil.example");
        crossSite.Headers.Add("X-Judge-CSRF", csrf);
        using var crossRefused = await server.Http.SendAsync(crossSite);
        Assert.Equal(HttpStatusCode.Forbidden, crossRefused.StatusCode);

        var fromPage = new HttpRequestMessage(HttpMethod.Post, "/api/submissions") { Content = JsonContent.Create(ASubmission) };
        fromPage.Headers.Add("Origin", origin);
        fromPage.Headers.Add("X-Judge-CSRF", csrf);
        using var accepted = await server.Http.SendAsync(fromPage);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }
}
