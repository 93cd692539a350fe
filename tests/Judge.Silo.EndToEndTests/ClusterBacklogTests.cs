using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Judge.Silo.EndToEndTests;

/// <summary><c>GET /api/cluster/backlog</c> on a real embedded silo: the per-language count of accepted, unfinished
/// submissions that each toolchain pool's autoscaler reads (deploy/k8s: KEDA's metrics-api trigger).</summary>
[Collection(JudgeServerCollection.Name)]
public sealed class ClusterBacklogTests(JudgeServer server)
{
    // Correct, but each test waits 0.4 s of wall time (no CPU): nine tests keep the submission unfinished for seconds.
    private const string SlowAplusb = "import time\na, b = map(int, input().split())\ntime.sleep(0.4)\nprint(a + b)\n";

    /// <summary>pypy3: no other test of this server's collection submits in it, so its backlog is this class's alone.</summary>
    private const string Language = "pypy3";

    private async Task<JsonElement> BacklogAsync(string query)
    {
        using var response = await server.Http.GetAsync("/api/cluster/backlog" + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/cluster/backlog{query}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<string> StatusAsync(string id) =>
        (await server.Http.GetFromJsonAsync<JsonElement>($"/api/submissions/{id}")).GetProperty("status").GetString()!;

    /// <summary>Polls the backlog of <see cref="Language"/> until it is <paramref name="expected"/>; fails naming what it
    /// waited for and what it last saw.</summary>
    private async Task<JsonElement> WaitForBacklogAsync(int expected, string phase)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement last;
        do
        {
            last = await BacklogAsync($"?languages={Language},cpp17");
            if (last.GetProperty("languages").GetProperty(Language).GetInt32() == expected)
                return last;
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        throw new Xunit.Sdk.XunitException($"{phase}: the {Language} backlog never became {expected}; last answer {last}");
    }

    [Fact]
    public async Task Accepted_submissions_count_in_their_language_backlog_until_they_are_judged()
    {
        await WaitForBacklogAsync(0, "before submitting");
        string[] ids = [$"backlog-{Guid.NewGuid():N}", $"backlog-{Guid.NewGuid():N}"];
        foreach (var id in ids)
        {
            using var response = await server.Http.PostAsJsonAsync("/api/submissions", new { id, problem = "aplusb", language = Language, source = SlowAplusb });
            Assert.True(response.IsSuccessStatusCode, $"submitting {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var during = await WaitForBacklogAsync(2, "after submitting two");
        // Both were still unfinished after the count was read, so the 2 were these two, not a stale figure.
        foreach (var id in ids)
            Assert.NotEqual("finished", await StatusAsync(id));
        Assert.Equal(during.GetProperty("languages").EnumerateObject().Sum(p => p.Value.GetInt32()), during.GetProperty("total").GetInt32());
        Assert.Equal([Language, "cpp17"], during.GetProperty("languages").EnumerateObject().Select(p => p.Name));

        foreach (var id in ids)
        {
            var deadline = DateTime.UtcNow.AddSeconds(120);
            JsonElement submission;
            while ((submission = await server.Http.GetFromJsonAsync<JsonElement>($"/api/submissions/{id}")).GetProperty("status").GetString() != "finished")
            {
                Assert.True(DateTime.UtcNow < deadline, $"waiting for {id} to finish: still {submission}");
                await Task.Delay(100);
            }
            Assert.Equal("AC", submission.GetProperty("verdict").GetString());
        }
        await WaitForBacklogAsync(0, "after both were judged");
    }

    [Fact]
    public async Task Without_languages_the_backlog_lists_every_language_of_the_contract()
    {
        var backlog = await BacklogAsync("");
        Assert.Equal(Judge.Interfaces.LanguageIds.All, backlog.GetProperty("languages").EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("?languages=cpp17,brainfuck", "'brainfuck' is not a language id")]
    [InlineData("?languages=", "query parameter 'languages' is empty")]
    [InlineData("?languages=cpp17&languages=java", "query parameter 'languages' is given 2 times")]
    public async Task A_bad_languages_parameter_gets_400_naming_it(string query, string message)
    {
        using var response = await server.Http.GetAsync("/api/cluster/backlog" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }
}

/// <summary>The backlog needs the <c>read</c> scope, as the cluster view does: KEDA's TriggerAuthentication sends such a key.</summary>
[Collection(AuthJudgeServerCollection.Name)]
public sealed class ClusterBacklogAccessTests(AuthJudgeServer server)
{
    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("alice", HttpStatusCode.Forbidden)]
    [InlineData("reader", HttpStatusCode.OK)]
    public async Task The_backlog_is_for_readers_only(string? key, HttpStatusCode expected)
    {
        using var client = server.Client(key);
        using var response = await client.GetAsync("/api/cluster/backlog?languages=cpp17");
        Assert.Equal(expected, response.StatusCode);
    }
}
