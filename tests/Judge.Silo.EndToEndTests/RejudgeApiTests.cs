using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Judge.Silo.EndToEndTests;

/// <summary>A judge silo of its own whose problems are copies in a temporary directory (refreshed every second), so a test
/// may change a problem's data and rejudge: <c>aplusb</c> stays as shipped, <c>changing</c> is one tests may edit.</summary>
public sealed class RejudgeServer : IAsyncLifetime
{
    private WebApplication? app;

    public string ProblemsRoot { get; } = Path.Combine(Path.GetTempPath(), $"judge-rejudge-problems-{Guid.NewGuid():N}");

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        foreach (var id in new[] { "aplusb", "changing" })
            Copy(Path.Combine(Repository.ExampleProblems, "aplusb"), Path.Combine(ProblemsRoot, id));
        var httpPort = Ports.Free();
        var builder = WebApplication.CreateBuilder(
        [
            $"--urls=http://127.0.0.1:{httpPort}",
            $"--Judge:Silo:Port={Ports.Free()}",
            $"--Judge:Silo:GatewayPort={Ports.Free()}",
            $"--Judge:Problems:Root={ProblemsRoot}",
            "--Judge:Problems:RefreshInterval=00:00:01",
            $"--Judge:WorkRoot={Path.Combine(Path.GetTempPath(), "judge-e2e-rejudge")}",
        ]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddJudgeSilo();
        app = builder.Build();
        app.MapJudgeSilo();
        await app.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromMinutes(5) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        Directory.Delete(ProblemsRoot, recursive: true);
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

/// <summary><c>POST /api/submissions/{id}/rejudge</c>, the judgings of <c>GET /api/submissions/{id}</c>, and
/// <c>GET /api/submissions/{id}/source</c>, through a real silo's HTTP API.</summary>
public class RejudgeApiTests(RejudgeServer server) : IClassFixture<RejudgeServer>
{
    private const string PythonAplusb = "a, b = map(int, input().split())\nprint(a + b)\n";

    private async Task<JsonElement> SubmitAndWaitAsync(string id, string source, string problem = "aplusb")
    {
        using var response = await server.Http.PostAsJsonAsync("/api/submissions?wait=true&timeout=300", new { id, problem, language = "python3", source });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"submitting {id}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> RejudgeAsync(string id, string query = "")
    {
        var response = await server.Http.PostAsync($"/api/submissions/{id}/rejudge{query}", null);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    private async Task<JsonElement> PollUntilFinishedAsync(string id, int judging)
    {
        for (var i = 0; i < 3000; i++)
        {
            var submission = await server.Http.GetFromJsonAsync<JsonElement>($"/api/submissions/{id}");
            if (submission.GetProperty("judging").GetInt32() == judging && submission.GetProperty("status").GetString() == "finished")
                return submission;
            await Task.Delay(100);
        }
        throw new TimeoutException($"judging {judging} of submission {id} did not finish in 5 minutes");
    }

    [Fact]
    public async Task A_rejudge_answers_202_and_the_submission_shows_judging_2_with_the_first_verdict_in_its_judgings()
    {
        var id = $"http-rejudge-{Guid.NewGuid():N}";
        var first = await SubmitAndWaitAsync(id, PythonAplusb);
        Assert.Equal(1, first.GetProperty("judging").GetInt32());
        Assert.Equal(0, first.GetProperty("judgings").GetArrayLength());

        var (status, body, response) = await RejudgeAsync(id);
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.Equal(2, body.GetProperty("judging").GetInt32());
        Assert.Equal($"/api/submissions/{id}", response.Headers.Location?.OriginalString);

        var second = await PollUntilFinishedAsync(id, judging: 2);
        Assert.Equal("AC", second.GetProperty("verdict").GetString());
        var earlier = Assert.Single(second.GetProperty("judgings").EnumerateArray());
        Assert.Equal(1, earlier.GetProperty("judging").GetInt32());
        Assert.Equal("AC", earlier.GetProperty("verdict").GetString());
        foreach (var field in new[] { "score", "maxScore", "timeMs", "memoryKb", "startedAt", "finishedAt", "judgedBy" })
            Assert.Equal(first.GetProperty(field).ToString(), earlier.GetProperty(field).ToString());
    }

    [Fact]
    public async Task A_retried_rejudge_with_the_expected_judging_starts_no_third_judging()
    {
        var id = $"http-retried-{Guid.NewGuid():N}";
        await SubmitAndWaitAsync(id, PythonAplusb);

        var (status, body, _) = await RejudgeAsync(id, "?judging=1");
        Assert.Equal((HttpStatusCode.Accepted, 2), (status, body.GetProperty("judging").GetInt32()));
        (status, body, _) = await RejudgeAsync(id, "?judging=1"); // the client retries: its first answer was lost
        Assert.Equal((HttpStatusCode.Accepted, 2), (status, body.GetProperty("judging").GetInt32()));

        var second = await PollUntilFinishedAsync(id, judging: 2);
        Assert.Equal(1, second.GetProperty("judgings").GetArrayLength());
        (status, body, _) = await RejudgeAsync(id, "?judging=5");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("judging 2", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("?judging=0")]
    [InlineData("?judging=two")]
    [InlineData("?judging=-1")]
    public async Task A_malformed_expected_judging_is_400_naming_the_parameter(string query)
    {
        var (status, body, _) = await RejudgeAsync("any-id", query);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'judging'", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("never-submitted-rejudge")]
    [InlineData("-not-an-id")]
    public async Task Rejudging_an_unknown_submission_is_404(string id)
    {
        var (status, body, _) = await RejudgeAsync(id);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("not found", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Rejudging_a_submission_still_being_judged_is_409()
    {
        var id = $"http-busy-{Guid.NewGuid():N}";
        using var submitted = await server.Http.PostAsJsonAsync("/api/submissions",
            new { id, problem = "aplusb", language = "python3", source = "import time\ntime.sleep(0.5)\n" + PythonAplusb });
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);

        var (status, body, _) = await RejudgeAsync(id);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("only a finished submission can be rejudged", body.GetProperty("error").GetString());
        Assert.Equal(1, (await PollUntilFinishedAsync(id, judging: 1)).GetProperty("judging").GetInt32());
    }

    [Fact]
    public async Task The_source_endpoint_returns_the_exact_bytes_submitted()
    {
        var id = $"http-source-{Guid.NewGuid():N}";
        var source = "# żółć ∑ 🙂 tabs\tand CRLF\r\n" + PythonAplusb + "  \n";
        await SubmitAndWaitAsync(id, source);

        using var response = await server.Http.GetAsync($"/api/submissions/{id}/source");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Encoding.UTF8.GetBytes(source), await response.Content.ReadAsByteArrayAsync());

        using var unknown = await server.Http.GetAsync("/api/submissions/never-submitted-source/source");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("not found", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_rejudge_after_the_problems_answers_changed_gets_the_new_verdict()
    {
        var id = $"http-changed-{Guid.NewGuid():N}";
        var first = await SubmitAndWaitAsync(id, PythonAplusb, problem: "changing");
        Assert.Equal("AC", first.GetProperty("verdict").GetString());

        // The problem's staff fix a "wrong" answer: the first sample's answer is now 4, not 3.
        await File.WriteAllTextAsync(Path.Combine(server.ProblemsRoot, "changing", "data", "sample", "1.ans"), "4\n");
        await WaitForTheChangeAsync();

        var (status, _, _) = await RejudgeAsync(id);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var second = await PollUntilFinishedAsync(id, judging: 2);
        Assert.Equal("WA", second.GetProperty("verdict").GetString());
        Assert.Equal("WA", second.GetProperty("tests")[0].GetProperty("verdict").GetString());
        var earlier = Assert.Single(second.GetProperty("judgings").EnumerateArray());
        Assert.Equal("AC", earlier.GetProperty("verdict").GetString());
    }

    /// <summary>The silo re-reads its problems every second: a fresh submission of the same source shows when the change is
    /// live (bounded, so a refresh that never comes fails with what was awaited).</summary>
    private async Task WaitForTheChangeAsync()
    {
        for (var i = 0; i < 30; i++)
        {
            var probe = await SubmitAndWaitAsync($"http-probe-{Guid.NewGuid():N}", PythonAplusb, problem: "changing");
            if (probe.GetProperty("verdict").GetString() == "WA")
                return;
            await Task.Delay(500);
        }
        throw new TimeoutException("the silo did not pick up the changed answer of problem 'changing' (sample/1.ans) within 30 probes");
    }
}
