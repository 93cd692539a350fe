using Judge.Grains.Submissions;
using Judge.Interfaces;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;

namespace Judge.Grains.IntegrationTests;

/// <summary>Rejudging a submission (<see cref="ISubmissionGrain.Rejudge"/>): a new judging of the same id, the earlier one
/// kept in the history, and no result of an earlier judging's attempt can finish the new one.</summary>
public class RejudgeTests(HeterogeneousCluster cluster) : IClassFixture<HeterogeneousCluster>
{
    private const string PythonAplusb = "a, b = map(int, input().split())\nprint(a + b)\n";
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(3);

    private async Task<(ISubmissionGrain Grain, Submission First)> JudgedOnceAsync(string prefix, string language = "python3", string source = PythonAplusb)
    {
        var grain = cluster.Grains.GetGrain<ISubmissionGrain>($"{prefix}-{Guid.NewGuid():N}");
        Assert.Equal(SubmitOutcome.Accepted, await grain.Submit(new SubmissionRequest("aplusb", language, source)));
        var first = await FinishedAsync(grain, judging: 1);
        return (grain, first);
    }

    private static async Task<Submission> FinishedAsync(ISubmissionGrain grain, int judging)
    {
        var result = await grain.WaitForResult(Wait);
        Assert.NotNull(result);
        Assert.True(result.Status == SubmissionStatus.Finished, $"judging {judging} of {grain.GetPrimaryKeyString()} did not finish within {Wait}");
        Assert.Equal(judging, result.Judging);
        return result;
    }

    [Fact]
    public async Task A_finished_submission_is_judged_again_and_keeps_its_first_judging()
    {
        var (grain, first) = await JudgedOnceAsync("rejudge");
        Assert.Equal(Verdict.AC, first.Verdict);
        Assert.Empty(first.Judgings);

        Assert.Equal(new RejudgeAnswer(RejudgeOutcome.Started, 2), await grain.Rejudge());
        var restarted = (await grain.Get())!;
        Assert.Equal(2, restarted.Judging);
        Assert.NotEqual(SubmissionStatus.Finished, restarted.Status);
        Assert.Null(restarted.Verdict);

        var second = await FinishedAsync(grain, judging: 2);
        Assert.Equal(Verdict.AC, second.Verdict);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.CreatedAt, second.CreatedAt);
        Assert.True(second.FinishedAt > first.FinishedAt);
        Assert.NotNull(second.StartedAt);
        Assert.Equal(second.TestCount, second.Tests.Length);
        var earlier = Assert.Single(second.Judgings);
        Assert.Equal(new JudgingSummary(1, Verdict.AC, first.Score, first.MaxScore, first.TimeMs, first.MemoryKb, first.StartedAt, first.FinishedAt, first.JudgedBy), earlier);
    }

    [Fact]
    public async Task A_submission_still_being_judged_or_never_submitted_is_not_rejudged()
    {
        var grain = cluster.Grains.GetGrain<ISubmissionGrain>($"busy-{Guid.NewGuid():N}");
        await grain.Submit(new SubmissionRequest("aplusb", "python3", "import time\ntime.sleep(0.5)\n" + PythonAplusb));
        Assert.Equal(new RejudgeAnswer(RejudgeOutcome.NotFinished, 1), await grain.Rejudge());
        var judged = await FinishedAsync(grain, judging: 1);
        Assert.Empty(judged.Judgings);

        Assert.Equal(RejudgeOutcome.Unknown, (await cluster.Grains.GetGrain<ISubmissionGrain>($"never-{Guid.NewGuid():N}").Rejudge()).Outcome);
    }

    [Fact]
    public async Task A_late_result_of_the_first_judging_does_not_finish_the_second()
    {
        var (grain, first) = await JudgedOnceAsync("late-rejudge");
        Assert.Equal(Verdict.AC, first.Verdict);

        Assert.Equal(RejudgeOutcome.Started, (await grain.Rejudge()).Outcome);
        // The worker of judging 1's attempt 1 reports late, after the rejudge: it must neither finish nor steer judging 2.
        await grain.ReportResult(1, new JudgeResult(Verdict.WA, null, [], "a late copy of judging 1", "elsewhere"));
        Assert.False(await grain.ReportProgress(1, new JudgeProgress(JudgeProgressKind.Compiling)));

        var second = await FinishedAsync(grain, judging: 2);
        Assert.Equal(Verdict.AC, second.Verdict);
        Assert.Null(second.Message);
        Assert.NotEqual("elsewhere", second.JudgedBy);
        Assert.Equal(Verdict.AC, Assert.Single(second.Judgings).Verdict);
    }

    [Fact]
    public async Task A_retried_rejudge_of_the_same_judging_starts_no_third_and_concurrent_calls_start_one()
    {
        var (grain, _) = await JudgedOnceAsync("retried");

        Assert.Equal(new RejudgeAnswer(RejudgeOutcome.Started, 2), await grain.Rejudge(expectedJudging: 1));
        Assert.Equal(new RejudgeAnswer(RejudgeOutcome.AlreadyStarted, 2), await grain.Rejudge(expectedJudging: 1));
        await FinishedAsync(grain, judging: 2);
        Assert.Equal(new RejudgeAnswer(RejudgeOutcome.AlreadyStarted, 2), await grain.Rejudge(expectedJudging: 1));
        Assert.Equal(new RejudgeAnswer(RejudgeOutcome.JudgingMismatch, 2), await grain.Rejudge(expectedJudging: 7));

        var answers = await Task.WhenAll(grain.Rejudge(), grain.Rejudge());
        Assert.Equal([RejudgeOutcome.Started, RejudgeOutcome.NotFinished], answers.Select(a => a.Outcome).Order());
        Assert.All(answers, a => Assert.Equal(3, a.Judging));
        var third = await FinishedAsync(grain, judging: 3);
        Assert.Equal([1, 2], third.Judgings.Select(j => j.Judging));
    }

    [Fact]
    public async Task A_submission_stored_before_judgings_existed_reads_as_judging_1_and_can_be_rejudged()
    {
        // State as a silo without rejudging wrote it: no judging number (0) and no list of judgings.
        var id = $"old-state-{Guid.NewGuid():N}";
        var created = DateTimeOffset.UtcNow.AddHours(-1);
        var old = new SubmissionState
        {
            Request = new SubmissionRequest("aplusb", "python3", PythonAplusb),
            Submission = new Submission
            {
                Id = id, Problem = "aplusb", Language = "python3", Status = SubmissionStatus.Finished, Verdict = Verdict.WA, Score = 0,
                MaxScore = 1, CreatedAt = created, FinishedAt = created.AddSeconds(1), Judging = 0, Judgings = default,
            },
            Attempt = 1,
            Revision = 4,
        };
        var storage = cluster.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(SubmissionGrain.StorageName);
        await storage.WriteStateAsync("submission", GrainId.Create("submission", id), new GrainState<SubmissionState>(old));

        var grain = cluster.Grains.GetGrain<ISubmissionGrain>(id);
        var loaded = (await grain.Get())!;
        Assert.Equal(1, loaded.Judging);
        Assert.Empty(loaded.Judgings);

        Assert.Equal(new RejudgeAnswer(RejudgeOutcome.Started, 2), await grain.Rejudge(expectedJudging: 1));
        var second = await FinishedAsync(grain, judging: 2);
        Assert.Equal(Verdict.AC, second.Verdict);
        Assert.Equal(new JudgingSummary(1, Verdict.WA, 0, 1, null, null, null, created.AddSeconds(1), null), Assert.Single(second.Judgings));
    }

    [Fact]
    public async Task A_rejudge_in_a_language_offered_nowhere_ends_as_a_judge_error_again()
    {
        var (grain, first) = await JudgedOnceAsync("nowhere-rejudge", "cpp20", "int main(){}");
        Assert.Equal(Verdict.IE, first.Verdict);

        Assert.Equal(RejudgeOutcome.Started, (await grain.Rejudge()).Outcome);
        var second = await FinishedAsync(grain, judging: 2);
        Assert.Equal(Verdict.IE, second.Verdict);
        Assert.Equal("no silo in the cluster offers language 'cpp20'", second.Message);
        Assert.Equal(Verdict.IE, Assert.Single(second.Judgings).Verdict);
    }
}
