using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Judge.Abstractions;
using Judge.Interfaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace Judge.Silo.EndToEndTests;

/// <summary>A real judge silo whose grain calls time out after <see cref="ResponseTimeout"/>, and whose intake records a
/// submission with id <c>slow-…</c> (the first time only) more slowly than that: the grain call of such a submit times out
/// as one does under heavy load.</summary>
public sealed class SlowIntakeJudgeServer : JudgeServer
{
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(5);

    protected override IEnumerable<string> Arguments =>
    [
        $"--Judge:WorkRoot={Path.Combine(Path.GetTempPath(), "judge-e2e-slow-intake")}",
        "--Judge:Http:RetryAfterSeconds=2",
    ];

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Services.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
        builder.Services.AddSingleton<IResultsOut, SlowAcceptance>();
    }

    private sealed class SlowAcceptance : IResultsOut
    {
        private readonly ConcurrentDictionary<string, bool> seen = new();

        public string? CheckCallback(string? callbackUrl) => callbackUrl is null ? null : "no webhooks here";

        public async Task AcceptedAsync(string id, SubmissionRequest request)
        {
            if (id.StartsWith("slow-", StringComparison.Ordinal) && seen.TryAdd(id, true))
                await Task.Delay(ResponseTimeout + TimeSpan.FromSeconds(3));
        }

        public Task FinishedAsync(string id, SubmissionRequest request, Submission submission) => Task.CompletedTask;

        public Task RejudgedAsync(string id, SubmissionRequest request, int judging) => Task.CompletedTask;
    }
}

public sealed class TransientFailureTests(SlowIntakeJudgeServer server) : IClassFixture<SlowIntakeJudgeServer>
{
    [Fact]
    public async Task A_submit_whose_grain_call_times_out_gets_503_with_Retry_After_and_the_same_id_sent_again_is_accepted_and_judged()
    {
        var body = new { id = "slow-1", problem = "aplusb", language = "python3", source = "a, b = map(int, input().split())\nprint(a + b)\n" };

        using var first = await server.Http.PostAsJsonAsync("/api/submissions", body);
        var answer = await first.Content.ReadAsStringAsync();
        Assert.True(first.StatusCode == HttpStatusCode.ServiceUnavailable, $"expected 503, got {(int)first.StatusCode}: {answer}");
        Assert.Equal(TimeSpan.FromSeconds(2), first.Headers.RetryAfter?.Delta);
        Assert.Contains("a call inside the cluster timed out; retry after 2 s", JsonDocument.Parse(answer).RootElement.GetProperty("error").GetString());

        // Sent again as told: the first one was stored before its call timed out, so this is its duplicate (the first judging, not a second submission).
        await Task.Delay(TimeSpan.FromSeconds(2));
        using var again = await server.Http.PostAsJsonAsync("/api/submissions?wait=true&timeout=120", body);
        var judged = await again.Content.ReadAsStringAsync();
        Assert.True(again.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)again.StatusCode}: {judged}");
        var submission = JsonDocument.Parse(judged).RootElement;
        Assert.Equal("AC", submission.GetProperty("verdict").GetString());
        Assert.Equal(1, submission.GetProperty("judging").GetInt32());
    }
}
