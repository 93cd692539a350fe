using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Judge.Silo.EndToEndTests;

/// <summary>The access rules of a judge with API keys (issue 11, "Access control"), through real HTTP against a real silo.</summary>
[Collection(AuthJudgeServerCollection.Name)]
public class AccessControlTests(AuthJudgeServer server)
{
    [Theory]
    [InlineData("GET", "/api/problems")]
    [InlineData("GET", "/api/languages")]
    [InlineData("GET", "/api/submissions/some-id")]
    [InlineData("GET", "/api/auth/me")]
    [InlineData("GET", "/api/no-such-route")]
    [InlineData("POST", "/api/submissions")]
    public async Task A_request_without_a_key_gets_401(string method, string path)
    {
        using var client = server.Client();
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? JsonContent.Create(new { problem = "aplusb" }) : null });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Authorization: Bearer", await AuthJudgeServer.ErrorOf(response));
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("Bearer not-a-key-of-this-judge")]
    [InlineData("Bearer ")]
    [InlineData("Basic YWRtaW46YWRtaW4=")]
    public async Task An_unknown_or_malformed_key_gets_401(string authorization)
    {
        using var client = server.Client();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/problems");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", await AuthJudgeServer.ErrorOf(response));
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/ready")]
    public async Task Health_and_readiness_stay_open_with_keys(string path)
    {
        using var client = server.Client();
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/cluster")]
    [InlineData("/submissions/abc?x=1")]
    [InlineData("/problems")]
    [InlineData("/submit")]
    public async Task A_dashboard_page_without_a_key_redirects_to_the_login_page(string path)
    {
        using var client = server.Client();
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/login?return=" + Uri.EscapeDataString(path), response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/login")]
    [InlineData("/assets/app.js")]
    public async Task The_login_page_and_the_assets_are_open(string path)
    {
        using var client = server.Client();
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await client.SendAsync(request);
        // The dashboard maps these (200 once it is merged; 404 before): what matters is that no key is asked for.
        Assert.NotEqual(HttpStatusCode.Found, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_read_key_cannot_submit()
    {
        using var reader = server.Client("reader");
        using var response = await AuthJudgeServer.SubmitAsync(reader);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = await AuthJudgeServer.ErrorOf(response);
        Assert.Contains("'submit' scope", error);
        Assert.Contains("'reader'", error);

        using var problems = await reader.GetAsync("/api/problems");
        Assert.Equal(HttpStatusCode.OK, problems.StatusCode);
    }

    [Fact]
    public async Task A_submit_key_reads_only_its_own_submissions_and_others_do_not_learn_they_exist()
    {
        using var alice = server.Client("alice");
        using var bob = server.Client("bob");
        using var reader = server.Client("reader");
        var id = $"alice-{Guid.NewGuid():N}";

        using (var submitted = await AuthJudgeServer.SubmitAsync(alice, id))
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);

        var own = await alice.GetFromJsonAsync<JsonElement>($"/api/submissions/{id}");
        Assert.Equal("alice", own.GetProperty("submittedBy").GetString());

        using var notBobs = await bob.GetAsync($"/api/submissions/{id}");
        Assert.Equal(HttpStatusCode.NotFound, notBobs.StatusCode);
        using var missing = await bob.GetAsync($"/api/submissions/never-{Guid.NewGuid():N}");
        Assert.Equal(await AuthJudgeServer.ErrorOf(missing), (await AuthJudgeServer.ErrorOf(notBobs)).Replace(id, missing.RequestMessage!.RequestUri!.Segments[^1]));

        Assert.Contains(server.Log.Messages, m => m.StartsWith("POST /api/submissions by key alice from 127.0.0.1: 202", StringComparison.Ordinal));

        var read = await reader.GetFromJsonAsync<JsonElement>($"/api/submissions/{id}");
        Assert.Equal("alice", read.GetProperty("submittedBy").GetString());

        // nor does submit read the submissions list of others
        var list = await alice.GetFromJsonAsync<JsonElement>("/api/submissions?limit=500");
        Assert.All(list.GetProperty("items").EnumerateArray(), item => Assert.Equal("alice", item.GetProperty("submittedBy").GetString()));
    }

    [Fact]
    public async Task Judge_messages_need_the_judge_scope()
    {
        using var admin = server.Client("admin");
        using var submitted = await AuthJudgeServer.SubmitAsync(admin);
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        using var judge = server.Client("judge");
        using var asJudge = await judge.GetAsync($"/api/submissions/{id}?judge=true");
        Assert.Equal(HttpStatusCode.OK, asJudge.StatusCode);

        using var reader = server.Client("reader");
        using var asReader = await reader.GetAsync($"/api/submissions/{id}?judge=true");
        Assert.Equal(HttpStatusCode.Forbidden, asReader.StatusCode);
        Assert.Contains("judge scope", await AuthJudgeServer.ErrorOf(asReader));
        using var plain = await reader.GetAsync($"/api/submissions/{id}");
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
    }

    [Theory]
    [InlineData("admin", "submit,read,judge,admin")]
    [InlineData("reader", "read")]
    [InlineData("alice", "submit")]
    [InlineData("judge", "read,judge")]
    [InlineData("hashed", "read")]
    public async Task Me_tells_the_key_name_and_its_scopes(string name, string scopes)
    {
        using var client = server.Client(name);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.False(me.GetProperty("open").GetBoolean());
        Assert.Equal(name, me.GetProperty("name").GetString());
        Assert.Equal(scopes, string.Join(",", me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString())));
    }

    [Theory]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("reader", HttpStatusCode.Forbidden)]
    [InlineData("judge", HttpStatusCode.Forbidden)]
    [InlineData("alice", HttpStatusCode.Forbidden)]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    public async Task Only_an_admin_key_reaches_an_admin_route(string? keyName, HttpStatusCode expected)
    {
        using var client = server.Client(keyName);
        using var response = await client.GetAsync(AuthJudgeServer.AdminOnlyPath);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_key_configured_by_its_SHA256_works()
    {
        using var hashed = server.Client("hashed");
        using var problems = await hashed.GetAsync("/api/problems");
        Assert.Equal(HttpStatusCode.OK, problems.StatusCode);
        using var submit = await AuthJudgeServer.SubmitAsync(hashed);
        Assert.Equal(HttpStatusCode.Forbidden, submit.StatusCode);
    }

    [Fact]
    public async Task Metrics_need_the_read_scope()
    {
        using var anonymous = server.Client();
        using var withoutKey = await anonymous.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);

        using var alice = server.Client("alice");
        using var withoutRead = await alice.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Forbidden, withoutRead.StatusCode);

        // The metrics helper maps /metrics (200 once merged; 404 before): the reader is let through either way.
        using var reader = server.Client("reader");
        using var withRead = await reader.GetAsync("/metrics");
        Assert.NotEqual(HttpStatusCode.Unauthorized, withRead.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, withRead.StatusCode);
    }

    [Fact]
    public async Task OpenMetrics_opens_the_metrics_to_anyone()
    {
        server.Reconfigure("Judge:Auth:OpenMetrics", "true");
        try
        {
            using var anonymous = server.Client();
            using var response = await anonymous.GetAsync("/metrics");
            Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
            using var api = await anonymous.GetAsync("/api/problems");
            Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        }
        finally
        {
            server.Reconfigure("Judge:Auth:OpenMetrics", "false");
        }
        using var again = server.Client();
        using var closed = await again.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, closed.StatusCode);
    }

    [Fact]
    public async Task Too_many_submits_get_429_with_Retry_After()
    {
        using var limited = server.Client("limited");
        for (var i = 0; i < AuthJudgeServer.SubmitsPerMinute; i++)
        {
            using var accepted = await AuthJudgeServer.SubmitAsync(limited);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }
        using var refused = await AuthJudgeServer.SubmitAsync(limited);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Contains("Judge:Auth:SubmitsPerMinute", await AuthJudgeServer.ErrorOf(refused));

        // the limit is per key: another key still submits
        using var bob = server.Client("bob");
        using var other = await AuthJudgeServer.SubmitAsync(bob);
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
    }

    [Fact]
    public async Task Too_many_rejudges_get_429_with_Retry_After()
    {
        // Rejudges count against the same per-key limit as submits, whatever each one answers.
        using var rejudger = server.Client("rejudger");
        for (var i = 0; i < AuthJudgeServer.SubmitsPerMinute; i++)
        {
            using var answered = await rejudger.PostAsync("/api/submissions/no-such-submission/rejudge", null);
            Assert.Equal(HttpStatusCode.NotFound, answered.StatusCode);
        }
        using var refused = await rejudger.PostAsync("/api/submissions/no-such-submission/rejudge", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Contains("Judge:Auth:SubmitsPerMinute", await AuthJudgeServer.ErrorOf(refused));
    }

    [Fact]
    public async Task A_submit_only_key_lists_the_problems_and_languages_it_submits_to()
    {
        using var alice = server.Client("alice");
        using var problems = await alice.GetAsync("/api/problems");
        Assert.Equal(HttpStatusCode.OK, problems.StatusCode);
        using var languages = await alice.GetAsync("/api/languages");
        Assert.Equal(HttpStatusCode.OK, languages.StatusCode);
        using var anonymous = server.Client();
        using var refused = await anonymous.GetAsync("/api/problems");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
