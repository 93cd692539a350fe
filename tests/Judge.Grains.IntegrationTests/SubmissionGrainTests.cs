using Judge.Interfaces;
using Microsoft.Extensions.DependencyInjection;

namespace Judge.Grains.IntegrationTests;

public class SubmissionGrainTests(HeterogeneousCluster cluster) : IClassFixture<HeterogeneousCluster>
{
    private const string CppAplusb = "#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<\"\\n\";}";
    private const string PythonAplusb = "a, b = map(int, input().split())\nprint(a + b)\n";
    private const string JavaAplusb = """
        import java.util.*;
        public class Adder { public static void main(String[] x) { Scanner s = new Scanner(System.in); System.out.println(s.nextLong() + s.nextLong()); } }
        """;

    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(3);

    private async Task<Submission> JudgeAsync(string id, string language, string source, string problem = "aplusb")
    {
        var grain = cluster.Grains.GetGrain<ISubmissionGrain>(id);
        Assert.Equal(SubmitOutcome.Accepted, await grain.Submit(new SubmissionRequest(problem, language, source)));
        var result = await grain.WaitForResult(Wait);
        Assert.NotNull(result);
        Assert.Equal(SubmissionStatus.Finished, result.Status);
        return result;
    }

    [Fact]
    public async Task Python_is_judged_only_on_the_silo_that_offers_it()
    {
        var python = cluster.SiloOffering(HeterogeneousCluster.PythonOnly);
        for (var i = 0; i < 3; i++)
        {
            var result = await JudgeAsync($"py-{i}-{Guid.NewGuid():N}", "python3", PythonAplusb);
            Assert.Equal(Verdict.AC, result.Verdict);
            Assert.Equal(python, result.JudgedBy);
        }
    }

    [Theory]
    [InlineData("cpp17", CppAplusb)]
    [InlineData("java", JavaAplusb)]
    public async Task Cpp_and_java_are_judged_only_on_the_silo_that_offers_them(string language, string source)
    {
        var other = cluster.SiloOffering(HeterogeneousCluster.CppAndJava);
        for (var i = 0; i < 2; i++)
        {
            var result = await JudgeAsync($"{language}-{i}-{Guid.NewGuid():N}", language, source);
            Assert.Equal(Verdict.AC, result.Verdict);
            Assert.Equal(other, result.JudgedBy);
            Assert.All(result.Tests, t => Assert.Equal(Verdict.AC, t.Verdict));
        }
    }

    [Fact]
    public async Task A_submission_with_many_tests_is_stored_at_checkpoints_not_after_every_test()
    {
        var id = $"many-{Guid.NewGuid():N}";
        var result = await JudgeAsync(id, "cpp17", CppAplusb, HeterogeneousCluster.ManyTests);

        Assert.Equal(Verdict.AC, result.Verdict);
        Assert.Equal(HeterogeneousCluster.ManyTestsCount, result.Tests.Length);
        var records = cluster.Results.Of(id);
        // Accepted, queued, compiling, compiled and finished are stored when they happen; test progress at most every
        // 50 changes or every second (it was stored twice per test: 240 writes here).
        var judgingSeconds = (int)Math.Ceiling((result.FinishedAt!.Value - result.StartedAt!.Value).TotalSeconds);
        Assert.InRange(records.Count, 5, 5 + HeterogeneousCluster.ManyTestsCount / 50 + judgingSeconds);
        Assert.Equal(records.Select(r => r.Revision).Order(), records.Select(r => r.Revision));
        Assert.Equal(SubmissionStatus.Finished, records[^1].Submission.Status);
        Assert.Equal(HeterogeneousCluster.ManyTestsCount, records[^1].Submission.Tests.Length);
    }

    [Theory]
    [InlineData(FlakyStorage.LostWrite)]
    [InlineData(FlakyStorage.LostAnswer)]
    public async Task A_submit_whose_write_failed_is_judged_when_the_client_sends_it_again(string kind)
    {
        var grain = cluster.Grains.GetGrain<ISubmissionGrain>($"{kind}{Guid.NewGuid():N}");
        var request = new SubmissionRequest("aplusb", "python3", PythonAplusb);

        // The client is told it failed (HTTP answers 503), and sends the same submission again.
        var failed = await Assert.ThrowsAsync<Orleans.Runtime.OrleansException>(() => grain.Submit(request));
        Assert.IsType<TimeoutException>(failed.InnerException);
        var again = await grain.Submit(request);

        // Stored or not, the retry finds it not judged yet only when storage did not take it; either way it is judged once.
        Assert.Equal(kind == FlakyStorage.LostWrite ? SubmitOutcome.Accepted : SubmitOutcome.Duplicate, again);
        var result = await grain.WaitForResult(Wait);
        Assert.Equal(SubmissionStatus.Finished, result!.Status);
        Assert.Equal(Verdict.AC, result.Verdict);
    }

    [Fact]
    public async Task A_verdict_whose_write_failed_is_stored_by_the_next_activation_without_judging_again()
    {
        var grain = cluster.Grains.GetGrain<ISubmissionGrain>($"{FlakyStorage.LostVerdict}{Guid.NewGuid():N}");
        Assert.Equal(SubmitOutcome.Accepted, await grain.Submit(new SubmissionRequest("aplusb", "python3", PythonAplusb)));

        // Waited for as the HTTP API waits: the activation whose verdict write failed leaves, and the wait goes on at the
        // next one. The worker's result reaches that one too: well within the watchdog's minute, and judged once.
        var result = await SubmissionWaits.WaitForResultAsync(grain.WaitForResult, TimeSpan.FromSeconds(30), TimeProvider.System);

        Assert.True(cluster.Storage.Failed.ContainsKey(grain.GetGrainId()));
        Assert.Equal((SubmissionStatus.Finished, Verdict.AC), (result!.Status, result.Verdict!.Value));
        Assert.Equal(1, cluster.Storage.StoredAttempts[grain.GetGrainId()]);
    }

    [Fact]
    public void A_stale_activations_answer_crosses_silos_as_itself()
    {
        // Without a codec the caller got a serialization failure (HTTP 500) instead of "call again" (503).
        var serializer = cluster.Cluster.Client.ServiceProvider.GetRequiredService<Orleans.Serialization.Serializer>();
        var copy = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(new SubmissionStaleException("s1", "storing it failed: timeout")));

        var stale = Assert.IsType<SubmissionStaleException>(copy);
        Assert.Equal("s1", stale.SubmissionId);
        Assert.Equal("this activation of submission s1 is stale (storing it failed: timeout) and goes away; call again", stale.Message);
    }

    [Theory]
    [InlineData("cpp20")]
    [InlineData("kotlin")]
    public async Task Language_offered_nowhere_finishes_quickly_with_a_clear_error(string language)
    {
        var result = await JudgeAsync($"nowhere-{language}-{Guid.NewGuid():N}", language, "int main(){}");
        Assert.Equal(Verdict.IE, result.Verdict);
        Assert.Equal($"no silo in the cluster offers language '{language}'", result.Message);
        Assert.Empty(result.Tests);
    }

    [Fact]
    public async Task Resubmitting_the_same_id_judges_once()
    {
        var id = $"same-{Guid.NewGuid():N}";
        var grain = cluster.Grains.GetGrain<ISubmissionGrain>(id);
        var request = new SubmissionRequest("aplusb", "python3", PythonAplusb);
        Assert.Equal(SubmitOutcome.Accepted, await grain.Submit(request));
        Assert.Equal(SubmitOutcome.Duplicate, await grain.Submit(request)); // while judging
        var first = await grain.WaitForResult(Wait);
        Assert.Equal(SubmitOutcome.Duplicate, await grain.Submit(request with { })); // after judging
        var second = await grain.WaitForResult(Wait);

        Assert.NotNull(first);
        Assert.Equal(Verdict.AC, first.Verdict);
        Assert.Equal(first.FinishedAt, second!.FinishedAt);
        Assert.Equal(first.Tests.Length, second.Tests.Length);
        Assert.Equal(first.TestCount, first.Tests.Length);
        Assert.Equal(first.Tests.Select(t => t.Name).Distinct().Count(), first.Tests.Length);
    }

    [Fact]
    public async Task Same_id_with_a_different_body_is_a_conflict()
    {
        var id = $"conflict-{Guid.NewGuid():N}";
        var grain = cluster.Grains.GetGrain<ISubmissionGrain>(id);
        Assert.Equal(SubmitOutcome.Accepted, await grain.Submit(new SubmissionRequest("aplusb", "python3", PythonAplusb)));
        Assert.Equal(SubmitOutcome.Conflict, await grain.Submit(new SubmissionRequest("aplusb", "python3", "print(0)")));
        var result = await grain.WaitForResult(Wait);
        Assert.Equal(Verdict.AC, result!.Verdict); // the first body was judged
    }

    [Fact]
    public async Task Wrong_answer_stops_at_the_first_failing_test_and_skips_the_rest()
    {
        var result = await JudgeAsync($"wa-{Guid.NewGuid():N}", "python3", "print(0)\n");
        Assert.Equal(Verdict.WA, result.Verdict);
        Assert.Equal(Verdict.WA, result.Tests[0].Verdict);
        Assert.All(result.Tests.Skip(1), t => Assert.Equal(Verdict.SK, t.Verdict));
        Assert.Equal(result.TestCount, result.Tests.Length);
        Assert.Equal(0, result.Score);
    }

    [Fact]
    public async Task Unknown_submission_is_null()
    {
        Assert.Null(await cluster.Grains.GetGrain<ISubmissionGrain>($"never-{Guid.NewGuid():N}").Get());
    }

    [Fact]
    public async Task Once_finished_a_late_result_or_progress_of_any_attempt_changes_nothing()
    {
        var id = $"late-{Guid.NewGuid():N}";
        var judged = await JudgeAsync(id, "python3", PythonAplusb);
        Assert.Equal(Verdict.AC, judged.Verdict);
        var grain = cluster.Grains.GetGrain<ISubmissionGrain>(id);

        // A second attempt's worker reporting late (say, after a silo death made the submission judge again).
        await grain.ReportResult(1, new JudgeResult(Verdict.WA, null, [], "a late copy", "elsewhere"));
        Assert.False(await grain.ReportProgress(1, new JudgeProgress(JudgeProgressKind.Heartbeat)));
        Assert.False(await grain.ReportProgress(2, new JudgeProgress(JudgeProgressKind.Compiling)));
        await grain.Resume();

        var after = (await grain.Get())!;
        Assert.Equal(Verdict.AC, after.Verdict);
        Assert.Equal(judged.FinishedAt, after.FinishedAt);
        Assert.Equal(judged.JudgedBy, after.JudgedBy);
        Assert.Equal(judged.Message, after.Message);
        Assert.Equal(judged.Tests.Select(t => (t.Name, t.Verdict)), after.Tests.Select(t => (t.Name, t.Verdict)));
    }

    [Fact]
    public async Task Waking_a_submission_that_was_never_submitted_creates_nothing()
    {
        var grain = cluster.Grains.GetGrain<ISubmissionGrain>($"never-{Guid.NewGuid():N}");

        await grain.Resume();

        Assert.Null(await grain.Get());
    }
}
