using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Judge.Silo.EndToEndTests;

[Collection(TelemetryServerCollection.Name)]
public sealed class TelemetryTests(TelemetryServer server)
{
    private const string PythonAplusb = "a, b = map(int, input().split())\nprint(a + b)\n";
    private const string PythonWrong = "a, b = map(int, input().split())\nprint(a - b)\n";
    private const string CppAplusb = "#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<\"\\n\";}";

    // Sources no other test sent: the compile cache answers a source it has seen without a compile.
    private static string Fresh(string source, string comment) => $"{source}\n{comment} {Guid.NewGuid():N}\n";

    private async Task<PrometheusText> ScrapeAsync()
    {
        using var response = await server.Http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/metrics answered {(int)response.StatusCode}: {text}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return new PrometheusText(text);
    }

    private static (string, string) L(string key, string value) => (key, value);

    [Fact]
    public async Task Metrics_count_each_judged_submission_once_by_verdict_and_language()
    {
        var before = await ScrapeAsync();
        var judged = new List<JsonElement>
        {
            await server.JudgeAsync("aplusb", "python3", Fresh(PythonAplusb, "#")),
            await server.JudgeAsync("aplusb", "cpp17", Fresh(CppAplusb, "//")),
            await server.JudgeAsync("aplusb", "python3", Fresh(PythonWrong, "#")),
        };
        Assert.Equal(["AC", "AC", "WA"], judged.Select(s => s.GetProperty("verdict").GetString()));
        var after = await ScrapeAsync();
        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);

        // Each judging counted once, by verdict and language; nothing else was judged meanwhile.
        Assert.Equal(1, Delta("judge_submissions_finished_total", L("verdict", "AC"), L("language", "python3")));
        Assert.Equal(1, Delta("judge_submissions_finished_total", L("verdict", "AC"), L("language", "cpp17")));
        Assert.Equal(1, Delta("judge_submissions_finished_total", L("verdict", "WA"), L("language", "python3")));
        Assert.Equal(3, Delta("judge_submissions_finished_total"));
        Assert.Equal(2, Delta("judge_submissions_accepted_total", L("language", "python3")));
        Assert.Equal(1, Delta("judge_submissions_accepted_total", L("language", "cpp17")));

        // The latency histograms took one observation per judging; the queue wait's sum fits in the latency's.
        Assert.Equal(1, Delta("judge_submission_duration_seconds_count", L("verdict", "AC"), L("language", "python3")));
        Assert.Equal(1, Delta("judge_submission_duration_seconds_count", L("verdict", "AC"), L("language", "cpp17")));
        Assert.Equal(1, Delta("judge_submission_duration_seconds_count", L("verdict", "WA"), L("language", "python3")));
        Assert.Equal(2, Delta("judge_queue_wait_seconds_count", L("language", "python3")));
        Assert.Equal(1, Delta("judge_queue_wait_seconds_count", L("language", "cpp17")));
        Assert.True(Delta("judge_submission_duration_seconds_sum") >= Delta("judge_queue_wait_seconds_sum"), after.Text);
        Assert.Equal(3, Delta("judge_submission_duration_seconds_bucket", L("le", "+Inf")));

        // Tests run: what the three submissions report, by verdict.
        var ran = judged.SelectMany(s => s.GetProperty("tests").EnumerateArray())
            .Select(t => t.GetProperty("verdict").GetString()!).Where(v => v != "SK").ToList();
        Assert.NotEmpty(ran);
        foreach (var verdict in ran.Distinct())
            Assert.Equal(ran.Count(v => v == verdict), Delta("judge_tests_run_total", L("verdict", verdict)));
        Assert.Equal(ran.Count, Delta("judge_tests_run_total"));

        // One compile each (Python's is a syntax check); every compile and every test is one sandbox run (the
        // default output validator runs in process). Fan-out may also have run tests past the wrong answer that ended
        // its batch: each of those that ran to the end is counted as discarded, and is a sandbox run too.
        Assert.Equal(1, Delta("judge_compile_duration_seconds_count", L("language", "cpp17"), L("outcome", "ok")));
        Assert.Equal(2, Delta("judge_compile_duration_seconds_count", L("language", "python3"), L("outcome", "ok")));
        var discarded = Delta("judge_fanout_discarded_runs_total");
        Assert.InRange(discarded, 0.0, ran.Count);
        Assert.Equal(3 + ran.Count + discarded, Delta("judge_sandbox_runs_total"));
        Assert.InRange(Delta("judge_sandbox_runs_total", L("status", "Ok")), 3.0 + ran.Count, 3.0 + ran.Count + discarded);

        // The slots: all free again.
        Assert.True(after.Sum("judge_slots_capacity") >= 1, after.Text);
        Assert.Equal(0, after.Sum("judge_slots_busy"));

        // ASP.NET Core's and Orleans' meters are there too.
        Assert.Equal(3, Delta("http_server_request_duration_seconds_count", L("http_route", "/api/submissions"), L("http_request_method", "POST")));
        Assert.Contains(after.Samples, s => s.Name.StartsWith("orleans_", StringComparison.Ordinal));
        Assert.Contains(after.Samples, s => s.Name.StartsWith("dotnet_gc_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task One_trace_follows_a_submission_from_the_http_request_through_the_grains_to_each_sandbox_run()
    {
        // A caller that is itself traced (and sampled) sends its context in the traceparent header. This HttpClient adds
        // no context of its own (the server's HttpClient instrumentation, in this same process, would otherwise start one).
        var trace = ActivityTraceId.CreateRandom();
        var caller = ActivitySpanId.CreateRandom();
        using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = server.Http.BaseAddress, Timeout = server.Http.Timeout };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/submissions?wait=true&timeout=300")
        {
            Content = JsonContent.Create(new { problem = "aplusb", language = "cpp17", source = Fresh(CppAplusb, "//") }),
        };
        request.Headers.Add("traceparent", $"00-{trace}-{caller}-01");
        using var response = await client.SendAsync(request);
        var submission = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("AC", submission.GetProperty("verdict").GetString());
        var tests = submission.GetProperty("tests").GetArrayLength();

        // The submission's own span, and the HTTP request's, end just after the answer reached the client: wait for both
        // (bounded).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!server.Spans.Of(trace).Any(s => s.OperationName == "judge submission")
            || !server.Spans.Of(trace).Any(s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the spans 'judge submission' and the HTTP request's of trace " + trace + " did not end within 30 s; spans: "
                + string.Join(", ", server.Spans.Of(trace).Select(s => s.OperationName)));
            await Task.Delay(50);
        }
        var spans = server.Spans.Of(trace);
        var byId = spans.ToDictionary(s => s.SpanId);
        var http = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore");
        Assert.Equal(caller, http.ParentSpanId);
        Assert.Equal("/api/submissions", http.GetTagItem("http.route"));

        // Every span of the trace descends from the HTTP request's span, with no gap in the chain.
        List<Activity> Ancestors(Activity span)
        {
            var chain = new List<Activity>();
            for (var at = span; at.ParentSpanId != caller;)
            {
                Assert.True(byId.TryGetValue(at.ParentSpanId, out var parent),
                    $"span '{at.OperationName}' has parent {at.ParentSpanId}, which is not in the trace: {string.Join(", ", spans.Select(s => $"{s.OperationName}={s.SpanId}<{s.ParentSpanId}"))}");
                chain.Add(parent!);
                at = parent!;
            }
            return chain;
        }
        foreach (var span in spans.Where(s => s != http))
            Assert.Contains(http, Ancestors(span));

        // The chain: HTTP → submission grain (an Orleans call) → the judging → the worker → compile and tests → sandbox runs.
        Assert.Contains(spans, s => s.Source.Name == "Microsoft.Orleans.Application");
        var judging = Assert.Single(spans, s => s.OperationName == "judge submission");
        var attempt = Assert.Single(spans, s => s.OperationName == "judge attempt");
        Assert.Contains(judging, Ancestors(attempt));
        Assert.Equal("cpp17", attempt.GetTagItem("judge.language"));
        var compile = Assert.Single(spans, s => s.OperationName == "compile");
        Assert.Contains(attempt, Ancestors(compile));
        var testSpans = spans.Where(s => s.OperationName == "test").ToList();
        Assert.Equal(tests, testSpans.Count);
        Assert.All(testSpans, t => Assert.Contains(attempt, Ancestors(t)));
        var runs = spans.Where(s => s.OperationName == "sandbox run").ToList();
        Assert.Equal(tests + 1, runs.Count);
        Assert.Single(runs, r => r.Parent?.SpanId == compile.SpanId || r.ParentSpanId == compile.SpanId);
        Assert.All(testSpans, t => Assert.Single(runs, r => r.ParentSpanId == t.SpanId));
        Assert.All(runs, r => Assert.Equal("Ok", r.GetTagItem("judge.sandbox.status")));
    }

    [Fact]
    public async Task An_identical_source_is_judged_again_without_a_compile()
    {
        var source = Fresh(CppAplusb, "//");
        var first = await server.JudgeAsync("aplusb", "cpp17", source);
        var before = await ScrapeAsync();
        var second = await server.JudgeAsync("aplusb", "cpp17", source);
        var after = await ScrapeAsync();
        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);

        Assert.Equal("AC", first.GetProperty("verdict").GetString());
        Assert.Equal("AC", second.GetProperty("verdict").GetString());
        // The second judging found the first one's program: one cache hit, no compile, and only the tests ran.
        Assert.Equal(1, Delta("judge_compile_cache_lookups_total", L("language", "cpp17"), L("result", "hit")));
        Assert.Equal(0, Delta("judge_compile_cache_lookups_total", L("result", "miss")));
        Assert.Equal(0, Delta("judge_compile_duration_seconds_count"));
        var tests = second.GetProperty("tests").GetArrayLength();
        Assert.Equal(tests, Delta("judge_sandbox_runs_total"));
    }

    [Fact]
    public async Task A_rejudge_runs_the_tests_again_without_a_compile()
    {
        var id = $"telemetry-rejudge-{Guid.NewGuid():N}";
        var first = await server.JudgeAsync(new { id, problem = "aplusb", language = "cpp17", source = Fresh(CppAplusb, "//") });
        Assert.Equal("AC", first.GetProperty("verdict").GetString());
        var before = await ScrapeAsync();
        var spansBefore = server.Spans.Count;

        using var rejudge = await server.Http.PostAsync($"/api/submissions/{id}/rejudge", null);
        Assert.True(rejudge.StatusCode == HttpStatusCode.Accepted, $"rejudge answered {(int)rejudge.StatusCode}: {await rejudge.Content.ReadAsStringAsync()}");
        JsonElement second = default;
        for (var deadline = DateTime.UtcNow.AddMinutes(2); ; await Task.Delay(50))
        {
            second = await server.Http.GetFromJsonAsync<JsonElement>($"/api/submissions/{id}");
            if (second.GetProperty("judging").GetInt32() == 2 && second.GetProperty("status").GetString() == "finished")
                break;
            Assert.True(DateTime.UtcNow < deadline, $"judging 2 of {id} did not finish in 2 minutes: {second}");
        }
        var after = await ScrapeAsync();
        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);

        Assert.Equal("AC", second.GetProperty("verdict").GetString());
        // The rejudge took the first judging's program from the compile cache: no compiler ran, only the tests did.
        Assert.Equal(1, Delta("judge_compile_cache_lookups_total", L("language", "cpp17"), L("result", "hit")));
        Assert.Equal(0, Delta("judge_compile_cache_lookups_total", L("result", "miss")));
        Assert.Equal(0, Delta("judge_compile_duration_seconds_count"));
        Assert.Equal(second.GetProperty("tests").GetArrayLength(), Delta("judge_sandbox_runs_total"));
        var compile = Assert.Single(server.Spans.Skip(spansBefore), s => s.OperationName == "compile");
        Assert.Equal("hit", compile.GetTagItem("judge.compile.cache"));
    }
}
