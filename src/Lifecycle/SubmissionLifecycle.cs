using Judge.Abstractions;
using Judge.Interfaces;
using Microsoft.Extensions.Logging;

namespace Judge.Lifecycle;

/// <summary>The lifecycle of one submission as plain code: accepts it once (a duplicate is answered, a different body under
/// the same id is a conflict), hands it to workers in attempts until one finishes it, keeps progress in memory and stores
/// it at checkpoints, and computes the final totals. Its host (the submission grain) holds the record and routes calls.</summary>
/// <remarks>
/// Liveness has one rule, the attempt's lease (<see cref="AttemptLease"/>): the current attempt is alive while its worker
/// was heard within <see cref="LifecycleSettings.StallTimeout"/>, or, while its job waits for a judging slot, while the silo
/// it waits on is alive; a judge call that fails ends it at once; an activation
/// that inherits an unfinished attempt gives it a fresh lease before judging again. Everything else that watches liveness
/// only wakes the submission: the host's watchdog reminder and the cluster's recovery sweep call <see cref="Wake"/>.
/// </remarks>
public sealed partial class SubmissionLifecycle(ISubmissionHost host, ISubmissionResults results, IResultsOut resultsOut,
    LifecycleSettings settings, TimeProvider time, ILogger logger)
{
    /// <summary>Failed or silent judging attempts before a submission is given up as a judge error. Attempts handed back by a
    /// host that shuts down do not count.</summary>
    public const int MaxAttempts = 3;

    /// <summary>Test progress is stored (record write and results) at most this many progress changes apart...</summary>
    public const int CheckpointChanges = 50;

    /// <summary>...or this long apart, and always at each lifecycle step; in between it goes to live observers only.
    /// Recovery does not depend on it: an attempt that is lost is judged again from its first test.</summary>
    public static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);

    /// <summary>Results judged up to which the checkpoint and live intervals stay as set; past it they grow in proportion, and
    /// a checkpoint waits for a third of the results to be new. Every checkpoint stores, and every live publication sends,
    /// the whole list of results: with fixed intervals a submission of n tests copied O(n²) results; with spacing that
    /// grows with n, it copies O(n) (the copies per second stay bounded).</summary>
    public const int SpacingFrom = 500;

    /// <summary>How far an activation that resumes an unfinished submission moves the revision past the stored one: more than
    /// the live publications a lost activation can have made since its last write, so observers take the new ones as newer
    /// (at most 50 by count; by time, with <see cref="SpacingFrom"/>'s spacing, at most about 1 s / 50 ms × 1.5 + 1 = 31).</summary>
    public const long RevisionGap = CheckpointChanges + 14;

    private readonly SemaphoreSlim writing = new(1, 1); // writes must not overlap (storage checks ETags)
    private TaskCompletionSource finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool dispatching;
    private int? dispatchedJudging;
    private Exception? staleCause; // why this copy is stale: a write that failed, or another copy's write
    private readonly TaskCompletionSource leaving = new(TaskCreationOptions.RunContinuationsAsynchronously); // set with staleCause
    private AttemptLease lease = new(time, settings.StallTimeout);
    private TaskCompletionSource? slotTaken; // wakes the watch of a queued attempt when its worker reports again

    // Progress between checkpoints: the tests judged so far, ahead of View.Tests while `judgedAhead`.
    private List<TestResult>? judged;
    private bool judgedAhead;
    private bool unpublished;
    private bool publishScheduled;
    private int unsaved;
    private long lastWritten, lastPublished;

    private ISubmissionRecord Record => host.Record;

    private string Id => host.Id;

    private Submission? View => Record.Submission;

    private bool Unfinished => View is { Status: not SubmissionStatus.Finished };

    private bool Judges(int judging) => View is { Status: not SubmissionStatus.Finished } view && view.Judging == judging;

    private int JudgedCount => judged?.Count ?? View!.Tests.Length;

    /// <summary>Whether this copy found that another one wrote since (it answers nothing more and goes away).</summary>
    public bool IsStale => staleCause is not null;

    /// <summary>Called once when the host has read the record: reads old records, resumes an unfinished submission and
    /// publishes again what is stored (repairing a publication lost with a crash).</summary>
    public async Task ActivateAsync()
    {
        // A record stored before rejudging existed has no judging number: it was the first judging.
        if (View is { } stored && (stored.Judging < 1 || stored.Judgings.IsDefault))
            Record.Submission = stored with { Judging = Math.Max(stored.Judging, 1), Judgings = stored.Judgings.IsDefault ? [] : stored.Judgings };
        if (Unfinished)
        {
            // The lost activation may have published progress live under revisions it never stored: skip past them.
            Record.Revision += RevisionGap;
            StartDispatch();
        }
        else if (View is not null)
            finished.TrySetResult();

        if (View is { } view)
            await RecordAsync(view, Record.Revision);
    }

    /// <summary>Accepts <paramref name="request"/> once: the same body again is a duplicate, a different one a conflict.</summary>
    public async Task<SubmitOutcome> SubmitAsync(SubmissionRequest request)
    {
        if (Record.Request is { } existing)
        {
            if (existing != request)
                return SubmitOutcome.Conflict;
            await resultsOut.AcceptedAsync(Id, existing); // repairs a publication a crash kept from being recorded
            return SubmitOutcome.Duplicate;
        }

        ThrowIfStale();
        Record.Request = request;
        Record.Submission = new Submission
        {
            Id = Id,
            Problem = request.Problem,
            Language = request.Language,
            Status = SubmissionStatus.Queued,
            CreatedAt = time.GetUtcNow(),
            SubmittedBy = request.SubmittedBy,
            Judging = 1,
        };
        try
        {
            await WriteAsync();
        }
        catch
        {
            // Not accepted: a retry must not be answered "duplicate" from memory (nothing would judge it). Storage may hold
            // it even so; this copy leaves (WriteAsync), and the copy that a retry reaches reads storage.
            (Record.Request, Record.Submission) = (null, null);
            throw;
        }
        host.CountAccepted(request.Language);
        LogAccepted(logger, Id, request.Language, request.Problem);
        host.ChangeWatchdog(register: true);
        StartDispatch();
        await resultsOut.AcceptedAsync(Id, request);
        return SubmitOutcome.Accepted;
    }

    /// <summary>The submission as clients see it, progress included.</summary>
    public Submission? Current
    {
        get
        {
            Materialize();
            return View;
        }
    }

    /// <summary>The current view and its revision.</summary>
    public SubmissionChange? Change => Current is { } view ? new SubmissionChange(view, Record.Revision) : null;

    /// <summary>The submission once its current judging finished, or as it is after <paramref name="timeout"/>.
    /// Throws <see cref="SubmissionStaleException"/> when this copy is stale, or becomes stale while the caller waits: what it
    /// holds may not be stored, and it goes away; the caller waits again on the next copy (<see cref="SubmissionWaits"/>).</summary>
    public async Task<Submission?> WaitForResultAsync(TimeSpan timeout)
    {
        ThrowIfStale();
        if (View is null)
            return null;
        await Task.WhenAny(finished.Task, leaving.Task, Task.Delay(timeout, time));
        if (!finished.Task.IsCompleted)
            ThrowIfStale();
        return Current;
    }

    /// <summary>A worker's report on <paramref name="attempt"/>; <c>false</c> tells it that the attempt is no longer wanted.</summary>
    public async Task<bool> ReportProgressAsync(int attempt, JudgeProgress progress)
    {
        ThrowIfStale();
        if (attempt != Record.Attempt || attempt <= Record.JudgingAttemptBase || View is not { Status: not SubmissionStatus.Finished } view)
            return false; // a late report of an attempt that was replaced, or of a finished submission: stop it

        lease.Renew();
        lease.QueuedOn = progress.Kind == JudgeProgressKind.Queued ? progress.Silo ?? "" : null;
        if (lease.QueuedOn is null)
            slotTaken?.TrySetResult(); // the lease is the worker's heartbeats again
        switch (progress.Kind)
        {
            case JudgeProgressKind.Compiling:
                await StepAsync(view with { Status = SubmissionStatus.Compiling, StartedAt = time.GetUtcNow() });
                break;
            case JudgeProgressKind.Compiled:
                await StepAsync(view with { Status = SubmissionStatus.Running, CompileOutput = progress.CompileOutput, TestCount = progress.TestCount });
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
                return true; // a heartbeat, or queued for a slot: the lease is renewed
        }
        if (unsaved >= Math.Max(CheckpointChanges, JudgedCount / 3) || (unsaved > 0 && time.GetElapsedTime(lastWritten) >= Spaced(CheckpointInterval)))
            await WriteAsync();
        else if (unpublished)
            PublishLive();
        return true;
    }

    /// <summary>A worker's final result of <paramref name="attempt"/>: any attempt of the current judging may finish it.
    /// A stale copy throws <see cref="SubmissionStaleException"/>: the worker calls again, and reaches the next copy, which
    /// finishes the submission with it instead of judging it again.
    public async Task ReportResultAsync(int attempt, JudgeResult result)
    {
        ThrowIfStale();
        if (attempt <= Record.Attempt && attempt > Record.JudgingAttemptBase && Unfinished)
            await FinishAsync(result, attempt);
    }

    /// <summary>Something woke the submission (the watchdog, the recovery sweep, a client): an unfinished one judges on.
    /// Returns whether it is unfinished.</summary>
    public bool Wake()
    {
        if (Unfinished && !IsStale)
            StartDispatch(); // (a stale copy is leaving: the next one resumes)
        return Unfinished;
    }

    /// <summary>Judges a finished submission again; <paramref name="expectedJudging"/> makes a retried call start nothing more.</summary>
    public async Task<RejudgeAnswer> RejudgeAsync(int? expectedJudging)
    {
        if (View is not { } view || Record.Request is not { } request)
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

        ThrowIfStale();
        var judging = view.Judging + 1;
        var (attemptBase, judged) = (Record.JudgingAttemptBase, finished);
        ResetProgress();
        Record.JudgingAttemptBase = Record.Attempt;
        Record.Submission = view with
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
        try
        {
            await WriteAsync();
        }
        catch
        {
            // Not started: a retry must not be answered "already started" from memory (as for an accept above).
            (Record.Submission, Record.JudgingAttemptBase, finished) = (view, attemptBase, judged);
            throw;
        }
        LogRejudging(logger, Id, judging, view.Verdict.ToString()!);
        host.ChangeWatchdog(register: true);
        StartDispatch();
        await resultsOut.RejudgedAsync(Id, request, judging);
        return new RejudgeAnswer(RejudgeOutcome.Started, judging);
    }

    /// <summary>A stale copy decides nothing more: the caller retries, and reaches the next copy.</summary>
    private void ThrowIfStale()
    {
        if (staleCause is not null)
            throw new SubmissionStaleException(Id, staleCause is SubmissionStaleException ? "another activation wrote its state" : $"storing it failed: {staleCause.GetBaseException().Message}");
    }

    private void BecomeStale(Exception cause)
    {
        staleCause = cause;
        leaving.TrySetResult(); // the waits on this copy end, so that it can go
    }

    private void StartDispatch()
    {
        if (dispatching)
            return;
        dispatching = true;
        host.StartDispatch();
    }

    /// <summary>The dispatch loop, run by the host in a turn that interleaves with the others (so that the long judging does
    /// not block reads and reports): judges the current judging in attempts until one finishes it.</summary>
    public async Task DispatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            await JudgeUntilFinishedAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the host deactivates: the next activation resumes
        }
        catch (Exception) when (IsStale)
        {
            // a failed or stale write: logged where it was found; this copy goes away, and the next one resumes
        }
        finally
        {
            dispatching = false;
            // A rejudge that came while this loop was finishing the previous judging left the new one to this loop's end.
            if (dispatchedJudging is { } done && !IsStale && !cancellationToken.IsCancellationRequested && View is { Status: not SubmissionStatus.Finished } view && view.Judging != done)
                StartDispatch();
        }
    }

    private async Task JudgeUntilFinishedAsync(CancellationToken cancellationToken)
    {
        var request = Record.Request!;
        var judging = View!.Judging;
        dispatchedJudging = judging;
        var failures = 0;
        Exception? lastError = null;

        // An attempt of this judging that this activation inherited may still be judged by a live worker: it gets a lease
        // before judging again. (An attempt at or below the base belongs to an earlier judging, which is over.)
        if (Record.Attempt > Record.JudgingAttemptBase)
        {
            lease = new AttemptLease(time, settings.StallTimeout);
            if (await WatchAsync(call: null, judging, cancellationToken) == Outcome.Finished)
                return;
            LogInheritedSilent(logger, Id, Record.Attempt, settings.StallTimeout);
        }

        while (Judges(judging))
        {
            if (!host.IsOffered(request.Language))
            {
                await FinishAsync(new JudgeResult(Verdict.IE, null, [], $"no silo in the cluster offers language '{request.Language}'", ""), attempt: null);
                return;
            }
            if (host.IsDraining)
            {
                // This host is shutting down: leave the submission to a live one, where the recovery sweep wakes it.
                LogLeaving(logger, Id);
                host.Leave();
                return;
            }

            Record.Attempt++;
            ResetProgress();
            Record.Submission = View! with { Status = SubmissionStatus.Queued, Tests = [], CurrentTest = null, TestCount = null, StartedAt = null };
            await WriteAsync();
            var attempt = Record.Attempt;
            lease = new AttemptLease(time, settings.StallTimeout);
            var call = host.JudgeAsync(new JudgeJob(Id, attempt, request) { Judging = judging });
            switch (await WatchAsync(call, judging, cancellationToken))
            {
                case Outcome.Finished:
                    return;
                case Outcome.Stalled:
                    Forget(call);
                    lastError = new TimeoutException($"no word from the worker of attempt {attempt} for {settings.StallTimeout}");
                    LogAttemptSilent(logger, Id, attempt, settings.StallTimeout);
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
                    catch (Exception e) when (!IsStale && e is not SubmissionStaleException && (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
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

    /// <summary>Waits until judging <paramref name="judging"/> is finished (by any of its attempts) or replaced by a rejudge,
    /// the judge call returns, or the current attempt's lease runs out.</summary>
    private async Task<Outcome> WatchAsync(Task<JudgeResult>? call, int judging, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (IsStale)
            {
                // A report's write failed meanwhile: this copy leaves, and stops holding its activation. The worker sends its
                // result to the next copy.
                if (call is not null)
                    Forget(call);
                ThrowIfStale();
            }
            if (!Judges(judging))
                return Outcome.Finished;
            if (call is { IsCompleted: true })
                return Outcome.Returned;
            if (lease.QueuedOn is { } silo && call is not null)
            {
                // Queued: the job sends nothing until it has a slot (then it reports, which ends this), and no timer runs here;
                // the attempt ends when its call fails or the membership declares its silo dead.
                var gone = host.WhenSiloGone(silo);
                slotTaken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await Task.WhenAny(finished.Task, call, gone, slotTaken.Task, leaving.Task).WaitAsync(cancellationToken);
                if (gone.IsCompleted && lease.QueuedOn == silo && Judges(judging) && !call.IsCompleted)
                    return Outcome.Stalled;
                continue;
            }
            var remaining = lease.Remaining;
            if (remaining <= TimeSpan.Zero)
                return Outcome.Stalled;
            var wait = Task.Delay(remaining, time, cancellationToken);
            await (call is null ? Task.WhenAny(finished.Task, wait, leaving.Task) : Task.WhenAny(finished.Task, wait, call, leaving.Task));
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
        if (attempt <= Record.JudgingAttemptBase)
            return; // an attempt of an earlier judging, returning after a rejudge started this one
        ThrowIfStale();
        Materialize();
        ResetProgress();
        var judging = View!;
        Record.Submission = SubmissionTotals.Finish(judging, result, time.GetUtcNow());
        try
        {
            await WriteAsync();
        }
        catch
        {
            // Not known to be stored: this copy must not show or wait on a verdict that the next copy may not have.
            Record.Submission = judging;
            throw;
        }
        host.CountFinished(View!);
        LogFinished(logger, Id, result.Verdict.ToString(), result.JudgedBy, attempt ?? Record.Attempt);
        finished.TrySetResult();
        host.ChangeWatchdog(register: false);
        await resultsOut.FinishedAsync(Id, Record.Request!, View!);
    }

    /// <summary>Stores a step of the lifecycle (not of test progress) at once.</summary>
    private async Task StepAsync(Submission next)
    {
        Materialize();
        Record.Submission = next with { Tests = View!.Tests };
        await WriteAsync();
    }

    /// <summary>Test progress, in memory: it reaches live observers now or soon, and storage at the next checkpoint.</summary>
    private void Progress(Submission view, string? current, ReadOnlySpan<TestResult> results)
    {
        if (view.Status != SubmissionStatus.Running || view.CurrentTest != current)
            Record.Submission = view with { Status = SubmissionStatus.Running, CurrentTest = current };
        if (results.Length > 0)
        {
            judged ??= [.. view.Tests];
            judged.AddRange(results);
            judgedAhead = true;
        }
        unsaved++;
        unpublished = true;
    }

    /// <summary>Brings the view's tests up to date with the progress held in memory.</summary>
    private void Materialize()
    {
        if (!judgedAhead || View is not { } view)
            return;
        Record.Submission = view with { Tests = [.. judged!] };
        judgedAhead = false;
    }

    /// <summary>Forgets the progress held in memory: the view's tests were reset (a new attempt or judging) or are final.</summary>
    private void ResetProgress()
    {
        judged = null;
        judgedAhead = false;
    }

    /// <summary>Publishes progress live under a revision that is not stored (the next write stores a higher one), at most
    /// once per <see cref="LifecycleSettings.LiveInterval"/>; a change that comes sooner goes out when the host calls
    /// <see cref="PublishDue"/>. (Writes do not count: the first test's start, right after the compiled state is written,
    /// shows at once.)</summary>
    private void PublishLive()
    {
        if (writing.CurrentCount == 0 || !Unfinished)
            return; // a write in progress publishes the latest view when it is done
        var wait = Spaced(settings.LiveInterval) - time.GetElapsedTime(lastPublished);
        if (wait > TimeSpan.Zero)
        {
            if (!publishScheduled)
            {
                publishScheduled = true;
                host.SchedulePublish(wait);
            }
            return;
        }
        Materialize();
        Record.Revision++;
        host.PublishLive(View!, Record.Revision);
        lastPublished = time.GetTimestamp();
        unpublished = false;
    }

    /// <summary><paramref name="interval"/>, stretched in proportion to the results judged past <see cref="SpacingFrom"/>.</summary>
    private TimeSpan Spaced(TimeSpan interval) =>
        JudgedCount <= SpacingFrom ? interval : interval * (JudgedCount / (double)SpacingFrom);

    /// <summary>The delay asked for by <see cref="ISubmissionHost.SchedulePublish"/> is over: publishes what is unpublished.</summary>
    public void PublishDue()
    {
        publishScheduled = false;
        if (unpublished)
            PublishLive();
    }

    private async Task WriteAsync()
    {
        await writing.WaitAsync();
        try
        {
            Materialize();
            unsaved = 0;
            lastWritten = time.GetTimestamp();
            Record.Revision++;
            try
            {
                await host.WriteAsync();
            }
            catch (SubmissionStaleException e)
            {
                // Another copy of this submission wrote since this one read: a duplicate left by a membership change.
                LogStale(logger, e, Id);
                BecomeStale(e);
                throw;
            }
            catch (Exception e)
            {
                // Storage did not take the write, or took it and the answer was lost (a timeout can come after the commit):
                // this copy no longer knows what is stored, and what it holds in memory may be ahead of it (a verdict, an
                // accept). It leaves; the next copy (woken by a retried call, a worker's report, the watchdog or the
                // recovery sweep) reads storage and resumes from there.
                LogWriteFailed(logger, e, Id);
                BecomeStale(e);
                host.Leave();
                throw;
            }
            // Published in write order, after the record is safe; the revision keeps late copies from winning. Progress that
            // came during the write goes with it.
            Materialize();
            host.PublishLive(View!, Record.Revision);
            unpublished = false;
            await RecordAsync(View!, Record.Revision);
        }
        finally
        {
            writing.Release();
        }
    }

    private async Task RecordAsync(Submission view, long revision)
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
                // The record is stored; the next write, or the next activation, publishes it again.
                LogPublishFailed(logger, e, Id, revision);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing {SubmissionId} failed; this activation deactivates, and the next one resumes from what is stored")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string submissionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Another activation of {SubmissionId} has written its state; this one is stale and deactivates")]
    private static partial void LogStale(ILogger logger, Exception exception, string submissionId);

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

/// <summary>The timings of a submission's lifecycle (from <c>Judge:Recovery</c> and the live feed).</summary>
/// <param name="StallTimeout">How long an attempt's worker may stay silent before the attempt is given up (its lease).</param>
/// <param name="LiveInterval">The least time between two live publications of progress between checkpoints.</param>
public sealed record LifecycleSettings(TimeSpan StallTimeout, TimeSpan LiveInterval);
