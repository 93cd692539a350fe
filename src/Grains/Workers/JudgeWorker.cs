using Judge.Engine.Judging;
using Judge.Engine.Problems;
using Judge.Grains.Feed;
using Judge.Grains.Options;
using Judge.Grains.Telemetry;
using Judge.Grains.Toolchains;
using Judge.Interfaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Judge.Grains.Workers;

/// <summary>Judges submissions of one language on this silo; each language's subclass has its own pinned grain type.
/// While it holds a judging slot it sends its submission a heartbeat every <see cref="RecoveryOptions.Heartbeat"/>; while it
/// waits for one it has said once that it is queued here and sends nothing (a queued job costs no calls). It stops when the
/// submission no longer wants the job or when the silo shuts down.</summary>
public abstract partial class JudgeWorker(JudgeWorkerServices services) : Grain, IJudgeWorker
{
    private readonly IProblemSource problems = services.Problems;
    private readonly ToolchainInventory toolchains = services.Toolchains;
    private readonly SubmissionJudge judge = services.Judge;
    private readonly JudgeSlots slots = services.Slots;
    private readonly JudgeDrain drain = services.Drain;
    private readonly RecoveryOptions recovery = services.Options.Value.Recovery;
    private readonly TimeProvider time = services.Time;
    private readonly ILocalSiloDetails silo = services.Silo;
    private readonly ILogger logger = services.Logger;
    private readonly JudgeRunCounter runs = services.Runs;
    private readonly JudgingOptions settings = services.Options.Value; // Judge:FanOut is read per job
    private readonly TestRangeDispatch ranges = services.Ranges;

    /// <summary>The language id this worker judges.</summary>
    protected abstract string LanguageId { get; }

    public async Task<JudgeResult> Judge(JudgeJob job)
    {
        var judgedBy = silo.SiloAddress.ToString();
        if (!toolchains.Available.TryGetValue(LanguageId, out var language))
            return Failure($"silo {judgedBy} does not offer language '{LanguageId}'", judgedBy);
        if (job.Request.Language != LanguageId)
            return Failure($"a {job.Request.Language} submission reached the {LanguageId} worker", judgedBy);
        var problem = await problems.FindAsync(job.Request.Problem);
        if (problem is null && problems.IsDeriving(job.Request.Problem))
            problem = await WaitForTimeLimitAsync(job, judgedBy);
        if (problem is null)
            return Failure(Unavailable(job.Request.Problem, judgedBy), judgedBy);
        if (drain.IsDraining)
            throw new JudgeHandedBackException(judgedBy);

        using var running = drain.Enter();
        using var span = JudgingMetrics.Source.StartActivity("judge attempt");
        span?.SetTag("judge.submission", job.SubmissionId);
        span?.SetTag("judge.attempt", job.Attempt);
        span?.SetTag("judge.language", LanguageId);
        span?.SetTag("judge.silo", judgedBy);
        // Cancelled when the submission lets go of this attempt (finished, or judged again elsewhere).
        using var unwanted = new CancellationTokenSource();
        var submission = GrainFactory.GetGrain<ISubmissionGrain>(job.SubmissionId);
        var progress = new ProgressReporter(submission, job.Attempt, unwanted, logger, job.SubmissionId, runs, time);
        var heartbeat = Task.CompletedTask;
        try
        {
            IDisposable slot;
            using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(unwanted.Token, drain.Stopping))
            {
                var acquiring = slots.AcquireAsync(job.IsRejudge, waiting.Token); // a rejudge waits behind first judgings
                if (!acquiring.IsCompleted) // said once; the submission then watches this silo's membership, not heartbeats
                    await progress.ReportAsync(new JudgeProgress(JudgeProgressKind.Queued) { Silo = judgedBy });
                slot = await acquiring;
            }
            heartbeat = HeartbeatAsync(progress, unwanted.Token);
            using (slot)
            {
                using var judging = CancellationTokenSource.CreateLinkedTokenSource(unwanted.Token, drain.HandBack);
                await progress.ReportAsync(new JudgeProgress(JudgeProgressKind.Compiling));
                LogJudging(logger, job.SubmissionId, LanguageId, problem.Id, judgedBy);
                JudgeResult result;
                try
                {
                    // Off the activation's scheduler: each test's sandbox answer then continues where it arrives (the
                    // sandbox client's reader thread, when it is the only run in flight) and the next test's request
                    // goes out from there, instead of waiting for the activation's turn on another thread. Progress is
                    // thread-safe (ProgressReporter), and everything after this await is back on the activation.
                    var remote = settings.FanOut ? ranges.For(job, problem) : null;
                    var source = job.Request.SourceContent();
                    var runAll = job.Request.RunAll;
                    var token = judging.Token;
                    var report = await Task.Run(() => settings.FanOut
                        ? judge.JudgeAsync(problem, language, source, progress, runAll, slots, remote, token)
                        : judge.JudgeAsync(problem, language, source, progress, runAll, token), CancellationToken.None);
                    LogJudged(logger, job.SubmissionId, LanguageId, report.Verdict.ToString());
                    result = report.ToContract(judgedBy);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    LogJudgeFailed(logger, e, job.SubmissionId, LanguageId);
                    result = Failure($"the judge failed on silo {judgedBy}: {e.Message}", judgedBy);
                }
                await progress.FlushAsync();
                await progress.ReportResultAsync(result);
                return result;
            }
        }
        catch (OperationCanceledException) when (drain.IsDraining && !unwanted.IsCancellationRequested)
        {
            LogHandedBack(logger, job.SubmissionId, job.Attempt);
            throw new JudgeHandedBackException(judgedBy);
        }
        finally
        {
            await unwanted.CancelAsync();
            await heartbeat;
            DeactivateOnIdle(); // one activation per job: the next job is placed afresh
        }
    }

    /// <summary>Waits while the problem's time limit is derived from its accepted submissions (bounded by the derivation's
    /// timeout), telling the submission that this worker is still on the job; the submission stays queued meanwhile.</summary>
    private async Task<Engine.Problems.Problem?> WaitForTimeLimitAsync(JudgeJob job, string judgedBy)
    {
        LogWaitingForTimeLimit(logger, job.SubmissionId, job.Request.Problem);
        var submission = GrainFactory.GetGrain<ISubmissionGrain>(job.SubmissionId);
        var ready = problems.WhenReadyAsync(job.Request.Problem, drain.Stopping);
        while (!ready.IsCompleted)
        {
            await Task.WhenAny(ready, Task.Delay(recovery.Heartbeat, time));
            if (ready.IsCompleted)
                break;
            try
            {
                if (!await submission.ReportProgress(job.Attempt, new JudgeProgress(JudgeProgressKind.Heartbeat)))
                    return null; // no longer wanted: whatever this attempt answers is ignored
            }
            catch (Exception e)
            {
                LogProgressLost(logger, e, job.SubmissionId, nameof(JudgeProgressKind.Heartbeat));
            }
        }

        try
        {
            return await ready;
        }
        catch (OperationCanceledException) when (drain.IsDraining)
        {
            throw new JudgeHandedBackException(judgedBy);
        }
    }

    /// <summary>Why a problem cannot be judged here: refused at load (with the reason), or unknown.</summary>
    private string Unavailable(string problemId, string judgedBy) =>
        problems.Errors.FirstOrDefault(e => e.Problem == problemId) is { } refused
            ? $"problem '{problemId}' is refused on silo {judgedBy}: {refused.File}: {refused.Reason}"
            : $"problem '{problemId}' is not available on silo {judgedBy}";

    private async Task HeartbeatAsync(ProgressReporter progress, CancellationToken stop)
    {
        using var ticks = new PeriodicTimer(recovery.Heartbeat, time);
        try
        {
            while (await ticks.WaitForNextTickAsync(stop))
                await progress.ReportAsync(new JudgeProgress(JudgeProgressKind.Heartbeat));
        }
        catch (OperationCanceledException)
        {
            // the job is over
        }
    }

    public Task<LanguageInfo> Describe()
    {
        var language = toolchains.Available[LanguageId];
        return Task.FromResult(new LanguageInfo(language.Id, language.Name, language.Version, language.DisplayName));
    }

    private static JudgeResult Failure(string message, string judgedBy) => new(Verdict.IE, null, [], message, judgedBy);

    /// <summary>Forwards engine progress to the submission grain; a lost report never fails the judging. When the
    /// submission answers that it no longer wants this attempt, the judging is cancelled. Test progress never makes the
    /// judging wait: it is queued and sent in batches (<see cref="JudgeProgressKind.TestsJudged"/>) by one sender, with
    /// one call in flight and at most one call per <see cref="BatchInterval"/>; a test that starts after a quiet spell is
    /// reported at once.</summary>
    private sealed class ProgressReporter(ISubmissionGrain submission, int attempt, CancellationTokenSource unwanted, ILogger logger, string submissionId,
        JudgeRunCounter runs, TimeProvider time) : IJudgeProgress
    {
        /// <summary>The least time between two test progress calls of one attempt.</summary>
        internal static readonly TimeSpan BatchInterval = TimeSpan.FromMilliseconds(25);

        private readonly Lock gate = new();
        private readonly List<TestResult> pending = [];
        private readonly TaskCompletionSource flushing = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int next;            // the index of the next test result the submission expects
        private string? current;     // the test running now
        private bool currentChanged;
        private bool sending;
        private Task sender = Task.CompletedTask;

        public Task CompiledAsync(string? compileOutput, int testCount) =>
            ReportAsync(new JudgeProgress(JudgeProgressKind.Compiled, TestCount: testCount, CompileOutput: compileOutput));

        public Task TestStartedAsync(int index, string name)
        {
            lock (gate)
            {
                current = name;
                currentChanged = true;
                Kick();
            }
            return Task.CompletedTask;
        }

        public Task TestJudgedAsync(int index, TestOutcome outcome)
        {
            runs.Add();
            lock (gate)
            {
                // The submission takes results in index order only (as it always did); one out of order is not sent.
                if (index == next + pending.Count)
                    pending.Add(outcome.ToContract());
                Kick();
            }
            return Task.CompletedTask;
        }

        /// <summary>Starts the sender unless it runs (under <see cref="gate"/>).</summary>
        private void Kick()
        {
            if (sending || flushing.Task.IsCompleted)
                return;
            sending = true;
            sender = SendAsync();
        }

        private async Task SendAsync()
        {
            await Task.Yield(); // the judging goes on; this continues on the worker's scheduler
            while (true)
            {
                JudgeProgress batch;
                lock (gate)
                {
                    if (pending.Count == 0 && !currentChanged)
                    {
                        sending = false;
                        return;
                    }
                    batch = new JudgeProgress(JudgeProgressKind.TestsJudged, next, current) { Results = [.. pending] };
                    next += pending.Count;
                    pending.Clear();
                    currentChanged = false;
                }
                var started = time.GetTimestamp();
                await ReportAsync(batch);
                var rest = BatchInterval - time.GetElapsedTime(started);
                if (rest > TimeSpan.Zero && !flushing.Task.IsCompleted)
                    await Task.WhenAny(Task.Delay(rest, time), flushing.Task);
            }
        }

        /// <summary>Sends what is queued and waits for it: called once, before the final result.</summary>
        public async Task FlushAsync()
        {
            Task last;
            lock (gate)
            {
                flushing.TrySetResult();
                last = sender;
            }
            await last;
            JudgeProgress? rest = null;
            lock (gate)
            {
                if (pending.Count > 0)
                    rest = new JudgeProgress(JudgeProgressKind.TestsJudged, next, current) { Results = [.. pending] };
                pending.Clear();
            }
            if (rest is not null)
                await ReportAsync(rest);
        }

        public async Task ReportAsync(JudgeProgress progress)
        {
            try
            {
                if (!await submission.ReportProgress(attempt, progress))
                {
                    LogUnwanted(logger, submissionId, attempt);
                    await unwanted.CancelAsync();
                }
            }
            catch (Exception e)
            {
                LogProgressLost(logger, e, submissionId, progress.Kind.ToString());
            }
        }

        /// <summary>How long after its first try the final result is tried again: a copy of the submission whose write failed
        /// (storage did not answer) leaves, and the next copy, which reads storage, finishes the submission with this result
        /// instead of judging it again after the attempt's lease.</summary>
        internal static readonly TimeSpan ResultRetryWindow = TimeSpan.FromSeconds(10);

        public async Task ReportResultAsync(JudgeResult result)
        {
            var started = time.GetTimestamp();
            for (var delay = TimeSpan.FromMilliseconds(250); ; delay *= 2)
            {
                try
                {
                    await submission.ReportResult(attempt, result);
                    return;
                }
                catch (Exception e) when (time.GetElapsedTime(started) + delay < ResultRetryWindow)
                {
                    LogResultRetry(logger, e, submissionId, delay);
                    await Task.Delay(delay, time);
                }
                catch (Exception e)
                {
                    // The judge call returns it too; if both are lost the submission judges again.
                    LogProgressLost(logger, e, submissionId, "result");
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Attempt {Attempt} of {SubmissionId} is no longer wanted; stopping it")]
    private static partial void LogUnwanted(ILogger logger, string submissionId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handing back attempt {Attempt} of {SubmissionId}: the silo is shutting down")]
    private static partial void LogHandedBack(ILogger logger, string submissionId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Submission {SubmissionId} waits for the time limit of problem {Problem} to be derived")]
    private static partial void LogWaitingForTimeLimit(ILogger logger, string submissionId, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Judging {SubmissionId} in {Language} on problem {Problem} at {Silo}")]
    private static partial void LogJudging(ILogger logger, string submissionId, string language, string problem, string silo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Judged {SubmissionId} in {Language}: {Verdict}")]
    private static partial void LogJudged(ILogger logger, string submissionId, string language, string verdict);

    [LoggerMessage(Level = LogLevel.Error, Message = "Judging {SubmissionId} in {Language} failed")]
    private static partial void LogJudgeFailed(ILogger logger, Exception exception, string submissionId, string language);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The result of {SubmissionId} could not be reported; trying again in {Delay}")]
    private static partial void LogResultRetry(ILogger logger, Exception exception, string submissionId, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Progress {Kind} of {SubmissionId} could not be reported")]
    private static partial void LogProgressLost(ILogger logger, Exception exception, string submissionId, string kind);
}

/// <summary>What every language's worker needs, in one piece so that a language's class stays one line of wiring.</summary>
public sealed class JudgeWorkerServices(
    IProblemSource problems,
    ToolchainInventory toolchains,
    SubmissionJudge judge,
    JudgeSlots slots,
    JudgeDrain drain,
    IOptions<JudgingOptions> options,
    TimeProvider time,
    ILocalSiloDetails silo,
    ILogger<JudgeWorker> logger,
    JudgeRunCounter runs,
    TestRangeDispatch ranges)
{
    public IProblemSource Problems { get; } = problems;
    public ToolchainInventory Toolchains { get; } = toolchains;
    public SubmissionJudge Judge { get; } = judge;
    public JudgeSlots Slots { get; } = slots;
    public JudgeDrain Drain { get; } = drain;
    public IOptions<JudgingOptions> Options { get; } = options;
    public TimeProvider Time { get; } = time;
    public ILocalSiloDetails Silo { get; } = silo;
    public ILogger<JudgeWorker> Logger { get; } = logger;
    public JudgeRunCounter Runs { get; } = runs;
    public TestRangeDispatch Ranges { get; } = ranges;
}
