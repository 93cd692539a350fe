using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Judge.Silo.EndToEndTests;

/// <summary>The HTTP boundary: the README's example, lookups, live progress, and a clear 4xx for every bad input.</summary>
[Collection(JudgeServerCollection.Name)]
public class HttpApiTests(JudgeServer server)
{
    private const string PythonAplusb = "a, b = map(int, input().split())\nprint(a + b)\n";

    [Fact]
    public async Task The_README_example_answers_with_the_finished_submission()
    {
        const string body = """{"problem":"aplusb","language":"cpp17","source":"#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<\"\\n\";}"}""";
        var (status, submission, _) = await server.PostRawAsync("/api/submissions?wait=true", body);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("AC", submission.GetProperty("verdict").GetString());
        foreach (var test in submission.GetProperty("tests").EnumerateArray())
        {
            Assert.Equal("AC", test.GetProperty("verdict").GetString());
            foreach (var field in new[] { "name", "timeMs", "wallMs", "memoryKb", "exitCode", "signal", "message", "score" })
                Assert.True(test.TryGetProperty(field, out _), $"test result has '{field}'");
        }
        foreach (var field in new[] { "id", "problem", "language", "status", "verdict", "score", "maxScore", "timeMs", "memoryKb", "compileOutput", "tests", "createdAt", "finishedAt" })
            Assert.True(submission.TryGetProperty(field, out _), $"submission has '{field}'");
    }

    [Fact]
    public async Task Submitting_without_wait_answers_202_with_the_id_and_location_and_the_result_can_be_fetched()
    {
        var id = $"readme-{Guid.NewGuid():N}";
        using var response = await server.Http.PostAsJsonAsync("/api/submissions", new { id, problem = "aplusb", language = "python3", source = PythonAplusb });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/submissions/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(id, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());

        var submission = await PollUntilFinishedAsync(id);
        Assert.Equal("AC", submission.GetProperty("verdict").GetString());
        Assert.Equal("python3", submission.GetProperty("language").GetString());
    }

    [Fact]
    public async Task Same_id_again_is_accepted_once_and_a_different_body_under_it_is_a_conflict()
    {
        var id = $"dup-{Guid.NewGuid():N}";
        var first = await server.PostRawAsync("/api/submissions?wait=true", JsonSerializer.Serialize(new { id, problem = "aplusb", language = "python3", source = PythonAplusb }));
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var again = await server.PostRawAsync("/api/submissions?wait=true", JsonSerializer.Serialize(new { id, problem = "aplusb", language = "python3", source = PythonAplusb }));
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(first.Body.GetProperty("finishedAt").GetString(), again.Body.GetProperty("finishedAt").GetString());

        var conflict = await server.PostRawAsync("/api/submissions", JsonSerializer.Serialize(new { id, problem = "aplusb", language = "python3", source = "print(1)" }));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Contains(id, conflict.Body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Progress_is_visible_while_judging()
    {
        // Sleeps (wall time, little CPU) on every test, so judging takes several seconds.
        const string slow = "import time\ntime.sleep(0.4)\nimport sys\nprint(sum(map(int, sys.stdin.read().split()[1:])))\n";
        var id = $"progress-{Guid.NewGuid():N}";
        using var post = await server.Http.PostAsJsonAsync("/api/submissions", new { id, problem = "groups", language = "python3", source = slow });
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);

        var seen = new HashSet<string>();
        var sawPartialResults = false;
        JsonElement submission;
        do
        {
            submission = await server.Http.GetFromJsonAsync<JsonElement>($"/api/submissions/{id}");
            var status = submission.GetProperty("status").GetString()!;
            seen.Add(status);
            if (status == "running")
            {
                var done = submission.GetProperty("tests").GetArrayLength();
                var total = submission.GetProperty("testCount").GetInt32();
                if (done > 0 && done < total && submission.GetProperty("currentTest").GetString() is { Length: > 0 })
                    sawPartialResults = true;
            }
            await Task.Delay(50);
        } while (submission.GetProperty("status").GetString() != "finished");

        Assert.Contains("running", seen);
        Assert.True(sawPartialResults, "a running submission shows the test running and the results so far");
        Assert.Equal("AC", submission.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task Health_is_live_and_the_embedded_silo_is_ready()
    {
        Assert.Equal("ok", (await server.Http.GetFromJsonAsync<JsonElement>("/health")).GetProperty("status").GetString());
        using var ready = await server.Http.GetAsync("/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ready", body.GetProperty("status").GetString());
        Assert.Equal("silo active", body.GetProperty("checks").GetProperty("silo").GetString());
        Assert.False(body.GetProperty("checks").TryGetProperty("storage", out _), "in-memory state has no storage to check");
    }

    [Fact]
    public async Task Wait_that_times_out_gets_408_with_where_to_poll()
    {
        const string slow = "import time\ntime.sleep(0.9)\nimport sys\nprint(sum(map(int, sys.stdin.read().split()[1:])))\n";
        var (status, body, response) = await server.PostRawAsync("/api/submissions?wait=true&timeout=1",
            JsonSerializer.Serialize(new { problem = "groups", language = "python3", source = slow }));
        Assert.Equal(HttpStatusCode.RequestTimeout, status);
        var id = body.GetProperty("id").GetString()!;
        Assert.Contains("did not finish within 1 s", body.GetProperty("error").GetString());
        Assert.Equal($"/api/submissions/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("finished", (await PollUntilFinishedAsync(id)).GetProperty("status").GetString());
    }

    public static TheoryData<string, string, HttpStatusCode, string> BadBodies => new()
    {
        { "{\"problem\":", "application/json", HttpStatusCode.BadRequest, "not valid JSON" },
        { "[1,2]", "application/json", HttpStatusCode.BadRequest, "must be a JSON object" },
        { "{\"language\":\"cpp17\",\"source\":\"x\"}", "application/json", HttpStatusCode.BadRequest, "field 'problem' is required" },
        { "{\"problem\":\"aplusb\",\"source\":\"x\"}", "application/json", HttpStatusCode.BadRequest, "field 'language' is required" },
        { "{\"problem\":\"aplusb\",\"language\":\"cpp17\"}", "application/json", HttpStatusCode.BadRequest, "field 'source' is required" },
        { "{\"problem\":7,\"language\":\"cpp17\",\"source\":\"x\"}", "application/json", HttpStatusCode.BadRequest, "field 'problem' must be a string, not a number" },
        { "{\"problem\":\"aplusb\",\"language\":\"cpp17\",\"source\":\"   \"}", "application/json", HttpStatusCode.BadRequest, "field 'source' is empty" },
        { "{\"problem\":\"nosuch\",\"language\":\"cpp17\",\"source\":\"x\"}", "application/json", HttpStatusCode.BadRequest, "unknown problem 'nosuch'" },
        { "{\"problem\":\"aplusb\",\"language\":\"cobol\",\"source\":\"x\"}", "application/json", HttpStatusCode.BadRequest, "unknown language 'cobol'" },
        { "{\"id\":\"../etc\",\"problem\":\"aplusb\",\"language\":\"cpp17\",\"source\":\"x\"}", "application/json", HttpStatusCode.BadRequest, "field 'id' must be" },
        { "{\"problem\":\"aplusb\",\"language\":\"cpp17\",\"source\":\"x\",\"runAll\":\"yes\"}", "application/json", HttpStatusCode.BadRequest, "field 'runAll' must be a boolean, not a string" },
        { "{\"problem\":\"aplusb\",\"language\":\"cpp17\",\"source\":\"x\",\"callbackUrl\":\"file:///etc/passwd\"}", "application/json", HttpStatusCode.BadRequest, "field 'callbackUrl' must be an absolute http or https URL" },
        { "{\"problem\":\"aplusb\",\"language\":\"cpp17\",\"source\":\"x\",\"callbackUrl\":\"https://backend.example.com/hook\"}", "application/json", HttpStatusCode.BadRequest, "this judge sends no webhooks (Judge:Results:Webhook:Secret is not set)" },
        { "problem=aplusb", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType, "application/json" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_input_gets_a_specific_error(string body, string contentType, HttpStatusCode expected, string error)
    {
        var (status, answer, _) = await server.PostRawAsync("/api/submissions", body, contentType);
        Assert.Equal(expected, status);
        Assert.Contains(error, answer.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Source_over_256_KiB_is_refused()
    {
        var source = "#" + new string('x', 256 * 1024) + "\nprint(1)\n";
        var (status, answer, _) = await server.PostRawAsync("/api/submissions", JsonSerializer.Serialize(new { problem = "aplusb", language = "python3", source }));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("the limit is 262144 bytes", answer.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Body_over_the_cap_is_refused_without_being_buffered()
    {
        var source = new string('x', 3 * 1024 * 1024);
        var (status, answer, _) = await server.PostRawAsync("/api/submissions", JsonSerializer.Serialize(new { problem = "aplusb", language = "python3", source }));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("larger than 2 MiB", answer.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("wait=yes", "query parameter 'wait' must be true or false")]
    [InlineData("wait=true&timeout=0", "query parameter 'timeout' must be")]
    [InlineData("wait=true&timeout=abc", "query parameter 'timeout' must be")]
    public async Task Bad_query_parameters_get_a_specific_error(string query, string error)
    {
        var (status, answer, _) = await server.PostRawAsync($"/api/submissions?{query}", JsonSerializer.Serialize(new { problem = "aplusb", language = "python3", source = PythonAplusb }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(error, answer.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Interactor_messages_reach_the_submitter_and_judge_messages_only_judges()
    {
        // answers 1 at once: wrong on the sample, whose secret is 3
        var submission = await server.JudgeAsync("guess", "python3", "input()\nprint('! 1', flush=True)\n");
        Assert.Equal("WA", submission.GetProperty("verdict").GetString());
        var first = submission.GetProperty("tests")[0];
        Assert.Equal("wrong answer 1", first.GetProperty("message").GetString()); // teammessage.txt
        Assert.False(first.TryGetProperty("judgeMessage", out _), $"judge messages are hidden by default: {first}");
        var id = submission.GetProperty("id").GetString();

        var plain = await server.Http.GetFromJsonAsync<JsonElement>($"/api/submissions/{id}");
        Assert.False(plain.GetProperty("tests")[0].TryGetProperty("judgeMessage", out _));

        using var asJudge = new HttpRequestMessage(HttpMethod.Get, $"/api/submissions/{id}?judge=true");
        asJudge.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", JudgeServer.JudgeToken);
        using var judged = await server.Http.SendAsync(asJudge);
        Assert.Equal(HttpStatusCode.OK, judged.StatusCode);
        var forJudges = await judged.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("the secret was 3", forJudges.GetProperty("tests")[0].GetProperty("judgeMessage").GetString()); // judgemessage.txt

        using var wrongToken = new HttpRequestMessage(HttpMethod.Get, $"/api/submissions/{id}?judge=true");
        wrongToken.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-the-token-at-all");
        using var refused = await server.Http.SendAsync(wrongToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("Authorization: Bearer", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        using var noToken = await server.Http.GetAsync($"/api/submissions/{id}?judge=true");
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        var (postStatus, _, _) = await server.PostRawAsync("/api/submissions?wait=true&judge=true", JsonSerializer.Serialize(new { problem = "guess", language = "python3", source = "print('! 1')\n" }));
        Assert.Equal(HttpStatusCode.Unauthorized, postStatus);

        using var judgedPost = new HttpRequestMessage(HttpMethod.Post, "/api/submissions?wait=true&judge=true")
        {
            Content = JsonContent.Create(new { problem = "guess", language = "python3", source = "input()\nprint('! 2', flush=True)\n" }),
        };
        judgedPost.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", JudgeServer.JudgeToken);
        using var judgedAnswer = await server.Http.SendAsync(judgedPost);
        var posted = await judgedAnswer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, judgedAnswer.StatusCode);
        Assert.Contains("the secret was 3", posted.GetProperty("tests")[0].GetProperty("judgeMessage").GetString());
        using var badFlag = await server.Http.GetAsync($"/api/submissions/{id}?judge=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, badFlag.StatusCode);
        Assert.Contains("query parameter 'judge' must be true or false", (await badFlag.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public void Short_judge_token_stops_the_silo_at_start_naming_the_key()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(["--Judge:Http:JudgeToken=short"]);

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Microsoft.Extensions.Hosting.JudgeSiloHostingExtensions.AddJudgeSilo(builder));
        Assert.Contains("Judge:Http:JudgeToken must be at least 16 characters", error.Message);
    }

    [Theory]
    [InlineData("never-submitted")]
    [InlineData("bad%20id")]
    public async Task Unknown_submission_is_404(string id)
    {
        using var response = await server.Http.GetAsync($"/api/submissions/{id}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("not found", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Languages_list_ids_and_names_with_detected_versions()
    {
        var languages = await server.Http.GetFromJsonAsync<JsonElement>("/api/languages");
        var byId = languages.EnumerateArray().ToDictionary(l => l.GetProperty("id").GetString()!);
        foreach (var id in new[] { "cpp17", "python3", "java" })
        {
            Assert.True(byId.ContainsKey(id), $"{id} offered");
            var version = byId[id].GetProperty("version").GetString();
            Assert.False(string.IsNullOrWhiteSpace(version));
            Assert.Contains(version!, byId[id].GetProperty("displayName").GetString());
            Assert.Matches(@"\d+\.\d+", version!);
        }
    }

    [Fact]
    public async Task Problems_list_the_bundled_examples_with_limits()
    {
        var problems = await server.Http.GetFromJsonAsync<JsonElement>("/api/problems");
        var aplusb = problems.EnumerateArray().Single(p => p.GetProperty("id").GetString() == "aplusb");
        Assert.Equal(1000, aplusb.GetProperty("timeLimitMs").GetInt64());
        Assert.Equal(256, aplusb.GetProperty("memoryLimitMb").GetInt64());
        Assert.True(aplusb.GetProperty("tests").GetInt32() > 2);
        Assert.Contains(problems.EnumerateArray(), p => p.GetProperty("id").GetString() == "circlearea");
        Assert.Contains(problems.EnumerateArray(), p => p.GetProperty("id").GetString() == "groups");
        Assert.Equal("pass-fail", aplusb.GetProperty("type").GetString());
        Assert.Equal("scoring", problems.EnumerateArray().Single(p => p.GetProperty("id").GetString() == "triangle").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Health_answers_ok()
    {
        var health = await server.Http.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
    }

    private async Task<JsonElement> PollUntilFinishedAsync(string id)
    {
        for (var i = 0; i < 3000; i++)
        {
            var submission = await server.Http.GetFromJsonAsync<JsonElement>($"/api/submissions/{id}");
            if (submission.GetProperty("status").GetString() == "finished")
                return submission;
            await Task.Delay(100);
        }
        throw new TimeoutException($"submission {id} did not finish in 5 minutes");
    }
}
