using System.Threading.Channels;
using Judge.Abstractions;
using Judge.Interfaces;
using Judge.Lifecycle;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Judge.Lifecycle.UnitTests;

/// <summary>A submission's host for tests: one turn at a time (like a grain: interleaving only at awaits), fake time, a
/// record in memory, and workers whose attempts the test answers. Waits fail after a few real seconds, naming what they
/// waited for.</summary>
internal sealed class ScriptedHost : ISubmissionHost, IResultsOut, ISubmissionResults
{
    public static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan LiveInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan RealTimeout = TimeSpan.FromSeconds(10);

    private readonly TaskScheduler turns = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;
    private readonly Channel<Attempt> attempts = Channel.CreateUnbounded<Attempt>();
    private readonly CancellationTokenSource deactivated = new();

    public ScriptedHost(StoredRecord? stored = null, string id = "s1")
    {
        Id = id;
        Record = stored ?? new StoredRecord();
        Lifecycle = new SubmissionLifecycle(this, this, this, new LifecycleSettings(StallTimeout, LiveInterval), Time, NullLogger.Instance);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero));

    public SubmissionLifecycle Lifecycle { get; }

    public string Id { get; }

    public ISubmissionRecord Record { get; }

    private StoredRecord? lastStored;

    /// <summary>A copy of the record as the last write stored it (what the next activation would read), apart from what
    /// this copy holds in memory since.</summary>
    public StoredRecord Stored => lastStored?.Copy() ?? new StoredRecord();

    /// <summary>What each write stored, in order.</summary>
    public List<Submission?> Writes { get; } = [];

    /// <summary>What live observers were sent, in order.</summary>
    public List<(Submission Submission, long Revision)> Live { get; } = [];

    public List<string> Languages { get; } = ["cpp17", "python3"];

    public bool IsDraining { get; set; }

    public bool Left { get; private set; }

    public bool FailNextWriteAsStale { get; set; }

    /// <summary>The next write fails with this (storage did not answer), and stores nothing.</summary>
    public Exception? FailNextWrite { get; set; }

    public bool? Watchdog { get; private set; }

    public int Dispatches { get; private set; }

    public int Finished { get; private set; }

    public List<string> ResultsOut { get; } = [];

    /// <summary>Runs <paramref name="work"/> as a turn of this host.</summary>
    public Task<T> Turn<T>(Func<Task<T>> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, turns).Unwrap();

    public Task Turn(Func<Task> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, turns).Unwrap();

    /// <summary>Lets every turn that is ready run until all wait (on a worker, a report or fake time).</summary>
    public async Task SettleAsync()
    {
        for (var i = 0; i < 5; i++)
        {
            await Turn(() => Task.CompletedTask);
            await Task.Delay(1);
        }
    }

    /// <summary>Moves fake time on by <paramref name="by"/> and lets what that woke run.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        await SettleAsync();
        Time.Advance(by);
        await SettleAsync();
    }

    /// <summary>The next attempt handed to a worker.</summary>
    public async Task<Attempt> NextAttemptAsync(string phase)
    {
        using var timeout = new CancellationTokenSource(RealTimeout);
        try
        {
            var attempt = await attempts.Reader.ReadAsync(timeout.Token);
            await SettleAsync(); // the lifecycle now watches the attempt
            return attempt;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{phase}: no attempt of {Id} was handed to a worker within {RealTimeout.TotalSeconds} s");
        }
    }

    /// <summary>Whether an attempt was handed out that the test has not taken yet.</summary>
    public bool HasPendingAttempt => attempts.Reader.TryPeek(out _);

    /// <summary>Waits (in real time, bounded) until <paramref name="condition"/> holds.</summary>
    public async Task UntilAsync(Func<bool> condition, string phase)
    {
        var deadline = DateTime.UtcNow + RealTimeout;
        while (!await Turn(() => Task.FromResult(condition())))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{phase}: still not the case for {Id} after {RealTimeout.TotalSeconds} s");
            await Task.Delay(5);
        }
    }

    public Task<SubmitOutcome> SubmitAsync(SubmissionRequest request) => Turn(() => Lifecycle.SubmitAsync(request));

    public Task<bool> ReportAsync(int attempt, JudgeProgress progress) => Turn(() => Lifecycle.ReportProgressAsync(attempt, progress));

    public Task ResultAsync(int attempt, JudgeResult result) => Turn(() => Lifecycle.ReportResultAsync(attempt, result));

    public Task<Submission?> ViewAsync() => Turn(() => Task.FromResult(Lifecycle.Current));

    public Task ActivateAsync() => Turn(Lifecycle.ActivateAsync);

    Task ISubmissionHost.WriteAsync()
    {
        if (FailNextWriteAsStale)
        {
            FailNextWriteAsStale = false;
            return Task.FromException(new SubmissionStaleException(Id, "another activation wrote its state: etag mismatch"));
        }
        if (FailNextWrite is { } failure)
        {
            FailNextWrite = null;
            return Task.FromException(failure);
        }
        Writes.Add(Record.Submission);
        lastStored = ((StoredRecord)Record).Copy();
        return Task.CompletedTask;
    }

    Task<JudgeResult> ISubmissionHost.JudgeAsync(JudgeJob job)
    {
        var attempt = new Attempt(job);
        attempts.Writer.TryWrite(attempt);
        return attempt.Answer.Task;
    }

    bool ISubmissionHost.IsOffered(string language) => Languages.Contains(language);

    private readonly Dictionary<string, TaskCompletionSource> liveSilos = new()
    {
        ["silo-a"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        ["silo-b"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
    };

    /// <summary>The membership declares <paramref name="silo"/> dead.</summary>
    public void DeclareDead(string silo) => liveSilos[silo].TrySetResult();

    Task ISubmissionHost.WhenSiloGone(string silo) => liveSilos.TryGetValue(silo, out var gone) ? gone.Task : Task.CompletedTask;

    void ISubmissionHost.Leave()
    {
        Left = true;
        deactivated.Cancel();
    }

    void ISubmissionHost.StartDispatch()
    {
        Dispatches++;
        _ = Turn(() => Lifecycle.DispatchAsync(deactivated.Token));
    }

    void ISubmissionHost.SchedulePublish(TimeSpan delay) =>
        Time.CreateTimer(_ => Turn(() => { Lifecycle.PublishDue(); return Task.CompletedTask; }), null, delay, Timeout.InfiniteTimeSpan);

    void ISubmissionHost.ChangeWatchdog(bool register) => Watchdog = register;

    void ISubmissionHost.PublishLive(Submission submission, long revision) => Live.Add((submission, revision));

    void ISubmissionHost.CountAccepted(string language) { }

    void ISubmissionHost.CountFinished(Submission submission) => Finished++;

    string? IResultsOut.CheckCallback(string? callbackUrl) => null;

    Task IResultsOut.AcceptedAsync(string id, SubmissionRequest request)
    {
        ResultsOut.Add("accepted");
        return Task.CompletedTask;
    }

    Task IResultsOut.FinishedAsync(string id, SubmissionRequest request, Submission submission)
    {
        ResultsOut.Add($"finished {submission.Judging} {submission.Verdict}");
        return Task.CompletedTask;
    }

    Task IResultsOut.RejudgedAsync(string id, SubmissionRequest request, int judging)
    {
        ResultsOut.Add($"rejudged {judging}");
        return Task.CompletedTask;
    }

    Task ISubmissionResults.RecordAsync(Submission submission, long revision, CancellationToken cancellationToken) => Task.CompletedTask;

    Task<IReadOnlyList<string>> ISubmissionResults.ListUnfinishedAsync(int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>The record as the host stores it.</summary>
    public sealed class StoredRecord : ISubmissionRecord
    {
        public SubmissionRequest? Request { get; set; }
        public Submission? Submission { get; set; }
        public int Attempt { get; set; }
        public long Revision { get; set; }
        public int JudgingAttemptBase { get; set; }

        /// <summary>A copy of what is stored now (its values are immutable records).</summary>
        public StoredRecord Copy() => (StoredRecord)MemberwiseClone();
    }

    /// <summary>One attempt handed to a worker; the test answers it.</summary>
    public sealed class Attempt(JudgeJob job)
    {
        public JudgeJob Job { get; } = job;
        public TaskCompletionSource<JudgeResult> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Number => Job.Attempt;
    }
}
