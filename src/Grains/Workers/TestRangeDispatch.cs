using Judge.Engine.Judging;
using Judge.Engine.Problems;
using Judge.Grains.Options;
using Judge.Interfaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Judge.Grains.Workers;

/// <summary>Hands ranges of a submission's tests from this silo to other silos' <see cref="ITestRangeGrain"/> (the fan-out of
/// tests across silos, <c>Judge:FanOutAcrossSilos</c>): to a silo that offers the submission's language and whose last slot
/// report (<see cref="SlotBoard.ChooseIdle"/>) shows an idle slot and no waiting job.</summary>
public sealed partial class TestRangeDispatch(
    SlotBoard board, IGrainFactory grains, IClusterManifestProvider manifest, IClusterMembershipService membership,
    ILocalSiloDetails silo, IProblemSource problems, IOptions<JudgingOptions> options, ILogger<TestRangeDispatch> logger)
{
    private static readonly GrainType RangeType = GrainType.Create("test-range");

    /// <summary>The other silos' slots for <paramref name="job"/>, judged against <paramref name="problem"/>; <c>null</c> when
    /// <c>Judge:FanOutAcrossSilos</c> is off (read per job).</summary>
    public IRemoteSlots? For(JudgeJob job, Problem problem) =>
        options.Value.FanOutAcrossSilos ? new Ranges(this, job, problem, problems.ContentHash(problem.Id)) : null;

    /// <summary>The other active silos that offer <paramref name="language"/> and judge test ranges.</summary>
    private List<SiloAddress> Candidates(string language)
    {
        var worker = GrainType.Create(IJudgeWorker.GrainTypeOf(language));
        var members = membership.CurrentSnapshot;
        return manifest.Current.Silos
            .Where(s => !s.Key.Equals(silo.SiloAddress) && s.Value.Grains.ContainsKey(worker) && s.Value.Grains.ContainsKey(RangeType)
                && members.GetSiloStatus(s.Key) == SiloStatus.Active)
            .Select(s => s.Key)
            .ToList();
    }

    /// <summary>Hands the tests at <paramref name="indexes"/> of <paramref name="job"/> to the idle silo the board chooses, if any.</summary>
    private Task<IReadOnlyList<TestOutcome>>? HandOff(JudgeJob job, Problem problem, string? version, IReadOnlyList<int> indexes, bool breaks,
        CancellationToken cancellationToken)
    {
        if (board.ChooseIdle(Candidates(job.Request.Language), silo.SiloAddress) is not { } slot)
            return null;
        var range = new TestRangeJob(job.SubmissionId, job.Attempt, job.Request, version, [.. indexes],
            [.. indexes.Select(i => problem.Tests[i].Name)], breaks, problem.Limits.TimeLimit);
        return RunAsync(slot, range, cancellationToken);
    }

    private async Task<IReadOnlyList<TestOutcome>> RunAsync(IdleSlot slot, TestRangeJob range, CancellationToken cancellationToken)
    {
        var target = slot.Silo;
        LogHandedOff(logger, range.SubmissionId, range.Tests.Length, target.ToString());
        try
        {
            // The wait ends with the cancellation at once; the other silo stops at its next cancellation point.
            var results = await grains.GetGrain<ITestRangeGrain>(target.ToParsableString()).Run(range, cancellationToken).WaitAsync(cancellationToken);
            return [.. results.Select(r => r.ToOutcome())];
        }
        catch (SiloUnavailableException e)
        {
            board.Unreachable(target);
            LogFailed(logger, e, range.SubmissionId, target.ToString());
            return [];
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, e, range.SubmissionId, target.ToString());
            return []; // judged on this silo instead
        }
        finally
        {
            board.RangeEnded(slot); // its slot is free again once that silo's next report shows it
        }
    }

    /// <summary>One job's hand-offs.</summary>
    private sealed class Ranges(TestRangeDispatch dispatch, JudgeJob job, Problem problem, string? version) : IRemoteSlots
    {
        public Task<IReadOnlyList<TestOutcome>>? TryHandOff(IReadOnlyList<int> indexes, bool breaks, CancellationToken cancellationToken) =>
            dispatch.HandOff(job, problem, version, indexes, breaks, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Handing {Count} tests of {SubmissionId} to silo {Silo}")]
    private static partial void LogHandedOff(ILogger logger, string submissionId, int count, string silo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tests of {SubmissionId} handed to silo {Silo} came back unjudged; judged here")]
    private static partial void LogFailed(ILogger logger, Exception exception, string submissionId, string silo);
}
