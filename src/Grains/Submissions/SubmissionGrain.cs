using Judge.Abstractions;
using System.Diagnostics;
using Judge.Grains.Feed;
using Judge.Grains.Options;
using Judge.Grains.Telemetry;
using Judge.Grains.Toolchains;
using Judge.Grains.Workers;
using Judge.Interfaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Storage;

namespace Judge.Grains.Submissions;

/// <summary>Owns one submission: accepts it once, dispatches it to a worker of its language, records progress and the
/// verdict. It notices lost work itself: a judge call that fails (the worker's silo died) or a worker that falls silent
/// for <see cref="RecoveryOptions.StallTimeout"/> is replaced by a new attempt at once. An activation that resumes an
/// unfinished submission (its silo died) first listens for the attempt it inherited, whose worker may still be alive,
/// and judges again only if that stays silent. The first final result of any attempt is the verdict.</summary>
[GrainType("submission")]
public sealed partial class SubmissionGrain(
    [PersistentState("submission", SubmissionGrain.StorageName)] IPersistentState<SubmissionState> state,
    ClusterLanguages languages,
    ISubmissionResults results,
    JudgeDrain drain,
    IOptions<JudgingOptions> options,
    IResultsOut resultsOut,
    SubmissionFeed feed,
    TimeProvider time,
    JudgingMetrics metrics,
    ILogger<SubmissionGrain> logger) : Grain, ISubmissionGrain, IRemindable
{
    /// <summary>The durable reminder that wakes an unfinished submission whose activation was lost with its silo, when
    /// nothing else did (the last-resort watchdog: a worker's heartbeat, <see cref="SubmissionRecovery"/> or a client's
    /// request reactivates it sooner).</summary>
    internal const string WatchdogReminder = "watchdog";

    /// <summary>How often the watchdog fires while a submission is unfinished.</summary>
    internal static readonly TimeSpan WatchdogPeriod = TimeSpan.FromMinutes(1);

    /// <summary>The grain storage provider that holds submissions.</summary>
    public const string StorageName = StorageNames.Submissions;

    /// <summary>Failed or silent judging attempts before a submission is given up as a judge error. Attempts handed
    /// back by a silo that shuts down do not count.</summary>
    internal const int MaxAttempts = 3;

    /// <summary>Test progress is persisted (state write and results table) at most this many progress changes apart...</summary>
    internal const int CheckpointChanges = 50;

    /// <summary>...or this long apart, and always when a judging starts and ends; in between it goes to the live feed only.
    /// Recovery does not depend on it: an attempt that is lost is judged again from its first test.</summary>
    internal static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);

    /// <summary>The least time between two live-feed publications of progress between checkpoints.</summary>
    internal static readonly TimeSpan LiveInterval = SubmissionFeed.BatchDelay;

    /// <summary>How far an activation that resumes an unfinished submission moves the revision past the stored one: more
    /// than the live publications a lost activation can have made since its last write (at most
    /// <see cref="CheckpointChanges"/>), so that the feed's receivers take the new activation's changes as newer.</summary>
    internal const long RevisionGap = CheckpointChanges + 14;

    // Completed when the current judging finishes; a rejudge replaces it.
    private TaskCompletionSource finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly RecoveryOptions recovery = options.Value.Recovery;

    // Progress reports, results and the dispatch loop interleave; their writes must not overlap (storage checks ETags).
    private readonly SemaphoreSlim writing = new(1, 1);
    private IGrainTimer? dispatch;
    private bool dispatching;
    private int? dispatchedJudging; // the judging the dispatch loop works on
    private bool stale;

    // When the current attempt's worker was last heard from (progress or heartbeat).
    private DateTimeOffset lastHeard;

    // The trace of the request that submitted this submission: the judging (started from a timer) continues it.
    private ActivityContext? submitTrace;

    // Progress between checkpoints. The tests judged so far, ahead of View.Tests while `judgedAhead` (View.Tests is
    // rebuilt from it only when someone reads or a checkpoint or publication needs it); null when View.Tests is all.
    private List<TestResult>? judged;
    private bool judgedAhead;
    private bool unpublished;   // a progress change the live feed has not carried yet
    private int unsaved;        // progress changes since the last state write
    private long lastWritten, lastPublished;
    private IGrainTimer? liveTimer;

    private string Id => this.GetPrimaryKeyString();

    private Submission? View => state.State.Submission;

    private bool Unfinished => View is { Status: not SubmissionStatus.Finished };

    /// <summary>Whether judging <paramref name="judging"/> is the current one and unfinished.</summary>
    private bool Judges(int judging) => View is { Status: not SubmissionStatus.Finished } view && view.Judging == judging;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // State stored before rejudging existed has no judging number: it was the first judging.
        if (View is { } stored && (stored.Judging < 1 || stored.Judgings.IsDefault))
            state.State.Submission = stored with { Judging = Math.Max(stored.Judging, 1), Judgings = stored.Judgings.IsDefault ? [] : stored.Judgings };
        // A submission that was accepted but not finished (its silo died, or it was deactivated) resumes judging. The lost
        // activation may have published progress to the live feed under revisions it never stored: skip past them.
        if (Unfinished)
        {
            state.State.Revision += RevisionGap;
            StartDispatch();
        }
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
            SubmittedBy = request.SubmittedBy,
            Judging = 1,
        };
        await WriteStateAsync();
        metrics.Accepted(request.Language);
        submitTrace = Activity.Current?.Context;
        LogAccepted(logger, Id, request.Language, request.Problem);
        // Durable: if this activation dies with its silo, the reminder activates the grain again elsewhere. Not awaited
        // here: the reminder service of this grain's range may itself be on a silo that just died.
        _ = ChangeWatchdogAsync(register: true);
        StartDispatch();
        await resultsOut.AcceptedAsync(Id, request);
        return SubmitOutcome.Accepted;
    }

    public Task<Submission?> Get()
    {
        Materialize();
        return Task.FromResult(View);
    }

    public Task<SubmissionRequest?> GetRequest() => Task.FromResult(state.State.Request);

    public Task<SubmissionChange?> GetChange()
    {
        Materialize();
        return Task.FromResult(View is { } view ? new SubmissionChange(view, state.State.Revision) : null);
    }

    public async Task<Submission?> WaitForResult(TimeSpan timeout)
    {
        if (View is null)
            return null;
        await Task.WhenAny(finished.Task, Task.Delay(timeout, time));
        Materialize();
        return View;
    }

    public async Task<bool> ReportProgress(int attempt, JudgeProgress progress)
    {
        if (stale)
            throw new InvalidOperationException($"this activation of {Id} is stale and deactivating; report again");
        if (attempt != state.State.Attempt || attempt <= state.State.JudgingAttemptBase || View is not { Status: not SubmissionStatus.Finished } view)
            return false; // a late report of an attempt that was replaced, or of a finished submission: stop it

        lastHeard = time.GetUtcNow();
        switch (progress.Kind)
        {
            case JudgeProgressKind.Compiling:
                await ChangeAsync(view with { Status = SubmissionStatus.Compiling, StartedAt = time.GetUtcNow() });
                break;
            case JudgeProgressKind.Compiled:
                await ChangeAsync(view with { Status = SubmissionStatus.Running, CompileOutput = progress.CompileOutput, TestCount = progress.TestCount });
                break;
            case JudgeProgressKind.TestStarted:
                Progress(view, progress.TestName, []);
                break;
            case JudgeProgressKind.TestJudged when progress.Result is { } result && progress.TestIndex == JudgedCount:
                Progress(view, view.CurrentTest, [result]);
                break;
            case JudgeProgressKind.TestsJudged when progress.TestIndex <= JudgedCount && progress.TestIndex + progress.Results.Length >= JudgedCount:
                // A retried batch may overlap what arrived: only the results past it are new.
                Progress(view, progress.TestName, progress.Results.AsSpan()[(JudgedCount - progress.TestIndex)..]);
                break;
            default:
                return true;
        }
        if (unsaved >= CheckpointChanges || (unsaved > 0 && time.GetElapsedTime(lastWritten) >= CheckpointInterval))
            await WriteStateAsync();
        else if (unpublished)
            PublishLive();
        return true;
    }

    private int JudgedCount => judged?.Count ?? View!.Tests.Length;

    /// <summary>Stores a change of the lifecycle (not of test progress) at once.</summary>
    private async Task ChangeAsync(Submission next)
    {
        Materialize();
        state.State.Submission = next with { Tests = View!.Tests };
        await WriteStateAsync();
    }

    /// <summary>Test progress, in memory: it reaches the live feed now or soon, and storage at the next checkpoint.</summary>
    private void Progress(Submission view, string? current, ReadOnlySpan<TestResult> results)
    {
        if (view.Status != SubmissionStatus.Running || view.CurrentTest != current)
            state.State.Submission = view with { Status = SubmissionStatus.Running, CurrentTest = current };
        if (results.Length > 0)
        {
            judged ??= [.. view.Tests];
            judged.AddRange(results);
            judgedAhead = true;
        }
        unsaved++;
        unpublished = true;
    }

    /// <summary>Brings <see cref="View"/>'s tests up to date with the progress held in memory.</summary>
    private void Materialize()
    {
        if (!judgedAhead || View is not { } view)
            return;
        state.State.Submission = view with { Tests = [.. judged!] };
        judgedAhead = false;
    }

    /// <summary>Forgets the progress held in memory: the view's tests were reset (a new attempt or judging) or are final.</summary>
    private void ResetProgress()
    {
        judged = null;
        judgedAhead = false;
    }

    /// <summary>Publishes progress to the live feed under a revision that is not stored (the next write stores a higher
    /// one), at most once per <see cref="LiveInterval"/>; a change that comes sooner goes out from a timer. (Writes do not
    /// count: the first test's start, right after the compiled state is written, shows at once.)</summary>
    private void PublishLive()
    {
        if (writing.CurrentCount == 0 || !Unfinished)
            return; // a write in progress publishes the latest view when it is done
        var wait = LiveInterval - time.GetElapsedTime(lastPublished);
        if (wait > TimeSpan.Zero)
        {
            liveTimer ??= this.RegisterGrainTimer(_ =>
            {
                liveTimer?.Dispose();
                liveTimer = null;
                if (unpublished)
                    PublishLive();
                return Task.CompletedTask;
            }, new GrainTimerCreationOptions { DueTime = wait, Period = Timeout.InfiniteTimeSpan, Interleave = true });
            return;
        }
        Materialize();
        state.State.Revision++;
        feed.Publish(View!, state.State.Revision);
        lastPublished = time.GetTimestamp();
        unpublished = false;
    }

    public async Task ReportResult(int attempt, JudgeResult result)
    {
        // Any attempt of the current judging may finish it; an attempt of an earlier judging (at or below the base) may not.
        if (attempt <= state.State.Attempt && attempt > state.State.JudgingAttemptBase && Unfinished)
            await FinishAsync(result, attempt);
    }

    public Task Resume()
    {
        if (Unfinished)
            StartDispatch();
        return Task.CompletedTask;
    }

    public async Task<RejudgeAnswer> Rejudge(int? expectedJudging = null)
    {
        if (View is not { } view || state.State.Request is not { } request)
            return new RejudgeAnswer(RejudgeOutcome.Unknown, 0);
        if (expectedJudging is { } expected && expected != view.Judging)
        {
            // A retried call whose first try started the next judging changes nothing more (but repairs the tracking of its
            // result, in case the first try failed after storing the judging).
            if (expected + 1 != view.Judging)
                return new RejudgeAnswer(RejudgeOutcome.JudgingMismatch, view.Judging);
            await resultsOut.RejudgedAsync(Id, request, view.Judging);
            return new RejudgeAnswer(RejudgeOutcome.AlreadyStarted, view.Judging);
        }
        if (view.Status != SubmissionStatus.Finished)
            return new RejudgeAnswer(RejudgeOutcome.NotFinished, view.Judging);

        var judging = view.Judging + 1;
        ResetProgress();
        state.State.JudgingAttemptBase = state.State.Attempt;
        state.State.Submission = view with
        {
            Status = SubmissionStatus.Queued,
            Verdict = null,
            Score = null,
            MaxScore = null,
            TimeMs = null,
            MemoryKb = null,
            CompileOutput = null,
            Tests = [],
            TestCount = null,
            CurrentTest = null,
            Message = null,
            JudgedBy = null,
            StartedAt = null,
            FinishedAt = null,
            Judging = judging,
            Judgings = view.Judgings.Add(new JudgingSummary(view.Judging, view.Verdict!.Value, view.Score, view.MaxScore, view.TimeMs,
                view.MemoryKb, view.StartedAt, view.FinishedAt, view.JudgedBy)),
        };
        finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await WriteStateAsync();
        LogRejudging(logger, Id, judging, view.Verdict.ToString()!);
        _ = ChangeWatchdogAsync(register: true);
        StartDispatch();
        await resultsOut.RejudgedAsync(Id, request, judging);
        return new RejudgeAnswer(RejudgeOutcome.Started, judging);
    }

    private async Task WriteStateAsync()
    {
        await writing.WaitAsync();
        try
        {
            Materialize();
            unsaved = 0;
            lastWritten = time.GetTimestamp();
            state.State.Revision++;
            try
            {
                await state.WriteStateAsync();
            }
            catch (InconsistentStateException e)
            {
                // Another activation of this submission wrote since this one read: a duplicate left by a membership
                // change. This one's state is stale; it goes, and the next call reaches the one that wrote.
                LogStale(logger, e, Id);
                stale = true;
                DeactivateOnIdle();
                throw;
            }
            // Published in write order, after the state is safe; the revision keeps late copies from winning. Progress
            // that came during the write goes with it.
            Materialize();
            feed.Publish(View!, state.State.Revision);
            unpublished = false;
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

    /// <summary>Starts the dispatch loop unless it runs: a one-shot timer that interleaves, so the long judging does not
    /// block Get, WaitForResult or progress reports.</summary>
    private void StartDispatch()
    {
        if (dispatching)
            return;
        dispatching = true;
        dispatch?.Dispose();
        dispatch = this.RegisterGrainTimer(DispatchAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = true,
        });
    }

    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        using var span = JudgingMetrics.Source.StartActivity("judge submission", ActivityKind.Internal, submitTrace ?? default);
        span?.SetTag("judge.submission", Id);
        try
        {
            await JudgeUntilFinishedAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // deactivating: the next activation resumes
        }
        catch (InconsistentStateException) when (stale)
        {
            // logged where it was found; this activation deactivates
        }
        finally
        {
            dispatching = false;
            // A rejudge that came while this loop was finishing the previous judging left the new one to this loop's end.
            if (dispatchedJudging is { } done && !stale && !cancellationToken.IsCancellationRequested && View is { Status: not SubmissionStatus.Finished } view && view.Judging != done)
                StartDispatch();
        }
    }

    private async Task JudgeUntilFinishedAsync(CancellationToken cancellationToken)
    {
        var request = state.State.Request!;
        var judging = View!.Judging;
        dispatchedJudging = judging;
        var failures = 0;
        Exception? lastError = null;

        // An attempt of this judging that this activation inherited may still be judged by a live worker: listen before
        // judging again. (An attempt at or below the base belongs to an earlier judging, which is over.)
        if (state.State.Attempt > state.State.JudgingAttemptBase)
        {
            lastHeard = time.GetUtcNow();
            if (await WatchAsync(call: null, judging, cancellationToken) == Outcome.Finished)
                return;
            LogInheritedSilent(logger, Id, state.State.Attempt, recovery.StallTimeout);
        }

        while (Judges(judging))
        {
            if (!languages.IsOffered(request.Language))
            {
                await FinishAsync(new JudgeResult(Verdict.IE, null, [], $"no silo in the cluster offers language '{request.Language}'", ""), attempt: null);
                return;
            }
            if (drain.IsDraining)
            {
                // This silo is shutting down: leave the submission to a live silo, where SubmissionRecovery wakes it.
                LogLeaving(logger, Id);
                DeactivateOnIdle();
                return;
            }

            state.State.Attempt++;
            ResetProgress();
            state.State.Submission = View! with { Status = SubmissionStatus.Queued, Tests = [], CurrentTest = null, TestCount = null, StartedAt = null };
            await WriteStateAsync();
            var attempt = state.State.Attempt;
            lastHeard = time.GetUtcNow();
            var worker = GrainFactory.GetGrain<IJudgeWorker>(GrainId.Create(IJudgeWorker.GrainTypeOf(request.Language), $"{Id}#{attempt}"));
            var call = worker.Judge(new JudgeJob(Id, attempt, request) { Judging = judging });
            switch (await WatchAsync(call, judging, cancellationToken))
            {
                case Outcome.Finished:
                    return;
                case Outcome.Stalled:
                    Forget(call);
                    lastError = new TimeoutException($"no word from the worker of attempt {attempt} for {recovery.StallTimeout}");
                    LogAttemptSilent(logger, Id, attempt, recovery.StallTimeout);
                    break;
                default:
                    try
                    {
                        await FinishAsync(await call, attempt);
                        return;
                    }
                    catch (JudgeHandedBackException e)
                    {
                        LogHandedBack(logger, Id, attempt, e.Silo);
                        await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
                        continue;
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        lastError = e;
                        LogAttemptFailed(logger, e, Id, attempt);
                    }
                    break;
            }

            if (++failures >= MaxAttempts)
                break;
            await Task.Delay(TimeSpan.FromSeconds(failures), time, cancellationToken);
        }

        if (Judges(judging))
        {
            await FinishAsync(new JudgeResult(Verdict.IE, null, [],
                $"judging failed {MaxAttempts} times; last error: {lastError?.GetBaseException().Message ?? "unknown"}", ""), attempt: null);
        }
    }

    private enum Outcome { Finished, Returned, Stalled }

    /// <summary>Waits until judging <paramref name="judging"/> is finished (a result reported by any of its attempts) or
    /// replaced by a rejudge, the judge call returns, or the current attempt's worker has been silent for the stall timeout.</summary>
    private async Task<Outcome> WatchAsync(Task<JudgeResult>? call, int judging, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!Judges(judging))
                return Outcome.Finished;
            if (call is { IsCompleted: true })
                return Outcome.Returned;
            var silence = time.GetUtcNow() - lastHeard;
            if (silence >= recovery.StallTimeout)
                return Outcome.Stalled;
            var wait = Task.Delay(recovery.StallTimeout - silence, time, cancellationToken);
            await (call is null ? Task.WhenAny(finished.Task, wait) : Task.WhenAny(finished.Task, wait, call));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>An abandoned judge call still completes some day; observe its failure so it is not reported as unobserved.</summary>
    private static void Forget(Task call) =>
        call.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private async Task FinishAsync(JudgeResult result, int? attempt)
    {
        if (!Unfinished)
            return; // the first final result wins: a later attempt's result changes nothing
        if (attempt <= state.State.JudgingAttemptBase)
            return; // an attempt of an earlier judging, returning after a rejudge started this one
        Materialize();
        ResetProgress();
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
        metrics.Finished(View!);
        LogFinished(logger, Id, result.Verdict.ToString(), result.JudgedBy, attempt ?? state.State.Attempt);
        finished.TrySetResult();
        _ = ChangeWatchdogAsync(register: false);
        await resultsOut.FinishedAsync(Id, state.State.Request!, View!);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != WatchdogReminder)
            return Task.CompletedTask;
        // Being activated was most of the point: OnActivateAsync has resumed an unfinished submission already.
        if (Unfinished)
            StartDispatch();
        else
            _ = ChangeWatchdogAsync(register: false);
        return Task.CompletedTask;
    }

    /// <summary>Registers or removes the watchdog outside any turn that others wait for: the reminder service that owns
    /// this grain's range may be on a silo that has just died, and its calls then wait for the membership to notice.</summary>
    private async Task ChangeWatchdogAsync(bool register)
    {
        try
        {
            if (register)
                await this.RegisterOrUpdateReminder(WatchdogReminder, WatchdogPeriod, WatchdogPeriod);
            else if (await this.GetReminder(WatchdogReminder) is { } reminder)
                await this.UnregisterReminder(reminder);
        }
        catch (Exception e)
        {
            // Registering: the results sweep after a silo death still wakes it. Removing: it fires once more and goes then.
            LogWatchdogChangeFailed(logger, e, Id, register ? "registering" : "removing");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Another activation of {SubmissionId} has written its state; this one is stale and deactivates")]
    private static partial void LogStale(ILogger logger, Exception exception, string submissionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Change} the watchdog reminder of {SubmissionId} failed")]
    private static partial void LogWatchdogChangeFailed(ILogger logger, Exception exception, string submissionId, string change);

    [LoggerMessage(Level = LogLevel.Information, Message = "Attempt {Attempt} of {SubmissionId}, inherited from a lost activation, was silent for {Timeout}; judging again")]
    private static partial void LogInheritedSilent(ILogger logger, string submissionId, int attempt, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The worker of attempt {Attempt} of {SubmissionId} was silent for {Timeout}; judging again")]
    private static partial void LogAttemptSilent(ILogger logger, string submissionId, int attempt, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Attempt {Attempt} of {SubmissionId} was handed back by {Silo}, which shuts down; judging it elsewhere")]
    private static partial void LogHandedBack(ILogger logger, string submissionId, int attempt, string silo);

    [LoggerMessage(Level = LogLevel.Information, Message = "{SubmissionId} leaves this silo, which shuts down")]
    private static partial void LogLeaving(ILogger logger, string submissionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejudging {SubmissionId} as judging {Judging} (the previous verdict was {Verdict})")]
    private static partial void LogRejudging(ILogger logger, string submissionId, int judging, string verdict);

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted {SubmissionId} in {Language} for {Problem}")]
    private static partial void LogAccepted(ILogger logger, string submissionId, string language, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Judging attempt {Attempt} of {SubmissionId} failed")]
    private static partial void LogAttemptFailed(ILogger logger, Exception exception, string submissionId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing revision {Revision} of {SubmissionId} failed; retrying")]
    private static partial void LogPublishRetry(ILogger logger, Exception exception, string submissionId, long revision);

    [LoggerMessage(Level = LogLevel.Error, Message = "Publishing revision {Revision} of {SubmissionId} failed; the next write or activation publishes it")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string submissionId, long revision);

    [LoggerMessage(Level = LogLevel.Information, Message = "Finished {SubmissionId}: {Verdict} (attempt {Attempt}, judged by {Silo})")]
    private static partial void LogFinished(ILogger logger, string submissionId, string verdict, string silo, int attempt);
}
