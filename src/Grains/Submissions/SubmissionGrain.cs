using Judge.Interfaces;
using Microsoft.Extensions.Logging;
using Judge.Grains.Toolchains;
using Orleans.Runtime;

namespace Judge.Grains.Submissions;

/// <summary>Owns one submission: accepts it once, dispatches it to a worker of its language, records progress and the verdict.</summary>
[GrainType("submission")]
public sealed partial class SubmissionGrain(
    [PersistentState("submission", SubmissionGrain.StorageName)] IPersistentState<SubmissionState> state,
    ClusterLanguages languages,
    ISubmissionResults results,
    IResultsOut resultsOut,
    TimeProvider time,
    ILogger<SubmissionGrain> logger) : Grain, ISubmissionGrain
{
    /// <summary>The grain storage provider that holds submissions.</summary>
    public const string StorageName = "submissions";

    /// <summary>Judging attempts before a submission is given up as a judge error.</summary>
    internal const int MaxAttempts = 3;

    private readonly TaskCompletionSource finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Progress reports and the dispatch timer interleave; their writes must not overlap (storage checks ETags).
    private readonly SemaphoreSlim writing = new(1, 1);
    private IGrainTimer? dispatch;

    private string Id => this.GetPrimaryKeyString();

    private Submission? View => state.State.Submission;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A submission that was accepted but not finished (its silo died, or it was deactivated) resumes judging.
        if (View is { Status: not SubmissionStatus.Finished })
            ScheduleDispatch();
        else if (View is not null)
            finished.TrySetResult();

        // Publish again what is stored: repairs the results if the last publication was lost with its silo.
        if (View is { } view)
            await PublishAsync(view, state.State.Revision);
    }

    public async Task<SubmitOutcome> Submit(SubmissionRequest request)
    {
        if (state.State.Request is { } existing)
        {
            if (existing != request)
                return SubmitOutcome.Conflict;
            await resultsOut.AcceptedAsync(Id, existing); // repairs a publication a crash kept from being recorded
            return SubmitOutcome.Duplicate;
        }

        state.State.Request = request;
        state.State.Submission = new Submission
        {
            Id = Id,
            Problem = request.Problem,
            Language = request.Language,
            Status = SubmissionStatus.Queued,
            CreatedAt = time.GetUtcNow(),
        };
        await WriteStateAsync();
        LogAccepted(logger, Id, request.Language, request.Problem);
        ScheduleDispatch();
        await resultsOut.AcceptedAsync(Id, request);
        return SubmitOutcome.Accepted;
    }

    public Task<Submission?> Get() => Task.FromResult(View);

    public async Task<Submission?> WaitForResult(TimeSpan timeout)
    {
        if (View is null)
            return null;
        await Task.WhenAny(finished.Task, Task.Delay(timeout, time));
        return View;
    }

    public async Task ReportProgress(int attempt, JudgeProgress progress)
    {
        if (attempt != state.State.Attempt || View is not { Status: not SubmissionStatus.Finished } view)
            return; // a late report of an attempt that was given up, or of a finished submission

        state.State.Submission = progress.Kind switch
        {
            JudgeProgressKind.Compiling => view with { Status = SubmissionStatus.Compiling },
            JudgeProgressKind.Compiled => view with
            {
                Status = SubmissionStatus.Running,
                CompileOutput = progress.CompileOutput,
                TestCount = progress.TestCount,
            },
            JudgeProgressKind.TestStarted => view with { Status = SubmissionStatus.Running, CurrentTest = progress.TestName },
            JudgeProgressKind.TestJudged when progress.Result is { } result && progress.TestIndex == view.Tests.Length =>
                view with { Tests = view.Tests.Add(result) },
            _ => view,
        };
        await WriteStateAsync();
    }

    private async Task WriteStateAsync()
    {
        await writing.WaitAsync();
        try
        {
            state.State.Revision++;
            await state.WriteStateAsync();
            // Published in write order, after the state is safe; the revision keeps late copies from winning.
            await PublishAsync(View!, state.State.Revision);
        }
        finally
        {
            writing.Release();
        }
    }

    private async Task PublishAsync(Submission view, long revision)
    {
        for (var tries = 1; ; tries++)
        {
            try
            {
                await results.RecordAsync(view, revision);
                return;
            }
            catch (Exception e) when (tries < MaxAttempts)
            {
                LogPublishRetry(logger, e, Id, revision);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * tries), time);
            }
            catch (Exception e)
            {
                // The state is stored; the next write, or the next activation, publishes it again.
                LogPublishFailed(logger, e, Id, revision);
                return;
            }
        }
    }

    private void ScheduleDispatch()
    {
        dispatch?.Dispose();
        // A one-shot timer that interleaves: the long judging call does not block Get, WaitForResult or progress reports.
        dispatch = this.RegisterGrainTimer(DispatchAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = true,
        });
    }

    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        var request = state.State.Request!;
        var workerType = IJudgeWorker.GrainTypeOf(request.Language);
        Exception? lastError = null;
        for (var tries = 0; tries < MaxAttempts; tries++)
        {
            if (!languages.IsOffered(request.Language))
            {
                await FinishAsync(new JudgeResult(Verdict.IE, null, [], $"no silo in the cluster offers language '{request.Language}'", ""));
                return;
            }

            state.State.Attempt++;
            state.State.Submission = View! with { Status = SubmissionStatus.Queued, Tests = [], CurrentTest = null, TestCount = null };
            await WriteStateAsync();
            var attempt = state.State.Attempt;
            try
            {
                var worker = GrainFactory.GetGrain<IJudgeWorker>(GrainId.Create(workerType, $"{Id}#{attempt}"));
                var result = await worker.Judge(new JudgeJob(Id, attempt, request));
                await FinishAsync(result);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                lastError = e;
                LogAttemptFailed(logger, e, Id, attempt);
                await Task.Delay(TimeSpan.FromSeconds(tries + 1), time, CancellationToken.None);
            }
        }
        await FinishAsync(new JudgeResult(Verdict.IE, null, [],
            $"judging failed {MaxAttempts} times; last error: {lastError?.GetBaseException().Message ?? "unknown"}", ""));
    }

    private async Task FinishAsync(JudgeResult result)
    {
        var view = View!;
        // The worker's full list (including skipped tests) replaces what progress reported.
        var tests = result.Tests.IsDefaultOrEmpty ? view.Tests : result.Tests;
        var ran = tests.Where(t => t.Verdict != Verdict.SK).ToList();
        state.State.Submission = view with
        {
            Status = SubmissionStatus.Finished,
            Verdict = result.Verdict,
            Score = result.Score ?? (result.Verdict == Verdict.AC ? 1 : 0),
            MaxScore = result.MaxScore ?? 1,
            TimeMs = ran.Count == 0 ? null : ran.Max(t => t.TimeMs),
            MemoryKb = ran.Count == 0 ? null : ran.Max(t => t.MemoryKb),
            CompileOutput = result.CompileOutput ?? view.CompileOutput,
            Tests = tests,
            TestCount = view.TestCount ?? (tests.IsDefaultOrEmpty ? null : tests.Length),
            CurrentTest = null,
            Message = result.Message,
            JudgedBy = string.IsNullOrEmpty(result.JudgedBy) ? null : result.JudgedBy,
            FinishedAt = time.GetUtcNow(),
        };
        await WriteStateAsync();
        LogFinished(logger, Id, result.Verdict.ToString(), result.JudgedBy);
        finished.TrySetResult();
        await resultsOut.FinishedAsync(Id, state.State.Request!, View!);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted {SubmissionId} in {Language} for {Problem}")]
    private static partial void LogAccepted(ILogger logger, string submissionId, string language, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Judging attempt {Attempt} of {SubmissionId} failed")]
    private static partial void LogAttemptFailed(ILogger logger, Exception exception, string submissionId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing revision {Revision} of {SubmissionId} failed; retrying")]
    private static partial void LogPublishRetry(ILogger logger, Exception exception, string submissionId, long revision);

    [LoggerMessage(Level = LogLevel.Error, Message = "Publishing revision {Revision} of {SubmissionId} failed; the next write or activation publishes it")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string submissionId, long revision);

    [LoggerMessage(Level = LogLevel.Information, Message = "Finished {SubmissionId}: {Verdict} (judged by {Silo})")]
    private static partial void LogFinished(ILogger logger, string submissionId, string verdict, string silo);
}
