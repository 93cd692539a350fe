namespace Judge.Interfaces;

/// <summary>Judges submissions of one language. Each language has its own grain type <c>worker-&lt;language&gt;</c>,
/// hosted only by silos whose toolchain probe found that language.</summary>
[Alias("judge.IJudgeWorker")]
public interface IJudgeWorker : IGrainWithStringKey
{
    /// <summary>Compiles and runs the job, reporting progress and heartbeats to its submission grain, and returns the final
    /// result (which it also reports). Throws <see cref="JudgeHandedBackException"/> when its silo shuts down first.</summary>
    [Alias("Judge"), ResponseTimeout("02:00:00")]
    Task<JudgeResult> Judge(JudgeJob job);

    /// <summary>The language this worker's silo offers, with its detected version.</summary>
    [Alias("Describe")]
    Task<LanguageInfo> Describe();

    /// <summary>The grain type of the worker for <paramref name="language"/>.</summary>
    public static string GrainTypeOf(string language) => "worker-" + language;
}

/// <summary>A unit of judging work.</summary>
[GenerateSerializer, Immutable, Alias("judge.JudgeJob")]
public sealed record JudgeJob(
    [property: Id(0)] string SubmissionId,
    [property: Id(1)] int Attempt,
    [property: Id(2)] SubmissionRequest Request)
{
    /// <summary>Which judging of the submission this job is: 1 for the first, more for a rejudge, which waits behind first
    /// judgings for a judging slot. A job from an older sender reads as 0, a first judging.</summary>
    [Id(3)] public int Judging { get; init; } = 1;

    /// <summary>Whether this job judges a submission again (<see cref="Judging"/> above 1): it has the lower priority.</summary>
    public bool IsRejudge => Judging > 1;
}

/// <summary>The final judgement of a job.</summary>
[GenerateSerializer, Immutable, Alias("judge.JudgeResult")]
public sealed record JudgeResult(
    [property: Id(0)] Verdict Verdict,
    [property: Id(1)] string? CompileOutput,
    [property: Id(2)] System.Collections.Immutable.ImmutableArray<TestResult> Tests,
    [property: Id(3)] string? Message,
    [property: Id(4)] string JudgedBy)
{
    /// <summary>Points earned in a scoring problem; <c>null</c> for pass-fail problems.</summary>
    [Id(5)] public double? Score { get; init; }

    /// <summary>The most points of a scoring problem; <c>null</c> for pass-fail problems.</summary>
    [Id(6)] public double? MaxScore { get; init; }
}

/// <summary>A language offered by the cluster.</summary>
[GenerateSerializer, Immutable, Alias("judge.LanguageInfo")]
public sealed record LanguageInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string? Version,
    [property: Id(3)] string DisplayName);

/// <summary>The worker's silo is shutting down and gave the job back unfinished: judge it elsewhere. Not a failure of the submission.</summary>
[GenerateSerializer, Alias("judge.JudgeHandedBackException")]
public sealed class JudgeHandedBackException : Exception
{
    /// <summary>Creates the exception for the silo at <paramref name="silo"/>.</summary>
    public JudgeHandedBackException(string silo) : base($"silo {silo} is shutting down and handed the job back")
    {
        Silo = silo;
    }

    /// <summary>The silo that handed the job back.</summary>
    [Id(0)] public string Silo { get; }
}
