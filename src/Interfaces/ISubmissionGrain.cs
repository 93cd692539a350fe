using Orleans.Concurrency;

namespace Judge.Interfaces;

/// <summary>One submission, keyed by its id: owns its state, dispatches judging, records progress.</summary>
[Alias("judge.ISubmissionGrain")]
public interface ISubmissionGrain : IGrainWithStringKey
{
    /// <summary>Accepts the submission for judging; idempotent for the same body.</summary>
    [Alias("Submit")]
    Task<SubmitOutcome> Submit(SubmissionRequest request);

    /// <summary>The submission as it is now, or <c>null</c> if this id was never submitted.</summary>
    [Alias("Get"), AlwaysInterleave]
    Task<Submission?> Get();

    /// <summary>The request as it was submitted (the stored source), or <c>null</c> if this id was never submitted.</summary>
    [Alias("GetRequest"), AlwaysInterleave]
    Task<SubmissionRequest?> GetRequest();

    /// <summary>Waits until the submission is finished or <paramref name="timeout"/> passes, then answers as <see cref="Get"/>.</summary>
    [Alias("WaitForResult"), AlwaysInterleave, ResponseTimeout("00:10:00")]
    Task<Submission?> WaitForResult(TimeSpan timeout);

    /// <summary>Progress (or a heartbeat) from the worker judging attempt <paramref name="attempt"/>. Answers whether that
    /// attempt is still wanted: <c>false</c> once the submission is finished or another attempt has replaced it, so the
    /// worker can stop. Interleaves, so a heartbeat is never queued behind a slow turn.</summary>
    [Alias("ReportProgress"), AlwaysInterleave]
    Task<bool> ReportProgress(int attempt, JudgeProgress progress);

    /// <summary>The final result of attempt <paramref name="attempt"/>, sent by its worker as well as returned from the
    /// judge call, so that it arrives even when the activation that made the call is gone. The first final result of any
    /// attempt is the submission's verdict; later ones change nothing.</summary>
    [Alias("ReportResult"), AlwaysInterleave]
    Task ReportResult(int attempt, JudgeResult result);

    /// <summary>Judges the stored source again as judging n+1, keeping judging n in <see cref="Submission.Judgings"/>. Only a
    /// finished submission can be rejudged. With <paramref name="expectedJudging"/>, only if judging
    /// <paramref name="expectedJudging"/> is the current one; a retried call that finds judging
    /// <paramref name="expectedJudging"/> + 1 already started answers <see cref="RejudgeOutcome.AlreadyStarted"/> and starts
    /// nothing. Calls are not interleaved: of two concurrent calls for the same finished judging, one starts a judging and
    /// the other finds it unfinished (or, with the same <paramref name="expectedJudging"/>, already started).</summary>
    [Alias("Rejudge")]
    Task<RejudgeAnswer> Rejudge(int? expectedJudging = null);

    /// <summary>Wakes the submission: an unfinished one resumes judging if nothing judges it; otherwise nothing happens.
    /// Called for the submissions of a silo that died, and by the watchdog.</summary>
    [Alias("Resume"), AlwaysInterleave]
    Task Resume();

    /// <summary>The submission as it is now with its state revision (the live feed's order), or <c>null</c> if this id was
    /// never submitted.</summary>
    [Alias("GetChange"), AlwaysInterleave]
    Task<SubmissionChange?> GetChange();
}

/// <summary>One step of judging, reported by a worker.</summary>
[GenerateSerializer, Immutable, Alias("judge.JudgeProgress")]
public sealed record JudgeProgress(
    [property: Id(0)] JudgeProgressKind Kind,
    [property: Id(1)] int TestIndex = -1,
    [property: Id(2)] string? TestName = null,
    [property: Id(3)] TestResult? Result = null,
    [property: Id(4)] int? TestCount = null,
    [property: Id(5)] string? CompileOutput = null)
{
    /// <summary>In <see cref="JudgeProgressKind.TestsJudged"/>: the results of tests <see cref="TestIndex"/>,
    /// <see cref="TestIndex"/> + 1, and so on, in order.</summary>
    [Id(6)] public System.Collections.Immutable.ImmutableArray<TestResult> Results { get; init; } = [];

    /// <summary>In <see cref="JudgeProgressKind.Queued"/>: the address of the silo whose judging slots the job waits for.</summary>
    [Id(7)] public string? Silo { get; init; }
}

/// <summary>Kinds of <see cref="JudgeProgress"/>.</summary>
public enum JudgeProgressKind
{
    /// <summary>A worker has a judging slot and compiles.</summary>
    Compiling,
    /// <summary>Compiled (or nothing to compile); <see cref="JudgeProgress.TestCount"/> tests follow.</summary>
    Compiled,
    TestStarted,
    TestJudged,
    /// <summary>The worker is alive and still on the job (sent every few seconds once it has a judging slot, and while it
    /// waits for a problem's time limit to be derived).</summary>
    Heartbeat,
    /// <summary>A batch of consecutive test results from <see cref="JudgeProgress.TestIndex"/> on
    /// (<see cref="JudgeProgress.Results"/>), with the test now running in <see cref="JudgeProgress.TestName"/>: workers
    /// send progress in batches, one call in flight at a time, so that judging never waits for the submission grain.</summary>
    TestsJudged,
    /// <summary>Sent once, when the job has to wait for a judging slot of silo <see cref="JudgeProgress.Silo"/>: until the
    /// slot is taken (<see cref="Compiling"/>) no heartbeats follow, and the attempt lives as long as that silo does.</summary>
    Queued,
}

/// <summary>What a rejudge call did, and the judging that is current after it.</summary>
[GenerateSerializer, Immutable, Alias("judge.RejudgeAnswer")]
public sealed record RejudgeAnswer(
    [property: Id(0)] RejudgeOutcome Outcome,
    [property: Id(1)] int Judging);

/// <summary>Outcomes of <see cref="ISubmissionGrain.Rejudge"/>.</summary>
public enum RejudgeOutcome
{
    /// <summary>A new judging started.</summary>
    Started,
    /// <summary>The expected judging's successor had already started (a retried call): nothing new started.</summary>
    AlreadyStarted,
    /// <summary>This id was never submitted.</summary>
    Unknown,
    /// <summary>The current judging is not finished yet.</summary>
    NotFinished,
    /// <summary>The current judging is not the expected one.</summary>
    JudgingMismatch,
}
