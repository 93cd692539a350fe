using System.Diagnostics;
using Judge.Abstractions;
using Judge.Grains.Feed;
using Judge.Grains.Options;
using Judge.Grains.Telemetry;
using Judge.Grains.Toolchains;
using Judge.Grains.Workers;
using Judge.Interfaces;
using Judge.Lifecycle;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Storage;

namespace Judge.Grains.Submissions;

/// <summary>Holds one submission's state and routes: its lifecycle (accept, attempts and recovery, progress, the verdict)
/// is <see cref="SubmissionLifecycle"/>; this grain gives it storage, workers of the submission's language, grain timers,
/// the watchdog reminder and the live feed.</summary>
[GrainType("submission")]
public sealed partial class SubmissionGrain : Grain, ISubmissionGrain, IRemindable, ISubmissionHost
{
    /// <summary>The durable reminder that wakes an unfinished submission whose activation was lost with its silo, when
    /// nothing else did (a worker's heartbeat, <see cref="SubmissionRecovery"/> or a client's request reactivates it sooner).</summary>
    internal const string WatchdogReminder = "watchdog";

    /// <summary>How often the watchdog fires while a submission is unfinished.</summary>
    internal static readonly TimeSpan WatchdogPeriod = TimeSpan.FromMinutes(1);

    /// <summary>The grain storage provider that holds submissions.</summary>
    public const string StorageName = StorageNames.Submissions;

    private readonly IPersistentState<SubmissionState> state;
    private readonly SlotBoard slotBoard;
    private readonly ClusterLanguages languages;
    private readonly JudgeDrain drain;
    private readonly SubmissionFeed feed;
    private readonly JudgingMetrics metrics;
    private readonly SiloDeaths siloDeaths;
    private readonly ILogger logger;
    private readonly SubmissionLifecycle lifecycle;
    private IGrainTimer? dispatch, publish;
    private ActivityContext? submitTrace; // the request that submitted: the judging, started from a timer, continues its trace

    public SubmissionGrain([PersistentState("submission", StorageName)] IPersistentState<SubmissionState> state, ClusterLanguages languages,
        ISubmissionResults results, JudgeDrain drain, IOptions<JudgingOptions> options, IResultsOut resultsOut, SubmissionFeed feed,
        TimeProvider time, JudgingMetrics metrics, SiloDeaths siloDeaths, SlotBoard slotBoard, ILogger<SubmissionGrain> logger)
    {
        (this.state, this.languages, this.drain, this.feed, this.metrics, this.logger) = (state, languages, drain, feed, metrics, logger);
        (this.siloDeaths, this.slotBoard) = (siloDeaths, slotBoard);
        lifecycle = new SubmissionLifecycle(this, results, resultsOut,
            new LifecycleSettings(options.Value.Recovery.StallTimeout, SubmissionFeed.BatchDelay), time, logger);
    }

    public string Id => this.GetPrimaryKeyString();

    public ISubmissionRecord Record => state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken) => lifecycle.ActivateAsync();

    public Task<SubmitOutcome> Submit(SubmissionRequest request)
    {
        submitTrace = Activity.Current?.Context;
        return lifecycle.SubmitAsync(request);
    }

    public Task<Submission?> Get() => Task.FromResult(lifecycle.Current);

    public Task<SubmissionRequest?> GetRequest() => Task.FromResult(state.State.Request);

    public Task<SubmissionChange?> GetChange() => Task.FromResult(lifecycle.Change);

    public Task<Submission?> WaitForResult(TimeSpan timeout) => lifecycle.WaitForResultAsync(timeout);

    public Task<bool> ReportProgress(int attempt, JudgeProgress progress) => lifecycle.ReportProgressAsync(attempt, progress);

    public Task ReportResult(int attempt, JudgeResult result) => lifecycle.ReportResultAsync(attempt, result);

    public Task Resume()
    {
        lifecycle.Wake();
        return Task.CompletedTask;
    }

    public Task<RejudgeAnswer> Rejudge(int? expectedJudging = null) => lifecycle.RejudgeAsync(expectedJudging);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Being activated was most of the point: activation has resumed an unfinished submission already.
        if (reminderName == WatchdogReminder && !lifecycle.Wake())
            ChangeWatchdog(register: false);
        return Task.CompletedTask;
    }

    async Task ISubmissionHost.WriteAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException e)
        {
            // Another activation wrote since this one read: this one goes, and the next call reaches the one that wrote.
            DeactivateOnIdle();
            throw new SubmissionStaleException(Id, $"another activation wrote its state: {e.Message}");
        }
    }

    async Task<JudgeResult> ISubmissionHost.JudgeAsync(JudgeJob job)
    {
        var worker = GrainId.Create(IJudgeWorker.GrainTypeOf(job.Request.Language), $"{Id}#{job.Attempt}");
        try
        {
            return await GrainFactory.GetGrain<IJudgeWorker>(worker).Judge(job);
        }
        catch (SiloUnavailableException)
        {
            // the next attempt goes elsewhere while another silo can take it (a host cut off but not yet declared dead)
            slotBoard.Unreachable(worker);
            throw;
        }
    }

    bool ISubmissionHost.IsOffered(string language) => languages.IsOffered(language);

    Task ISubmissionHost.WhenSiloGone(string silo) => siloDeaths.WhenGone(silo);

    bool ISubmissionHost.IsDraining => drain.IsDraining;

    void ISubmissionHost.Leave() => DeactivateOnIdle();

    /// <summary>The dispatch loop runs from a one-shot timer that interleaves, so the long judging does not block Get,
    /// WaitForResult or progress reports.</summary>
    void ISubmissionHost.StartDispatch()
    {
        dispatch?.Dispose();
        dispatch = this.RegisterGrainTimer(async cancellationToken =>
        {
            using var span = JudgingMetrics.Source.StartActivity("judge submission", ActivityKind.Internal, submitTrace ?? default);
            span?.SetTag("judge.submission", Id);
            await lifecycle.DispatchAsync(cancellationToken);
        }, new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan, Interleave = true });
    }

    void ISubmissionHost.SchedulePublish(TimeSpan delay)
    {
        publish?.Dispose();
        publish = this.RegisterGrainTimer(() =>
        {
            lifecycle.PublishDue();
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions { DueTime = delay, Period = Timeout.InfiniteTimeSpan, Interleave = true });
    }

    /// <summary>Registers or removes the watchdog outside any turn that others wait for: the reminder service that owns
    /// this grain's range may be on a silo that has just died, and its calls then wait for the membership to notice.</summary>
    public void ChangeWatchdog(bool register) => _ = ChangeWatchdogAsync(register);

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

    void ISubmissionHost.PublishLive(Submission submission, long revision) => feed.Publish(submission, revision);

    void ISubmissionHost.CountAccepted(string language) => metrics.Accepted(language);

    void ISubmissionHost.CountFinished(Submission submission) => metrics.Finished(submission);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Change} the watchdog reminder of {SubmissionId} failed")]
    private static partial void LogWatchdogChangeFailed(ILogger logger, Exception exception, string submissionId, string change);
}
