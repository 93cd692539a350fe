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

    /// <summary>Waits until the submission is finished or <paramref name="timeout"/> passes, then answers as <see cref="Get"/>.</summary>
    [Alias("WaitForResult"), AlwaysInterleave, ResponseTimeout("00:10:00")]
    Task<Submission?> WaitForResult(TimeSpan timeout);

    /// <summary>Progress from the worker judging attempt <paramref name="attempt"/>.</summary>
    [Alias("ReportProgress")]
    Task ReportProgress(int attempt, JudgeProgress progress);
}

/// <summary>One step of judging, reported by a worker.</summary>
[GenerateSerializer, Immutable, Alias("judge.JudgeProgress")]
public sealed record JudgeProgress(
    [property: Id(0)] JudgeProgressKind Kind,
    [property: Id(1)] int TestIndex = -1,
    [property: Id(2)] string? TestName = null,
    [property: Id(3)] TestResult? Result = null,
    [property: Id(4)] int? TestCount = null,
    [property: Id(5)] string? CompileOutput = null);

/// <summary>Kinds of <see cref="JudgeProgress"/>.</summary>
public enum JudgeProgressKind
{
    /// <summary>A worker has a judging slot and compiles.</summary>
    Compiling,
    /// <summary>Compiled (or nothing to compile); <see cref="JudgeProgress.TestCount"/> tests follow.</summary>
    Compiled,
    TestStarted,
    TestJudged,
}
