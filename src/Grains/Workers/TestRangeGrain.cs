using System.Collections.Immutable;
using Judge.Engine.Judging;
using Judge.Engine.Problems;
using Judge.Grains.CompileCache;
using Judge.Grains.Toolchains;
using Judge.Interfaces;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace Judge.Grains.Workers;

/// <summary>Judges ranges of tests that submissions judged on other silos hand to this silo (the fan-out of tests across
/// silos); placed only on the silo its key names. It takes a judging slot only if one is idle now (<see cref="JudgeSlots.TryAcquire"/>,
/// never waiting), gives it back to a job of this silo that starts waiting for one (between two tests), and never calls the
/// submission: the submission's silo takes the outcomes in test order and reports them.</summary>
[GrainType("test-range"), SiloPinnedPlacement, Reentrant]
public sealed partial class TestRangeGrain(
    IProblemSource problems, ToolchainInventory toolchains, SubmissionJudge judge, JudgeSlots slots, JudgeDrain drain,
    ILocalSiloDetails silo, ILogger<TestRangeGrain> logger) : Grain, ITestRangeGrain
{
    public async Task<ImmutableArray<TestResult>> Run(TestRangeJob job, CancellationToken cancellationToken = default)
    {
        if (this.GetPrimaryKeyString() != silo.SiloAddress.ToParsableString() || drain.IsDraining
            || !toolchains.Available.TryGetValue(job.Request.Language, out var language))
            return [];
        using var slot = slots.TryAcquire();
        if (slot is null)
        {
            LogBusy(logger, job.SubmissionId, job.Tests.Length);
            return [];
        }
        var problem = await problems.FindAsync(job.Request.Problem, cancellationToken);
        if (problem is null || !IsSameVersion(problem, job))
        {
            LogOtherVersion(logger, job.SubmissionId, job.Request.Problem);
            return [];
        }

        using var running = drain.Enter();
        LogJudging(logger, job.SubmissionId, job.Tests.Length, job.TestNames.FirstOrDefault() ?? "");
        var outcomes = await judge.JudgeRangeAsync(problem, language, job.Request.SourceContent(), job.Tests, job.Breaks, GiveWay, cancellationToken);
        return [.. outcomes.Select(o => o.ToContract())];
    }

    /// <summary>Whether this silo's slot is wanted by a job of its own (a first judging or a rejudge waits), or the silo stops.</summary>
    private bool GiveWay()
    {
        var (first, rejudges) = slots.Waiting;
        return first + rejudges > 0 || drain.IsDraining;
    }

    /// <summary>Whether this silo's <paramref name="problem"/> is the version the submission is judged against: the same
    /// package, time limit and tests at the range's indexes.</summary>
    private bool IsSameVersion(Problem problem, TestRangeJob job)
    {
        if (job.ProblemVersion is { } version && problems.ContentHash(problem.Id) is { } here && here != version)
            return false;
        if (problem.Limits.TimeLimit != job.TimeLimit || job.Tests.Length != job.TestNames.Length)
            return false;
        for (var i = 0; i < job.Tests.Length; i++)
        {
            var index = job.Tests[i];
            if (index < 0 || index >= problem.Tests.Count || problem.Tests[index].Name != job.TestNames[i])
                return false;
        }
        return true;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "No idle slot for {Count} tests of {SubmissionId}: left to its silo")]
    private static partial void LogBusy(ILogger logger, string submissionId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tests of {SubmissionId} left to its silo: this silo has another version of problem {Problem}")]
    private static partial void LogOtherVersion(ILogger logger, string submissionId, string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Judging {Count} tests of {SubmissionId} from {Test} for its silo")]
    private static partial void LogJudging(ILogger logger, string submissionId, int count, string test);
}
